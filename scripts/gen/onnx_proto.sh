#!/usr/bin/env bash
# Regenerates Sources/ONNXSchema/onnx.pb.swift, the swift-protobuf messages of ONNX's model format.
#
# Source: scripts/gen/onnx/onnx.proto, a verbatim copy (SPDX-License-Identifier: Apache-2.0, header
# kept) of onnx/onnx.proto as shipped in the `onnx` Python package 1.23.2
# (site-packages/onnx/onnx.proto; upstream https://github.com/onnx/onnx, onnx/onnx.proto).
# Tools: protoc 3.21.12 (Debian protobuf-compiler) and protoc-gen-swift 1.39.0, built from
# apple/swift-protobuf at tag 1.39.0 (`swift build -c release --product protoc-gen-swift`).
#
# Usage: scripts/gen/onnx_proto.sh [path/to/protoc-gen-swift]
# protoc-gen-swift writes `// swift-format-ignore-file` at the top, so `swift format lint` skips the file.
set -euo pipefail
cd "$(dirname "$0")/../.."
plugin="${1:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
protoc --plugin=protoc-gen-swift="$plugin" --proto_path=scripts/gen/onnx \
  --swift_opt=Visibility=Package --swift_opt=FileNaming=DropPath \
  --swift_out="$out" scripts/gen/onnx/onnx.proto
cp "$out/onnx.pb.swift" Sources/ONNXSchema/onnx.pb.swift
