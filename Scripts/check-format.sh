#!/usr/bin/env bash
# Checks that every Swift file is formatted by the toolchain's swift-format with the committed
# .swift-format configuration. To fix: swift format format -i --recursive --parallel <same paths>.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --recursive --parallel Sources Tests Benchmarks/Sources Fuzz Package.swift Benchmarks/Package.swift
echo "swift-format: clean"
