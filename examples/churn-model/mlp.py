"""A small NumPy MLP for churn: standardise, 10 -> 16 (ReLU) -> 1 (sigmoid).

Its weights live in a dict of float32 arrays, saved and loaded with the safetensors package.
The scaler's mean and std are tensors of the model, so a file holds everything predict needs.
"""

import numpy as np
from safetensors.numpy import load_file, save_file

NAMES = ["scaler.mean", "scaler.std", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]


def untrained(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "scaler.mean": np.zeros(10, np.float32),
        "scaler.std": np.ones(10, np.float32),
        "fc1.weight": (rng.standard_normal((16, 10)) * 0.3).astype(np.float32),
        "fc1.bias": np.zeros(16, np.float32),
        "fc2.weight": (rng.standard_normal((1, 16)) * 0.3).astype(np.float32),
        "fc2.bias": np.zeros(1, np.float32),
    }


def predict(weights, x):
    """P(churn) per row, shape (n, 1), float32."""
    z = (x.astype(np.float32) - weights["scaler.mean"]) / weights["scaler.std"]
    hidden = np.maximum(z @ weights["fc1.weight"].T + weights["fc1.bias"], np.float32(0))
    logits = hidden @ weights["fc2.weight"].T + weights["fc2.bias"]
    return (np.float32(1) / (np.float32(1) + np.exp(-logits))).astype(np.float32)


def save(weights, path, drop=()):
    save_file({name: weights[name] for name in NAMES if name not in drop}, path)


def load(weights, path):
    """Load what the file holds into `weights`, like a non-strict load_state_dict: a tensor the
    file lacks keeps its current value (which is how a dropped layer goes unnoticed)."""
    for name, value in load_file(path).items():
        weights[name] = value
