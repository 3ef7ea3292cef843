#!/usr/bin/env bash
# Create .venv and install Workbench into it (with test tools when called as `setup.sh test`).
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:-}
venv=${VENV:-.venv}
python=${PYTHON:-python3}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Workbench needs Python 3.11 or newer; $("$python" --version 2>&1) found." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
  # An old pip leaves trafilatura's dependencies unimportable: upgrade it first.
  "$venv/bin/python" -m pip install --quiet --upgrade pip
fi
stamp="$venv/.installed-${extras:-app}-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  target="."
  [ -n "$extras" ] && target=".[$extras]"
  "$venv/bin/python" -m pip install --quiet -e "$target"
  touch "$stamp"
fi
