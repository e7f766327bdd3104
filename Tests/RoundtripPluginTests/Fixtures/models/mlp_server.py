"""A small NumPy MLP served over the model protocol, with one deliberate defect per flag.

    python3 mlp_server.py [--defect NAME]

The weights file is an .npz of float32 arrays fc1.weight (8x4), fc1.bias (8), fc2.weight (2x8),
fc2.bias (2) and scale (1). The untrained model draws its weights from a fixed seed, so two
fresh processes start alike. Defects, each a way a real serializer goes wrong:

- dropped:   save leaves out fc2.bias (the loader keeps the untrained value);
- zeroed:    save writes fc1.weight as zeros;
- downcast:  save writes every array as float16 (the loader casts back to float32);
- stale:     save writes the weights the process started with, not the loaded ones;
- memory:    load keeps `scale` in memory only and save leaves it out;
- timestamp: save adds the time, so two saves differ;
- refuse:    save answers ok: false;
- crash:     save kills the process;
- hang:      predict never answers;
- chatty:    predict prints to stdout, which the helper sends to stderr (no harm done);
- startup:   the program dies before reading any request.
"""

import os
import sys
import time

import numpy as np

from mlrun_model import serve

defect = sys.argv[sys.argv.index("--defect") + 1] if "--defect" in sys.argv else "none"
if defect == "startup":
    print("cannot find CUDA libraries (pretend)", file=sys.stderr)
    sys.exit(3)


def untrained():
    rng = np.random.default_rng(0)
    return {
        "fc1.weight": rng.standard_normal((8, 4)).astype(np.float32),
        "fc1.bias": np.zeros(8, np.float32),
        "fc2.weight": rng.standard_normal((2, 8)).astype(np.float32),
        "fc2.bias": np.zeros(2, np.float32),
        "scale": np.ones(1, np.float32),
    }


weights = untrained()
initial = {name: value.copy() for name, value in weights.items()}


def predict(inputs):
    if defect == "hang":
        time.sleep(3600)
    if defect == "chatty":
        print("predicting on", len(inputs["x"]), "rows")  # goes to stderr: stdout is the protocol's
    x = inputs["x"].astype(np.float32)
    hidden = np.maximum(x @ weights["fc1.weight"].T + weights["fc1.bias"], 0)
    return (hidden @ weights["fc2.weight"].T + weights["fc2.bias"]) * weights["scale"]


def save(path):
    if defect == "refuse":
        raise IOError("disk full (pretend)")
    if defect == "crash":
        os.kill(os.getpid(), 9)
    arrays = dict(initial if defect == "stale" else weights)
    if defect == "dropped":
        del arrays["fc2.bias"]
    if defect == "zeroed":
        arrays["fc1.weight"] = np.zeros_like(arrays["fc1.weight"])
    if defect == "downcast":
        arrays = {name: value.astype(np.float16) for name, value in arrays.items()}
    if defect == "memory":
        del arrays["scale"]
    if defect == "timestamp":
        arrays["saved_at"] = np.array([time.time()])
    with open(path, "wb") as file:
        np.savez(file, **arrays)


def load(path):
    with np.load(path, allow_pickle=False) as archive:
        for name in archive.files:
            if name in weights:
                weights[name] = archive[name].astype(np.float32)


serve(predict=predict, save=save, load=load)
