#!/usr/bin/env bash
# Vendor htmx from the npm package htmx.org: verify the tarball against the registry's
# integrity, copy dist/htmx.min.js into static/vendor/htmx/ and record its SHA-256.
# Usage: scripts/vendor-htmx.sh 4.0.1
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: vendor-htmx.sh VERSION}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expected=$(scripts/npm-unpack.sh htmx.org "$version" "$work")
mkdir -p static/vendor/htmx
cp "$work/package/dist/htmx.min.js" "static/vendor/htmx/htmx-$version.min.js"
cp "$work/package/LICENSE" static/vendor/htmx/LICENSE
sha=$(sha256sum "static/vendor/htmx/htmx-$version.min.js" | cut -d' ' -f1)
# Other vendored packages' entries are kept; htmx's is replaced, and stays the first.
python3 - "$version" "$expected" "$sha" <<'PY'
import json, sys
from pathlib import Path

version, integrity, sha = sys.argv[1:]
path = Path("static/vendor/CHECKSUMS.json")
files = [f for f in json.loads(path.read_text())["files"] if f["package"] != "htmx.org"] if path.exists() else []
files.insert(0, {"path": f"vendor/htmx/htmx-{version}.min.js", "package": "htmx.org", "version": version,
                 "from": "dist/htmx.min.js", "npm_integrity": integrity, "sha256": sha})
path.write_text(json.dumps({"files": files}, indent=2) + "\n")
PY
echo "Vendored htmx $version ($sha). Update the script tag in templates/base.html if the version changed."
