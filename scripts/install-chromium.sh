#!/usr/bin/env bash
# Install Debian's Chromium (browser tests, PDF export), poppler-utils (pdftotext and pdffonts, to
# read PDFs back in tests) and the Noto fonts a PDF needs for every script (Latin, Arabic, Hebrew,
# Devanagari and the rest in fonts-noto-core; Chinese, Japanese and Korean; colour emoji) when
# missing. Without them those tests are skipped, except under CI.
set -euo pipefail
FONTS="fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji"
fonts_present() {
  command -v fc-list >/dev/null 2>&1 || return 1
  local families
  families=$(fc-list : family)  # read whole: grep -q would end fc-list early, failing the pipe
  grep -q "Noto Sans CJK" <<<"$families" && grep -q "Noto Color Emoji" <<<"$families" \
    && grep -q "Noto Sans Arabic" <<<"$families"
}
command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && fonts_present && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
    echo "Chromium is not installed and this user cannot install it; browser tests will be skipped." >&2
    echo "Install it with: sudo apt-get install -y chromium poppler-utils $FONTS" >&2
    [ -n "${CI:-}" ] && exit 1
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install Chromium yourself to run the browser tests." >&2
  [ -n "${CI:-}" ] && exit 1
  exit 0
fi
echo "Installing Chromium, poppler-utils and the Noto fonts from Debian's packages..."
$sudo apt-get update -qq
# shellcheck disable=SC2086 # the font packages are words
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium poppler-utils $FONTS >/dev/null
