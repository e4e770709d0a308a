#!/usr/bin/env bash
# Proves that ComputeSim can be used as a versioned dependency: clones the committed HEAD into a
# temporary folder, tags the clone 1.0.0, and builds and tests Tests/Consumer, a package that
# depends on it `from: "1.0.0"`. SwiftPM refuses such a dependency when a product target uses
# unsafe build flags. Usage: Scripts/check-consumer.sh (from anywhere in the repository).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet "$root" "$work/ComputeSim"
git -C "$work/ComputeSim" -c user.name=ci -c user.email=ci@localhost tag 1.0.0
cp -R "$root/Tests/Consumer" "$work/Consumer"
cd "$work/Consumer"
COMPUTESIM_URL="file://$work/ComputeSim" swift test
