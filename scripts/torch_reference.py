#!/usr/bin/env python3
"""Time PyTorch (eager, CPU) training the same network as mnist-swift, for scripts/bench.

The network is given in mnist-swift's grammar (--layers, e.g. 1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10)
and built as the nn.Sequential that `mnist-model pytorch` prints. Training is AdamW on MNIST's
training images (pixel / 255), batches of --batch-size, shuffled, --threads threads; the script prints
one JSON line per repeat: {"name": "torch_train_epoch", "seconds_per_epoch": ..., "samples": ...}.

    pip install torch numpy
    scripts/torch_reference.py --layers 1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10 --samples 12000
"""

import argparse
import gzip
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

REPOSITORY = Path(__file__).resolve().parent.parent


def build(grammar: str) -> nn.Sequential:
    """The modules mnist-swift's grammar describes: ReLU after every conv and dense layer but the
    last (after its BN when one follows), Flatten before the first dense layer, no bias before BN."""
    tokens = [t.strip().upper() for t in grammar.split(",")]
    dims = [int(d) for d in tokens[0].lower().split("x")]
    shape = dims if len(dims) == 3 else ([1] + dims if len(dims) == 2 else [dims[0]])
    weighted = [i for i, t in enumerate(tokens) if i > 0 and (t.isdigit() or "C" in t and not t.startswith("MP"))]
    modules, i = [], 1
    while i < len(tokens):
        token = tokens[i]
        normalized = i + 1 < len(tokens) and tokens[i + 1] == "BN"
        if token.startswith("MP"):
            size = int(token[2:])
            modules.append(nn.MaxPool2d(size))
            shape = [shape[0], shape[1] // size, shape[2] // size]
        elif token == "BN":
            modules.append(nn.BatchNorm2d(shape[0]) if len(shape) == 3 else nn.BatchNorm1d(shape[0]))
        elif token.startswith("D"):
            modules.append(nn.Dropout(float(token[1:])))
        elif token.isdigit():
            if len(shape) == 3:
                modules.append(nn.Flatten())
                shape = [shape[0] * shape[1] * shape[2]]
            modules.append(nn.Linear(shape[0], int(token), bias=not normalized))
            shape = [int(token)]
        else:
            channels, rest = token.split("C")
            fields, letter, digits = {}, "C", ""
            for ch in rest + "$":
                if ch.isdigit():
                    digits += ch
                else:
                    fields[letter], letter, digits = int(digits), ch, ""
            k, s = fields["C"], fields.get("S", 1)
            p = fields.get("P", k // 2)
            modules.append(nn.Conv2d(shape[0], int(channels), k, stride=s, padding=p, bias=not normalized))
            shape = [int(channels), (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        if i in weighted:
            if normalized:
                modules.append(nn.BatchNorm2d(shape[0]) if len(shape) == 3 else nn.BatchNorm1d(shape[0]))
                i += 1
            if i < weighted[-1]:
                modules.append(nn.ReLU())
        i += 1
    return nn.Sequential(*modules)


def images(path: Path) -> np.ndarray:
    data = gzip.decompress(path.read_bytes())
    count, rows, columns = (int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(data[16:], dtype=np.uint8).reshape(count, rows * columns)


def labels(path: Path) -> np.ndarray:
    return np.frombuffer(gzip.decompress(path.read_bytes())[8:], dtype=np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10")
    parser.add_argument("--data", type=Path, default=REPOSITORY / "data/mnist")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--samples", type=int, default=60000, help="training samples per timed pass")
    parser.add_argument("--repeats", type=int, default=1)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(42)
    model = build(arguments.layers)
    shape = [int(d) for d in arguments.layers.split(",")[0].lower().split("x")]
    shape = shape if len(shape) == 3 else ([1] + shape if len(shape) == 2 else shape)
    x = torch.from_numpy(images(arguments.data / "train-images-idx3-ubyte.gz")[: arguments.samples].astype(np.float32) / 255)
    x = x.reshape([-1] + shape)
    y = torch.from_numpy(labels(arguments.data / "train-labels-idx1-ubyte.gz")[: arguments.samples].astype(np.int64))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    model.train()
    for _ in range(arguments.repeats):
        order = torch.randperm(len(x))
        start = time.perf_counter()
        for first in range(0, len(x), arguments.batch_size):
            batch = order[first: first + arguments.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        print(json.dumps({"name": "torch_train_epoch", "layers": arguments.layers, "batch_size": arguments.batch_size,
                          "threads": arguments.threads, "samples": len(x), "seconds": seconds,
                          "seconds_per_epoch": seconds * 60000 / len(x)}), flush=True)


if __name__ == "__main__":
    main()
