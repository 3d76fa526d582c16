#!/bin/bash
# Gradescope runs this once, as root, when it builds the autograder's image (its Ubuntu images;
# the lab's Dockerfile does the same). It installs the Swift toolchain the lab names in
# .swift-version, builds the grader, and grades the exercises' stubs once, so that a student's
# grading builds only the student's files.
set -euo pipefail
source=$(cd "$(dirname "$0")" && pwd)
lab=$source/lab
version=$(cat "$lab/.swift-version")

if ! swift --version 2>/dev/null | grep -q "Swift version $version"; then
  . /etc/os-release
  case "$VERSION_ID" in
    22.04) gcc=11 ;;
    24.04) gcc=13 ;;
    *) echo "setup.sh: Ubuntu $VERSION_ID: no Swift $version package list here; install the toolchain by hand (swift.org/install)" >&2; exit 1 ;;
  esac
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # swift.org/install's list for this Ubuntu, then what the lab's checks and grader use.
  apt-get install -y --no-install-recommends binutils ca-certificates curl git gnupg2 libc6-dev libcurl4-openssl-dev \
    libedit2 "libgcc-$gcc-dev" libpython3-dev libsqlite3-0 "libstdc++-$gcc-dev" libxml2-dev libz3-dev pkg-config \
    python3 tzdata unzip zlib1g-dev make
  "$lab/autograder/install-swift.sh" "$version" "ubuntu$VERSION_ID" /opt/swift /usr/local/bin
fi

# The user the checks run as (run_autograder): it owns nothing of the grader's.
id lab-checks >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lab-checks

cd "$lab"
swift build --product grade
only=$(cat "$source/only" 2>/dev/null || true)
# Warmed on the stubs, not the reference: the build folder must hold nothing of a solution that
# the code under test could read.
.build/debug/grade --out /tmp/autograder-warm ${only:+--only "$only"} > /dev/null
rm -rf /tmp/autograder-warm
echo "setup.sh: Swift $version, the grader built, its build warm"
