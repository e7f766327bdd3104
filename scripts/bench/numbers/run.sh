#!/bin/sh
# Builds the number-parsing micro-benchmark with -O and runs it. From the repository root:
#   sh scripts/bench/numbers/run.sh
set -e
out=.build-bench-work/numbers
mkdir -p "$out"
swiftc -O -wmo -module-name NumbersBench -o "$out/numbers-bench" \
    scripts/bench/numbers/main.swift Sources/MLRunData/NumberParsing*.swift
"$out/numbers-bench"
