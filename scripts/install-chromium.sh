#!/usr/bin/env bash
# Install Debian's Chromium (browser tests, PDF export) and poppler-utils (pdftotext, to read PDFs
# back in tests) when missing. Without them those tests are skipped, except under CI.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
    echo "Chromium is not installed and this user cannot install it; browser tests will be skipped." >&2
    echo "Install it with: sudo apt-get install -y chromium" >&2
    [ -n "${CI:-}" ] && exit 1
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install Chromium yourself to run the browser tests." >&2
  [ -n "${CI:-}" ] && exit 1
  exit 0
fi
echo "Installing Chromium and poppler-utils from Debian's packages..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium poppler-utils >/dev/null
