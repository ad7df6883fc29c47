#!/usr/bin/env python3
"""Check `mnist-model pytorch MODEL` against mnist-swift itself, on the MNIST test set.

Runs the generated module, loads MODEL into it strictly, and compares model.eval()'s softmax on the
10,000 test images with the probabilities of
`mnist-predict --raw --json` over the test images written as 28x28 PNGs (a folder made by
`scripts/make_png_fixtures.py DIR --count 10000 --forms grey28`), file by file. Prints the largest
difference and the number of differing classes; exits 1 if any probability differs by more than
--tolerance (1e-4).

    pip install torch safetensors numpy
    scripts/check_pytorch_export.py MODEL --predictions predictions.jsonl
"""

import argparse
import gzip
import json
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import torch

REPOSITORY = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--tool", type=Path, default=REPOSITORY / ".build/release/mnist-model")
    parser.add_argument("--predictions", type=Path, required=True,
                        help="mnist-predict --raw --json output over files named NNNNN.png (test-set indices)")
    parser.add_argument("--data", type=Path, default=REPOSITORY / "data/mnist")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    arguments = parser.parse_args()

    source = subprocess.run([str(arguments.tool), "pytorch", str(arguments.model)], check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("exported")
    exec(compile(source, "exported.py", "exec"), module.__dict__)
    model = module.load(str(arguments.model))

    data = gzip.decompress((arguments.data / "t10k-images-idx3-ubyte.gz").read_bytes())
    images = np.frombuffer(data[16:], dtype=np.uint8).reshape(-1, 784).astype(np.float32) / 255
    first = next(iter(model.parameters()))
    shape = [-1, 1, 28, 28] if isinstance(model[0], torch.nn.Conv2d) else [-1, 784]
    with torch.no_grad():
        probabilities = torch.softmax(model(torch.from_numpy(images).reshape(shape).to(first.dtype)), dim=1).numpy()

    worst, classes, compared = 0.0, 0, 0
    for line in arguments.predictions.read_text().splitlines():
        answer = json.loads(line)
        if "probabilities" not in answer:
            continue
        index = int(Path(answer["file"]).stem.split("-")[-1])
        ours = np.array(answer["probabilities"], dtype=np.float64)
        worst = max(worst, float(np.abs(ours - probabilities[index]).max()))
        classes += int(answer["digit"] != int(probabilities[index].argmax()))
        compared += 1
    print(f"{compared} images: largest probability difference {worst:.2e}, {classes} classes differ")
    sys.exit(0 if compared > 0 and worst <= arguments.tolerance and classes == 0 else 1)


if __name__ == "__main__":
    main()
