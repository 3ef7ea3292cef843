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
(cd "$work" && npm pack --silent "axe-core@$version" >/dev/null)
tarball="$work/axe-core-$version.tgz"
expected=$(npm view "axe-core@$version" dist.integrity)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$expected" != "$actual" ]; then
  echo "Integrity mismatch for axe-core@$version: registry says $expected, tarball is $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
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
