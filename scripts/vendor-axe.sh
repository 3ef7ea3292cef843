#!/usr/bin/env bash
# Vendor axe-core for the accessibility tests, as htmx is vendored: verify the npm tarball against
# the registry's integrity, copy axe.min.js into tests/vendor/axe-core/ and record its SHA-256 in
# tests/vendor/CHECKSUMS.json. Only the tests use it; the app never serves it.
# Usage: scripts/vendor-axe.sh 4.10.3
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: vendor-axe.sh VERSION}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expected=$(scripts/npm-unpack.sh axe-core "$version" "$work")
rm -rf tests/vendor/axe-core
mkdir -p tests/vendor/axe-core
cp "$work/package/axe.min.js" "tests/vendor/axe-core/axe-$version.min.js"
cp "$work/package/LICENSE" tests/vendor/axe-core/LICENSE
sha=$(sha256sum "tests/vendor/axe-core/axe-$version.min.js" | cut -d' ' -f1)
cat > tests/vendor/CHECKSUMS.json <<JSON
{
  "files": [
    {
      "path": "axe-core/axe-$version.min.js",
      "package": "axe-core",
      "version": "$version",
      "from": "axe.min.js",
      "npm_integrity": "$expected",
      "sha256": "$sha"
    }
  ]
}
JSON
echo "Vendored axe-core $version ($sha)."
