#!/usr/bin/env bash
# Fetch an npm package's tarball, check it against the registry's published integrity, unpack it
# into DIR (as DIR/package/...) and print that integrity. The vendor-*.sh scripts build on it.
# Usage: scripts/npm-unpack.sh PACKAGE VERSION DIR
set -euo pipefail
package=${1:?usage: npm-unpack.sh PACKAGE VERSION DIR}
version=${2:?usage: npm-unpack.sh PACKAGE VERSION DIR}
dir=${3:?usage: npm-unpack.sh PACKAGE VERSION DIR}
tarball=$(cd "$dir" && npm pack --silent "$package@$version")
expected=$(npm view "$package@$version" dist.integrity)
actual="sha512-$(openssl dgst -sha512 -binary "$dir/$tarball" | base64 -w0)"
if [ "$expected" != "$actual" ]; then
  echo "Integrity mismatch for $package@$version: registry says $expected, tarball is $actual" >&2
  exit 1
fi
tar -xzf "$dir/$tarball" -C "$dir"
echo "$expected"
