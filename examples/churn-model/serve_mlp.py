#!/usr/bin/env python3
"""The NumPy churn MLP as a model-protocol program (mlrun's Python helper does the protocol).

    python3 serve_mlp.py [--drop-layer]

--drop-layer reproduces a real bug: the save leaves out fc2.weight, and the non-strict load
keeps whatever the model had, so a loaded model still answers predict, with wrong numbers.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import mlp  # noqa: E402
from mlrun_model import serve  # noqa: E402

weights = mlp.untrained()
drop = ("fc2.weight",) if "--drop-layer" in sys.argv else ()

serve(
    predict=lambda inputs: mlp.predict(weights, inputs["x"]),
    save=lambda path: mlp.save(weights, path, drop=drop),
    load=lambda path: mlp.load(weights, path),
)
