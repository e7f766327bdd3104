# Sourced (not run) by scripts/test.sh and scripts/examples.sh: puts first on PATH a python3
# that has what the example suites and the tests' oracles import, making it when needed.
#
# - the example suites: numpy; onnxruntime for the churn-model's ONNX model, safetensors for its
#   MLP (examples/churn-model), pytest and Hypothesis for featurelib (a plain pytest project);
# - the pytest benchmarks (scripts/bench/pytest_suites.py): pytest-xdist;
# - the oracles: pytest 9.2.0 exactly (mlrun's -m follows it, and it reads `\` as an identifier
#   character, so the oracle must be that version), jsonschema for reports, pandas for [[data]],
#   scikit-learn 1.9.1, fairlearn 0.15.0, SciPy 1.17.1 and MLstatkit for [[quality]], SciPy and
#   statsmodels for [[drift]], safetensors 0.8.0, onnx 1.23.2, skl2onnx 1.20.0 and ml_dtypes
#   (NumPy's F8 types) for the model files (the versions the committed fixtures were made with).
#
# A python3 that already has them all is used as it is. Otherwise they go into the git-ignored
# .venv, which sees the system's packages; pytest is installed into the venv itself, so it
# shadows a system pytest (Debian's may be 9.0.3). Without network the tests still run: the
# oracle tests skip, unless a MLRUN_REQUIRE_* variable (set by .ci/run) makes them fail.
MLRUN_PYTEST_VERSION=9.2.0
mlrun_python_ready() {
  "$1" -c "import pytest, jsonschema, numpy, pandas, sklearn, fairlearn, scipy, MLstatkit, statsmodels, \
safetensors, onnx, onnxruntime, skl2onnx, ml_dtypes, hypothesis, xdist, sys; sys.exit(pytest.__version__ != '$MLRUN_PYTEST_VERSION')" 2>/dev/null
}
if [ -x .venv/bin/python ] && mlrun_python_ready .venv/bin/python; then
  export PATH="$PWD/.venv/bin:$PATH"
elif ! mlrun_python_ready python3; then
  echo "== python: installing the example suites' and the oracles' packages into .venv"
  if python3 -m venv --system-site-packages .venv \
    && { .venv/bin/python -c "import pytest, sys; sys.exit(pytest.__version__ != '$MLRUN_PYTEST_VERSION')" 2>/dev/null \
      || .venv/bin/pip install --quiet --ignore-installed "pytest==$MLRUN_PYTEST_VERSION"; } \
    && .venv/bin/pip install --quiet jsonschema numpy pandas "scikit-learn==1.9.1" "fairlearn==0.15.0" "scipy==1.17.1" \
      MLstatkit statsmodels "safetensors==0.8.0" "onnx==1.23.2" "onnxruntime==1.31.1" "skl2onnx==1.20.0" ml_dtypes \
      hypothesis pytest-xdist; then
    export PATH="$PWD/.venv/bin:$PATH"
  else
    echo "warning: could not install the Python packages into .venv; the tests that need them will skip" >&2
    if [ -x .venv/bin/python ]; then export PATH="$PWD/.venv/bin:$PATH"; fi
  fi
fi
