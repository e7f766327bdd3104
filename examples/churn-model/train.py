#!/usr/bin/env python3
"""Trains the example's two churn models and writes everything the [[roundtrip]] suites read.

- models/churn_sklearn.onnx: scikit-learn's StandardScaler + MLPClassifier (one hidden layer
  of 8), converted with skl2onnx (probabilities as a plain tensor, no ZipMap), run by
  onnxruntime in serve_onnx.py. The network's weights are the graph's initializers, which the
  [[roundtrip]] checks read (a LogisticRegression would convert to a LinearClassifier node whose
  coefficients are attributes, not initializers);
- models/churn_mlp.safetensors: the NumPy MLP of mlp.py, trained by full-batch gradient descent,
  written by the safetensors package; models/churn_mlp_f16.safetensors, its float16 export;
- data/holdout_x.npy: the holdout set's features (float32), the models' round-trip inputs.

The manifests and golden predictions are written by mlrun itself:
    mlrun --update-baselines -k churn-model    (from the repository root)

Usage (from the repository root): python3 examples/churn-model/train.py
Needs numpy, scikit-learn, skl2onnx, onnx and safetensors; everything is seeded.
"""

import pathlib
import sys

import numpy as np

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here))

import features  # noqa: E402
import mlp  # noqa: E402

data = here.parents[0] / "churn-data" / "data"
x, y = features.read(data / "train.csv")
holdout_x, _ = features.read(data / "holdout.csv")
np.save(here / "data" / "holdout_x.npy", holdout_x)

# scikit-learn -> ONNX.
from skl2onnx import to_onnx  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

pipeline = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(8,), max_iter=2000, random_state=0))
pipeline.fit(x, y)
onnx_model = to_onnx(pipeline, x[:1], options={id(pipeline.steps[-1][1]): {"zipmap": False}}, target_opset=17)
onnx_model.doc_string = ""
(here / "models" / "churn_sklearn.onnx").write_bytes(onnx_model.SerializeToString())

# NumPy MLP -> safetensors.
weights = mlp.untrained()
weights["scaler.mean"] = x.mean(axis=0).astype(np.float32)
weights["scaler.std"] = (x.std(axis=0) + 1e-6).astype(np.float32)
z = (x - weights["scaler.mean"]) / weights["scaler.std"]
target = y.astype(np.float32)[:, None]
for _ in range(400):
    hidden_in = z @ weights["fc1.weight"].T + weights["fc1.bias"]
    hidden = np.maximum(hidden_in, 0)
    p = 1 / (1 + np.exp(-(hidden @ weights["fc2.weight"].T + weights["fc2.bias"])))
    grad_logits = (p - target) / len(z)
    grad_hidden = (grad_logits @ weights["fc2.weight"]) * (hidden_in > 0)
    weights["fc2.weight"] -= (0.5 * grad_logits.T @ hidden).astype(np.float32)
    weights["fc2.bias"] -= (0.5 * grad_logits.sum(axis=0)).astype(np.float32)
    weights["fc1.weight"] -= (0.5 * grad_hidden.T @ z).astype(np.float32)
    weights["fc1.bias"] -= (0.5 * grad_hidden.sum(axis=0)).astype(np.float32)
mlp.save(weights, str(here / "models" / "churn_mlp.safetensors"))
half = {name: value.astype(np.float16) for name, value in weights.items()}
from safetensors.numpy import save_file  # noqa: E402

save_file(half, str(here / "models" / "churn_mlp_f16.safetensors"))

accuracy = ((mlp.predict(weights, holdout_x)[:, 0] > 0.5) == features.read(data / "holdout.csv")[1]).mean()
print(f"MLP holdout accuracy {accuracy:.3f}; scikit-learn {pipeline.score(holdout_x, features.read(data / 'holdout.csv')[1]):.3f}")
