"""Serve a model to mlrun over the model protocol, version 1.

mlrun drives a model under test through a program that reads one JSON request per line on
stdin and answers each with one line on stdout:

    {"op": "predict", "inputs": {"x": "/tmp/…/x.npy"}, "output": "/tmp/…/y.npy"}
    {"op": "save", "path": "/tmp/…/model.safetensors"}
    {"op": "load", "path": "models/churn.safetensors"}

    {"ok": true}    or    {"ok": false, "error": "…"}

This module turns three functions into such a program:

    import numpy as np
    from mlrun_model import serve

    weights = {"w": np.zeros((4, 1))}          # the untrained model

    def predict(inputs):                        # dict of name -> np.ndarray
        return inputs["x"] @ weights["w"]       # one np.ndarray

    def save(path): ...
    def load(path): ...

    serve(predict=predict, save=save, load=load)

mlrun puts the folder holding this file on PYTHONPATH for every model program it starts, so
`from mlrun_model import serve` works with nothing installed. To use it outside mlrun, print
it with `mlrun model-helper > mlrun_model.py`.

Only the standard library and numpy are used. Arrays are read with allow_pickle=False.
Anything the user's code prints goes to stderr, so stdout carries protocol lines only.
"""

import json
import os
import sys
import traceback

__all__ = ["serve"]


def serve(predict, save, load, stdin=None):
    """Answer requests until stdin closes. `predict(inputs)` gets a dict of arrays and returns
    an array; `save(path)` and `load(path)` write and read the model's file."""
    import numpy as np

    protocol = _claim_stdout()
    lines = stdin if stdin is not None else sys.stdin
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
            op = request.get("op")
            if op == "predict":
                inputs = {name: np.load(path, allow_pickle=False) for name, path in _field(request, "inputs", dict).items()}
                result = np.asarray(predict(inputs))
                if result.dtype == object:
                    raise TypeError("predict returned objects; return a numeric array")
                np.save(_field(request, "output", str), result, allow_pickle=False)
            elif op == "save":
                save(_field(request, "path", str))
            elif op == "load":
                load(_field(request, "path", str))
            else:
                raise ValueError(f"unknown op {op!r}; expected predict, save or load")
            reply = {"ok": True}
        except Exception as error:  # the model's failure is the request's answer
            traceback.print_exc(file=sys.stderr)
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stderr.flush()
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


def _field(request, key, kind):
    value = request.get(key)
    if not isinstance(value, kind):
        raise ValueError(f"request field {key!r} must be a {kind.__name__}")
    return value


def _claim_stdout():
    """Keep the real stdout for replies; send everything else printed to stderr."""
    sys.stdout.flush()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol
