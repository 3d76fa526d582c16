#!/bin/bash
# install-swift.sh VERSION PLATFORM [PREFIX] [BIN]: installs swift.org's toolchain VERSION for
# PLATFORM (ubuntu22.04) into PREFIX (/opt/swift) and links its programs into BIN (/usr/local/bin),
# as swift.org/install/linux/tarball says to by hand: the tarball, its signature checked with
# swift.org's keys (in a keyring of this run's own), then the files. Nothing is installed from a
# tarball whose signature does not verify. setup.sh calls it. LAB_SWIFT_DOWNLOADS and
# LAB_SWIFT_KEYS move the addresses (a mirror; the lab's test serves a stand-in of its own).
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: install-swift.sh VERSION PLATFORM [PREFIX] [BIN]" >&2; exit 2; fi
version=$1 platform=$2 prefix=${3:-/opt/swift} bin=${4:-/usr/local/bin}
downloads=${LAB_SWIFT_DOWNLOADS:-https://download.swift.org}
keys=${LAB_SWIFT_KEYS:-https://www.swift.org/keys/all-keys.asc}
case "$(uname -m)" in
  x86_64) arch= ;;
  aarch64) arch=-aarch64 ;;
  *) echo "install-swift.sh: swift.org builds no toolchain for $(uname -m)" >&2; exit 1 ;;
esac
name="swift-$version-RELEASE-$platform$arch"
url="$downloads/swift-$version-release/${platform//./}$arch/swift-$version-RELEASE/$name.tar.gz"

work=$(mktemp -d)
export GNUPGHOME=$work/gnupg  # a keyring of this run's own: swift.org's keys and nothing else
trap 'gpgconf --kill all >/dev/null 2>&1; rm -rf "$work"' EXIT
fetch() {  # a few tries, bounded in time and size: a stalled or endless mirror must not hold the build
  curl -fsSL --retry 3 --connect-timeout 20 --max-time 1800 --max-filesize "$3" "$1" -o "$2" ||
    { echo "install-swift.sh: cannot download $1 (at most $3 bytes)" >&2; exit 1; }
}
fetch "$url" "$work/swift.tar.gz" 4000000000  # a toolchain is about 1 GB
fetch "$url.sig" "$work/swift.tar.gz.sig" 1000000
fetch "$keys" "$work/keys.asc" 10000000
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --import "$work/keys.asc" 2> "$work/gpg.log" ||
  { echo "install-swift.sh: cannot read swift.org's keys ($keys):" >&2; cat "$work/gpg.log" >&2; exit 1; }
# A good signature by one of the keys, not revoked (one from a key expired since counts: old
# releases are signed with keys that have expired since).
if ! gpg --batch --status-fd 3 --verify "$work/swift.tar.gz.sig" "$work/swift.tar.gz" 2> "$work/gpg.log" 3> "$work/gpg.status" ||
   ! grep -q '^\[GNUPG:\] VALIDSIG ' "$work/gpg.status" || grep -q '^\[GNUPG:\] REVKEYSIG ' "$work/gpg.status"; then
  echo "install-swift.sh: $name.tar.gz does not match its signature by swift.org's keys: not installed" >&2
  cat "$work/gpg.log" >&2
  exit 1
fi
mkdir -p "$prefix" "$bin"
tar -xzf "$work/swift.tar.gz" -C "$prefix" --strip-components 1 --no-same-owner
ln -sf "$prefix"/usr/bin/* "$bin"/
said=$("$bin/swift" --version 2>&1 || true)
if [[ "$said" != *"Swift version $version"* ]]; then
  echo "install-swift.sh: installed, but $bin/swift --version does not say Swift version $version" >&2
  exit 1
fi
echo "install-swift.sh: Swift $version ($name) in $prefix, linked from $bin"
