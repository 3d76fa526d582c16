#!/bin/bash
# A broken install-swift.sh, kept to prove its test: it installs the tarball without checking its
# signature (what setup.sh did before install-swift.sh), so a tarball swapped on the way is installed.
set -euo pipefail
version=$1 platform=$2 prefix=${3:-/opt/swift} bin=${4:-/usr/local/bin}
downloads=${LAB_SWIFT_DOWNLOADS:-https://download.swift.org}
arch=; [ "$(uname -m)" = aarch64 ] && arch=-aarch64
name="swift-$version-RELEASE-$platform$arch"
tarball=$(mktemp)
curl -fsSL "$downloads/swift-$version-release/${platform//./}$arch/swift-$version-RELEASE/$name.tar.gz" -o "$tarball"
mkdir -p "$prefix" "$bin"
tar -xzf "$tarball" -C "$prefix" --strip-components 1
rm "$tarball"
ln -sf "$prefix"/usr/bin/* "$bin"/
