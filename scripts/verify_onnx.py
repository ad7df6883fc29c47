#!/usr/bin/env python3
"""Check an ONNX file written by `mnist-model onnx`, and run it on the MNIST test set.

Usage: scripts/verify_onnx.py MODEL.onnx [--data DIR] [--compare-json FILE] [--tolerance T]

Runs onnx.checker (full check, with shape inference) on the file, then onnxruntime over the 10,000
test images of DIR (default data/mnist, gzip IDX), fed as float32 [N, 1, 28, 28] = pixel byte / 255,
and prints the accuracy and the metadata the file carries.

--compare-json FILE takes the output of `mnist-predict --raw --json` on test images written as
28×28 PNGs named by their test-set index (NNNNN.png, as `scripts/make_png_fixtures.py OUT --count
10000 --forms grey28` writes them), one JSON object a line, and checks that onnxruntime gives the
same class for every file and probabilities within T (default 1e-5) of mnist-predict's.

Exits with status 1 if a check fails. Needs the pip packages onnx, onnxruntime and numpy.
"""
import argparse
import gzip
import json
import os
import re
import struct
import sys

import numpy as np
import onnx
import onnxruntime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_idx(path, magic):
    with gzip.open(path, "rb") as file:
        data = file.read()
    found, count = struct.unpack(">II", data[:8])
    if found != magic:
        sys.exit(f"{path}: magic {found:#x}, expected {magic:#x}")
    if magic == 2051:
        rows, columns = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, count * rows * columns, 16).reshape(count, rows, columns)
    return np.frombuffer(data, np.uint8, count, 8)


def compare(probabilities, path, tolerance):
    """Failures of mnist-predict's lines in `path` against onnxruntime's `probabilities`."""
    failures, compared, largest = [], 0, 0.0
    with open(path) as file:
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            if "error" in entry:
                failures.append(f"{entry['file']}: mnist-predict could not read it: {entry['error']}")
                continue
            match = re.fullmatch(r"(\d+)\.png", os.path.basename(entry["file"]))
            if not match or int(match.group(1)) >= len(probabilities):
                failures.append(f"line {number}: {entry['file']} is not named by a test-set index (NNNNN.png)")
                continue
            index = int(match.group(1))
            theirs = np.asarray(entry["probabilities"], dtype=np.float64)
            ours = probabilities[index].astype(np.float64)
            difference = float(np.abs(theirs - ours).max())
            largest = max(largest, difference)
            compared += 1
            if entry["digit"] != int(ours.argmax()):
                failures.append(f"{entry['file']}: mnist-predict says {entry['digit']}, onnxruntime {int(ours.argmax())}")
            elif difference > tolerance:
                failures.append(f"{entry['file']}: probabilities differ by {difference:.3g} (> {tolerance:g})")
    return failures, compared, largest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="the .onnx file")
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "mnist"), help="MNIST directory (gzip IDX)")
    parser.add_argument("--compare-json", metavar="FILE", help="mnist-predict --raw --json output to compare with")
    parser.add_argument("--tolerance", type=float, default=1e-5, help="largest probability difference allowed")
    arguments = parser.parse_args()
    if not os.path.isfile(arguments.model):
        sys.exit(f"{arguments.model}: no such file")

    model = onnx.load(arguments.model)
    onnx.checker.check_model(model, full_check=True)
    opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    print(f"{arguments.model}: onnx.checker passed (IR {model.ir_version}, opset {opsets}, onnx {onnx.__version__})")
    for entry in model.metadata_props:
        if entry.key in ("network", "input", "test_accuracy"):
            print(f"  {entry.key}: {entry.value}")

    images = read_idx(os.path.join(arguments.data, "t10k-images-idx3-ubyte.gz"), 2051)
    labels = read_idx(os.path.join(arguments.data, "t10k-labels-idx1-ubyte.gz"), 2049)
    inputs = (images.astype(np.float32) / np.float32(255)).reshape(len(images), 1, 28, 28)
    session = onnxruntime.InferenceSession(arguments.model, providers=["CPUExecutionProvider"])
    names = [output.name for output in session.get_outputs()]
    if names[:2] != ["probabilities", "logits"]:
        sys.exit(f"{arguments.model}: outputs are {names}, expected probabilities and logits")
    probabilities, logits = session.run(None, {"input": inputs})
    correct = int((probabilities.argmax(1) == labels).sum())
    print(f"onnxruntime {onnxruntime.__version__}: accuracy {100 * correct / len(labels):.2f}% ({correct}/{len(labels)})")
    failures = []
    if not np.array_equal(probabilities.argmax(1), logits.argmax(1)):
        failures.append("probabilities and logits disagree on the class")

    if arguments.compare_json:
        found, compared, largest = compare(probabilities, arguments.compare_json, arguments.tolerance)
        failures += found
        print(f"compared with {arguments.compare_json}: {compared} images, "
              f"{compared - len(found)} with the same class and probabilities within {arguments.tolerance:g}; "
              f"largest difference {largest:.3g}")
        if compared == 0:
            failures.append(f"{arguments.compare_json} holds no predictions")
    for failure in failures[:20]:
        print("FAIL " + failure)
    if len(failures) > 20:
        print(f"… and {len(failures) - 20} more")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
