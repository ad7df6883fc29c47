#!/usr/bin/env python3
"""Check a model written by mnist-train (or saved by PyTorch) from outside Swift.

Loads the safetensors file with Python's `safetensors` and NumPy, checks its tensors against the
PyTorch nn.Sequential(Linear, ReLU, ..., Linear) layout its metadata declares (or, for a state
dict saved by PyTorch without our metadata, reads the layer list off the N.weight / N.bias
shapes, as the Swift loader does), runs a plain NumPy forward pass over the 10,000 MNIST test
images, and compares the accuracy with the "test_correct" and "test_accuracy" the tool stored in
the file. Exits 1 on any mismatch; a file without stored figures only has its accuracy printed.

    pip install numpy safetensors
    scripts/verify_model.py model.safetensors [--data data/mnist]
"""

import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

REPOSITORY = Path(__file__).resolve().parent.parent


def read_idx(path: Path, rank: int) -> np.ndarray:
    """An IDX array of unsigned bytes, gzip or raw (told apart by the magic 1F 8B)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[0:2] != b"\x00\x00" or data[2] != 0x08 or data[3] != rank:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes with {rank} dimensions")
    dimensions = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    body = data[4 + 4 * rank:]
    if len(body) != int(np.prod(dimensions)):
        raise ValueError(f"{path}: header declares {dimensions}, file holds {len(body)} bytes")
    return np.frombuffer(body, dtype=np.uint8).reshape(dimensions)


def find(directory: Path, name: str) -> Path:
    for candidate in (directory / (name + ".gz"), directory / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{directory}: no {name}.gz or {name}")


FLOAT_TYPES = (np.float16, np.float32, np.float64)


def inferred_sizes(tensors) -> list:
    """The layer sizes of an nn.Sequential(Linear, ReLU, ..., Linear) state dict, from its shapes."""
    positions = {}
    for name in tensors:
        index, _, kind = name.partition(".")
        if not index.isdigit() or kind not in ("weight", "bias"):
            raise ValueError(f"tensor {name!r} is not named like a layer of an nn.Sequential (N.weight, N.bias) "
                             "and the file has no \"layers\" metadata")
        positions.setdefault(int(index), set()).add(kind)
    weights = sorted(index for index, kinds in positions.items() if "weight" in kinds)
    if weights != list(range(0, 2 * len(weights), 2)):
        raise ValueError(f"weights at positions {weights}; an nn.Sequential(Linear, ReLU, Linear, ...) "
                         "has its Linear layers at 0, 2, 4, ...")
    sizes = []
    for index in weights:
        shape = tensors[f"{index}.weight"].shape
        if len(shape) == 4:
            raise ValueError(f"{index}.weight has shape {list(shape)}: a convolution's weight; only Linear layers")
        if len(shape) != 2:
            raise ValueError(f"{index}.weight has shape {list(shape)}; a Linear weight is 2-D (out x in)")
        if "bias" not in positions[index]:
            raise ValueError(f"{index}.weight has no bias beside it (bias=False is not supported)")
        if sizes and sizes[-1] != shape[1]:
            raise ValueError(f"{index}.weight takes {shape[1]} inputs but the layer before gives {sizes[-1]}")
        sizes += [shape[1], shape[0]] if not sizes else [shape[0]]
    return sizes


def load_network(path: Path):
    """The layer sizes, the (weight, bias) pairs and the metadata, checked against each other."""
    with safe_open(str(path), framework="numpy") as handle:
        metadata = handle.metadata() or {}
    tensors = load_file(str(path))
    if "layers" in metadata:
        sizes = [int(size) for size in metadata["layers"].split(",")]
    else:
        sizes = inferred_sizes(tensors)
    if metadata.get("activation", "relu") != "relu":
        raise ValueError(f"activation {metadata['activation']!r}; only relu")
    expected = {}
    for index, (inputs, outputs) in enumerate(zip(sizes, sizes[1:])):
        expected[f"{2 * index}.weight"] = (outputs, inputs)
        expected[f"{2 * index}.bias"] = (outputs,)
    if set(tensors) != set(expected):
        raise ValueError(f"tensors {sorted(tensors)}; layers {sizes} need {sorted(expected)}")
    for name, shape in expected.items():
        if tensors[name].dtype not in FLOAT_TYPES or tensors[name].shape != shape:
            raise ValueError(f"{name}: {tensors[name].dtype} {tensors[name].shape}, expected floating-point {shape}")
        # Converted to float32, as the Swift loader converts F16 and F64 (beyond float32's range: inf).
        with np.errstate(over="ignore"):
            tensors[name] = tensors[name].astype(np.float32)
        if not np.isfinite(tensors[name]).all():
            raise ValueError(f"{name} holds NaN or infinite values (in float32)")
    layers = [(tensors[f"{2 * i}.weight"], tensors[f"{2 * i}.bias"]) for i in range(len(sizes) - 1)]
    return sizes, layers, metadata


def forward(layers, x: np.ndarray) -> np.ndarray:
    """Linear, ReLU, ..., Linear: z = x Wᵀ + b, as torch.nn.Linear computes it."""
    for index, (weight, bias) in enumerate(layers):
        x = x @ weight.T.astype(x.dtype) + bias.astype(x.dtype)
        if index < len(layers) - 1:
            x = np.maximum(x, 0)
    return x


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="a .safetensors file written by mnist-train")
    parser.add_argument("--data", type=Path, default=REPOSITORY / "data" / "mnist",
                        help="directory with the MNIST test files (default: the bundled data/mnist)")
    arguments = parser.parse_args()

    try:
        sizes, layers, metadata = load_network(arguments.model)
    except Exception as error:  # any reason the file is unusable is a failed check
        print(f"{arguments.model}: cannot be used: {error}", file=sys.stderr)
        return 1
    images = read_idx(find(arguments.data, "t10k-images-idx3-ubyte"), 3)
    labels = read_idx(find(arguments.data, "t10k-labels-idx1-ubyte"), 1).astype(np.int64)
    # The input convention stored in the model: 28×28 row-major, ink 1.0, background 0.0, byte / 255.
    x = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    if sizes[0] != x.shape[1] or sizes[-1] != 10:
        print(f"{arguments.model}: layers {sizes} do not take {x.shape[1]} pixels to 10 digits "
              f"(dataset {metadata.get('dataset', 'unknown')}); not an MNIST model", file=sys.stderr)
        return 1

    with np.errstate(over="ignore", invalid="ignore"):
        logits = forward(layers, x)
        # The same pass in float64: how many predictions hinge on float32 rounding.
        logits64 = forward(layers, x.astype(np.float64))
    predictions = logits.argmax(axis=1)
    correct = int((predictions == labels).sum())
    unstable = int((logits64.argmax(axis=1) != predictions).sum())

    origin = "mnist-swift metadata" if "layers" in metadata else "no metadata: layers read off the shapes"
    print(f"model: {arguments.model}  layers {','.join(map(str, sizes))}  "
          f"({sum(w.size + b.size for w, b in layers)} parameters, PyTorch Sequential names, {origin})")
    print(f"numpy forward over {len(labels)} test images: {correct}/{len(labels)} correct, "
          f"accuracy {100 * correct / len(labels):.2f}%  ({unstable} predictions change in float64)")

    stored_correct = metadata.get("test_correct")
    stored_accuracy = metadata.get("test_accuracy")
    print(f"model metadata: test_correct {stored_correct}, test_accuracy {stored_accuracy}, "
          f"test_count {metadata.get('test_count')}")
    if stored_correct is None and stored_accuracy is None:
        # A state dict from PyTorch stores no figures to compare with; the accuracy is the result.
        if not np.isfinite(logits).all():
            print("MISMATCH: some images give NaN or infinite logits", file=sys.stderr)
            return 1
        print("OK: no stored accuracy to compare with (not written by mnist-train); the NumPy figure is above")
        return 0
    problems = []
    if not np.isfinite(logits).all():
        problems.append(f"{int((~np.isfinite(logits)).any(axis=1).sum())} images give NaN or infinite logits: "
                        "the training diverged")
    if stored_correct is None or int(stored_correct) != correct:
        problems.append(f"test_correct is {stored_correct}, numpy counts {correct}")
    if stored_accuracy is None or f"{correct / len(labels):.4f}" != stored_accuracy:
        problems.append(f"test_accuracy is {stored_accuracy}, numpy gives {correct / len(labels):.4f}")
    if metadata.get("test_count") not in (None, str(len(labels))):
        problems.append(f"test_count is {metadata['test_count']}, the test set holds {len(labels)}")
    history = json.loads(metadata.get("history", "[]"))
    if history and abs(history[-1]["test_accuracy"] - correct / len(labels)) > 1e-9:
        problems.append(f"the last history entry says {history[-1]['test_accuracy']}")
    if problems:
        for problem in problems:
            print(f"MISMATCH: {problem}", file=sys.stderr)
        return 1
    print("OK: the NumPy forward pass gives the accuracy the tool printed and stored")
    return 0


if __name__ == "__main__":
    sys.exit(main())
