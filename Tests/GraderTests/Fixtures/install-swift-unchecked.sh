#!/bin/bash
# A broken install-swift.sh, kept to prove its test: it installs the tarball without checking its
# signature (what setup.sh did before install-swift.sh), so a tarball swapped on the way is installed.
set -euo pipefail
version=$1 platform=$2 prefix=${3:-/opt/swift} bin=${4:-/usr/local/bin}
downloads=${LAB_SWIFT_DOWNLOADS:-https://download.swift.org}
arch=; [ "$(uname -m)" = aarch64 ] && arch=-aarch64
name="swift-$version-RELEASE-$platform$arch"
curl -fsSL "$downloads/swift-$version-release/${platform//./}$arch/swift-$version-RELEASE/$name.tar.gz" -o /tmp/unchecked-swift.tar.gz
mkdir -p "$prefix" "$bin"
tar -xzf /tmp/unchecked-swift.tar.gz -C "$prefix" --strip-components 1
rm /tmp/unchecked-swift.tar.gz
ln -sf "$prefix"/usr/bin/* "$bin"/
