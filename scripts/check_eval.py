#!/usr/bin/env python3
"""Checks mnist-eval's JSON report against an independent NumPy computation from the model file.

Reads the model with the `safetensors` package (not our Swift loader), the IDX test pair with
gzip + NumPy (not our IDX reader), runs the forward pass in NumPy, and compares accuracy, the
confusion matrix, per-class recall (and, loosely, the loss) with `mnist-eval --json`.

    scripts/check_eval.py [--model model.safetensors] [--data data/mnist] [--eval PATH | --json REPORT]

Exit status 0 when everything agrees, 1 when something differs, 2 on a usage problem.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys

import numpy as np
from safetensors import safe_open

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_idx(path):
    """An IDX file (raw or gzip, told apart by the magic 1F 8B) as a NumPy array."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    return data.reshape(dims)


def locate(directory, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{directory}: no {name}.gz or {name}")


def numpy_probabilities(model_path, images):
    """Softmax outputs of the MLP in the model file: Linear, ReLU, ..., Linear, in float32."""
    with safe_open(model_path, framework="numpy") as f:
        layers = [int(s) for s in f.metadata()["layers"].split(",")]
        tensors = {name: f.get_tensor(name) for name in f.keys()}
    x = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    linear_count = len(layers) - 1
    for i in range(linear_count):
        weight, bias = tensors[f"{2 * i}.weight"], tensors[f"{2 * i}.bias"]
        x = x @ weight.T + bias
        if i < linear_count - 1:
            x = np.maximum(x, 0)
    z = x - x.max(axis=1, keepdims=True)
    e = np.exp(z.astype(np.float64))
    return e / e.sum(axis=1, keepdims=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="model.safetensors", help="model file (default: %(default)s)")
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "mnist"), help="directory with the t10k pair")
    parser.add_argument("--eval", help="the mnist-eval executable (default: the newest build in .build*/)")
    parser.add_argument("--json", help="compare with this saved `mnist-eval --json` output instead of running it")
    args = parser.parse_args()

    images_path = locate(args.data, "t10k-images-idx3-ubyte")
    labels = read_idx(locate(args.data, "t10k-labels-idx1-ubyte")).astype(np.int64)
    probabilities = numpy_probabilities(args.model, read_idx(images_path))
    predictions = probabilities.argmax(axis=1)
    classes = probabilities.shape[1]
    confusion = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(confusion, (labels, predictions), 1)
    correct = int(np.trace(confusion))
    accuracy = correct / len(labels)
    recall = np.diag(confusion) / np.maximum(confusion.sum(axis=1), 1)
    loss = float(-np.log(np.maximum(probabilities[np.arange(len(labels)), labels], 1e-38)).mean())

    if args.json:
        with open(args.json) as f:
            report = json.load(f)
    else:
        executable = args.eval or newest_build()
        if executable is None:
            print("no mnist-eval build found; run `swift build` or pass --eval", file=sys.stderr)
            return 2
        command = [executable, "--model", args.model, "--data", args.data, "--json"]
        report = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)

    failures = []
    if report["samples"] != len(labels) or report["correct"] != correct:
        failures.append(f"correct: mnist-eval {report['correct']}/{report['samples']}, NumPy {correct}/{len(labels)}")
    if abs(report["accuracy"] - accuracy) > 1e-12:
        failures.append(f"accuracy: mnist-eval {report['accuracy']}, NumPy {accuracy}")
    swift_confusion = np.array(report["confusion_matrix"], dtype=np.int64)
    if swift_confusion.shape != confusion.shape or (swift_confusion != confusion).any():
        differing = int(np.abs(swift_confusion - confusion).sum()) // 2 if swift_confusion.shape == confusion.shape else -1
        failures.append(f"confusion matrix differs ({differing} samples change cells)")
    swift_recall = np.array([entry["recall"] for entry in report["classes"]])
    worst = float(np.abs(swift_recall - recall).max())
    if worst > 1e-12:
        failures.append(f"per-class recall differs by up to {worst}")
    if abs(report["loss"] - loss) > 1e-4:
        failures.append(f"loss: mnist-eval {report['loss']:.6f}, NumPy {loss:.6f}")

    print(f"model {args.model}, {len(labels)} test images from {images_path}")
    print(f"NumPy:      accuracy {100 * accuracy:.2f}% ({correct}/{len(labels)}), loss {loss:.6f}")
    print(f"mnist-eval: accuracy {100 * report['accuracy']:.2f}% ({report['correct']}/{report['samples']}), loss {report['loss']:.6f}")
    print("recall per class (NumPy): " + " ".join(f"{c}:{100 * r:.2f}%" for c, r in enumerate(recall)))
    if failures:
        for failure in failures:
            print("MISMATCH " + failure)
        return 1
    print("agree: accuracy, confusion matrix (all 100 cells), per-class recall, loss within 1e-4")
    return 0


def newest_build():
    candidates = []
    for directory in os.listdir(ROOT):
        if directory.startswith(".build"):
            for configuration in ("release", "debug"):
                path = os.path.join(ROOT, directory, configuration, "mnist-eval")
                if os.path.isfile(path) and os.access(path, os.X_OK):
                    candidates.append(path)
    return max(candidates, key=os.path.getmtime) if candidates else None


if __name__ == "__main__":
    sys.exit(main())
