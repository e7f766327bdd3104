#!/usr/bin/env bash
# Every test of the project, as CI runs it: the third-party example plugin package (built
# against this checkout, run on its runner.toml, its own tests), then mlrun's own test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh

echo "== lint: swift format (config in .swift-format)"
swift format lint --strict --recursive --parallel Package.swift Sources Plugins Tests examples/metric-gates/Package.swift \
  examples/metric-gates/Sources examples/metric-gates/Tests scripts/bench/*/Sources scripts/bench/numbers

echo "== generated code: the committed table is what its generator writes"
python3 scripts/gen/powers_of_five.py | diff -q - Sources/MLRunData/NumberParsing+PowersOfFive.swift
python3 scripts/gen/embed_python.py python/mlrun_model.py ModelHelper | diff -q - Sources/MLRunProtocol/ModelHelper+Source.swift
python3 scripts/gen/embed_python.py python/mlrun_pytest.py PytestBridge | diff -q - Plugins/Pytest/PytestBridge+Source.swift

echo "== examples/metric-gates: build against the public plugin API only (a package of its own), run, test"
swift build --package-path examples/metric-gates
examples/metric-gates/.build/debug/mlrun-gates -c examples/metric-gates/runner.toml -q
swift test --package-path examples/metric-gates

echo "== mlrun: end-to-end tests against a release build (optimiser bugs show only there)"
swift build -c release --product mlrun
swift build -c release --product mlrun-fixture
swift build --build-tests
MLRUN_BINARY="$PWD/.build/release/mlrun" swift test --skip-build --filter EndToEndTests

echo "== mlrun: every other test (the end-to-end ones ran above, by themselves: beside CPU-bound"
echo "   unit tests on a small machine, their own timing would measure this test process's waits)"
swift test --skip-build --skip EndToEndTests
