#!/usr/bin/env bash
# Vendor Swagger UI (the API docs page) from the npm package swagger-ui-dist: verify the tarball
# against the registry's integrity, copy the bundle and its stylesheet into
# static/vendor/swagger-ui/ and record their SHA-256 in static/vendor/CHECKSUMS.json.
# Usage: scripts/vendor-swagger-ui.sh 5.35.0
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: vendor-swagger-ui.sh VERSION}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expected=$(scripts/npm-unpack.sh swagger-ui-dist "$version" "$work")
rm -rf static/vendor/swagger-ui
mkdir -p static/vendor/swagger-ui
cp "$work/package/swagger-ui-bundle.js" "static/vendor/swagger-ui/swagger-ui-bundle-$version.js"
cp "$work/package/swagger-ui.css" "static/vendor/swagger-ui/swagger-ui-$version.css"
cp "$work/package/LICENSE" "$work/package/NOTICE" static/vendor/swagger-ui/
# Other vendored packages' entries are kept; this package's are replaced.
python3 - "$version" "$expected" <<'PY'
import hashlib, json, sys
from pathlib import Path

version, integrity = sys.argv[1:]
path = Path("static/vendor/CHECKSUMS.json")
recorded = json.loads(path.read_text())
files = [f for f in recorded["files"] if f["package"] != "swagger-ui-dist"]
for name, source in ((f"swagger-ui-bundle-{version}.js", "swagger-ui-bundle.js"),
                     (f"swagger-ui-{version}.css", "swagger-ui.css")):
    target = Path("static/vendor/swagger-ui") / name
    files.append({"path": f"vendor/swagger-ui/{name}", "package": "swagger-ui-dist", "version": version,
                  "from": source, "npm_integrity": integrity,
                  "sha256": hashlib.sha256(target.read_bytes()).hexdigest()})
path.write_text(json.dumps({"files": files}, indent=2) + "\n")
PY
echo "Vendored swagger-ui-dist $version. Update SWAGGER_UI_VERSION in workbench/web/api/openapi.py if the version changed."
