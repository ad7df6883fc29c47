#!/usr/bin/env python3
"""Write the PyTorch-shaped model fixtures of Tests/CLITests/Fixtures and their NumPy outputs.

Each fixture is what `safetensors.torch.save_file(model.state_dict(), path)` writes for an
nn.Sequential(Linear, ReLU, ..., Linear) kept in half or double precision: tensors "0.weight"
(out x in), "0.bias", "2.weight", ... and no metadata at all. The weights are seeded random
(He-scaled), so the files are small and reproducible; no torch is needed, the bytes are the same.

Beside each NAME.safetensors goes NAME.expected.json: the test-set indices of the images used and
the softmax probabilities a float64 NumPy forward pass gives on them (pixel byte / 255, row-major,
the input convention mnist-swift assumes for any model).

    pip install numpy safetensors
    scripts/make_torch_fixture.py [--data data/mnist] [--output Tests/CLITests/Fixtures]
"""

import argparse
import gzip
import json
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

REPOSITORY = Path(__file__).resolve().parent.parent
# name, layer sizes, stored dtype, seed
FIXTURES = [
    ("torch-784-16-8-10-f16", [784, 16, 8, 10], np.float16, 1),
    ("torch-784-4-10-f64", [784, 4, 10], np.float64, 2),
]
# Test-set images the expected outputs are computed on.
IMAGES = list(range(16))


def test_images(directory: Path) -> np.ndarray:
    data = gzip.decompress((directory / "t10k-images-idx3-ubyte.gz").read_bytes())
    assert data[:4] == b"\x00\x00\x08\x03", "not an IDX file of bytes with 3 dimensions"
    count, rows, columns = (int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(data[16:], dtype=np.uint8).reshape(count, rows * columns)


def forward(layers, x: np.ndarray) -> np.ndarray:
    """Linear, ReLU, ..., Linear, then softmax: z = x W^T + b, as torch.nn.Linear computes it."""
    for index, (weight, bias) in enumerate(layers):
        x = x @ weight.T + bias
        if index < len(layers) - 1:
            x = np.maximum(x, 0)
    x = x - x.max(axis=1, keepdims=True)
    return np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPOSITORY / "data" / "mnist")
    parser.add_argument("--output", type=Path, default=REPOSITORY / "Tests" / "CLITests" / "Fixtures")
    arguments = parser.parse_args()
    x = test_images(arguments.data)[IMAGES].astype(np.float64) / 255

    for name, sizes, dtype, seed in FIXTURES:
        rng = np.random.default_rng(seed)
        tensors = {}
        for index, (inputs, outputs) in enumerate(zip(sizes, sizes[1:])):
            tensors[f"{2 * index}.weight"] = (rng.standard_normal((outputs, inputs)) * np.sqrt(2 / inputs)).astype(dtype)
            tensors[f"{2 * index}.bias"] = (rng.standard_normal(outputs) * 0.1).astype(dtype)
        save_file(tensors, str(arguments.output / f"{name}.safetensors"))
        # The outputs of the weights as stored (rounded to the dtype), computed in float64.
        layers = [(tensors[f"{2 * i}.weight"].astype(np.float64), tensors[f"{2 * i}.bias"].astype(np.float64))
                  for i in range(len(sizes) - 1)]
        probabilities = forward(layers, x)
        expected = {"layers": sizes, "dtype": np.dtype(dtype).name, "test_images": IMAGES,
                    "probabilities": [[round(float(p), 9) for p in row] for row in probabilities]}
        (arguments.output / f"{name}.expected.json").write_text(json.dumps(expected, indent=1) + "\n")
        print(f"{name}: layers {sizes}, {np.dtype(dtype).name}, "
              f"predictions {probabilities.argmax(axis=1).tolist()}")


if __name__ == "__main__":
    main()
