#!/usr/bin/env python3
"""The scikit-learn churn model, exported to ONNX, as a model-protocol program run by onnxruntime.

load reads an .onnx file into an inference session (CPU); save writes the model's bytes back
out; predict returns P(churn) per row, shape (n, 2), from the graph's probability output.
"""

import onnxruntime

from mlrun_model import serve

state = {}


def load(path):
    with open(path, "rb") as file:
        state["bytes"] = file.read()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    state["session"] = onnxruntime.InferenceSession(state["bytes"], options, providers=["CPUExecutionProvider"])


def save(path):
    with open(path, "wb") as file:
        file.write(state["bytes"])


def predict(inputs):
    session = state["session"]
    probabilities = [output.name for output in session.get_outputs() if "prob" in output.name]
    return session.run(probabilities, {session.get_inputs()[0].name: inputs["x"]})[0]


serve(predict=predict, save=save, load=load)
