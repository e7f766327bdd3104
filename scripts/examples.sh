#!/usr/bin/env bash
# mlrun's main job: build mlrun and run the example suites of the root runner.toml, with a
# python3 that has what the examples import (scripts/python-env.sh). Arguments go to mlrun:
#   scripts/examples.sh -m known_defect      # the deliberate defects, which fail on purpose
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
exec swift run mlrun "$@"
