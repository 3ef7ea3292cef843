#!/usr/bin/env bash
# Install wrk, the HTTP load generator `make load` drives the server with (Debian's package), when
# missing. Without it `make load` cannot run, so unlike the browser this is not optional there.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
    echo "wrk is not installed and this user cannot install it: sudo apt-get install -y wrk" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install wrk (https://github.com/wg/wrk) yourself to run make load." >&2
  exit 1
fi
echo "Installing wrk from Debian's packages..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
