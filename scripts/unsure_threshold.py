#!/usr/bin/env python3
"""How an "unsure" threshold on mnist-serve's confidence splits real digits from things that are
not one digit, measured on the validation split, never the test set.

Usage: scripts/unsure_threshold.py [--model PATH] [--predict BIN] [--validation N] [--seed S]
                                   [--thresholds 0.5,0.6,...] [--work DIR]

The validation digits are the N training images mnist-train held out with seed S (the same
shuffle: SplitMix64-seeded xoshiro256**, Fisher-Yates with Lemire's bounded integers), written as
28×28 PNGs and read with mnist-predict --raw. The non-digits are drawn as the page sends them
(scripts/digit_strokes.py's pen, 16 pad pixels): a dot, an X, "23", scribbles, a line, a box, a
star and others. Prints, for each threshold, the share of validation digits flagged (and of its
mistakes), the drawn digits flagged (scripts/pen_strokes.py's ten digits at three sizes), and
which non-digits are caught. Needs Pillow.
"""
import argparse
import gzip
import json
import math
import os
import subprocess
import sys
import tempfile

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from digit_strokes import DIGITS, arc  # noqa: E402
from pen_strokes import render  # noqa: E402

MASK = (1 << 64) - 1


class SeededGenerator:
    """NeuralNet's SeededGenerator: xoshiro256** seeded through SplitMix64."""

    def __init__(self, seed):
        words = []
        for _ in range(4):
            seed = (seed + 0x9E3779B97F4A7C15) & MASK
            z = seed
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            words.append(z ^ (z >> 31))
        self.w = words

    def next(self):
        w = self.w
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK
        result = (rotl((w[1] * 5) & MASK, 7) * 9) & MASK
        t = (w[1] << 17) & MASK
        w[2] ^= w[0]
        w[3] ^= w[1]
        w[1] ^= w[2]
        w[0] ^= w[3]
        w[2] ^= t
        w[3] = rotl(w[3], 45)
        return result

    def next_int(self, bound):
        product = self.next() * bound
        if product & MASK < bound:
            threshold = ((-bound) & MASK) % bound
            while product & MASK < threshold:
                product = self.next() * bound
        return product >> 64


def held_out(count, total, seed):
    """Indices of the images Dataset.holdingOut(count, seed:) holds out, in order."""
    generator = SeededGenerator(seed)
    order = list(range(total))
    for i in range(total - 1, 0, -1):
        j = generator.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return sorted(order[:count])


# Things that are not one digit, as unit-square strokes.
NON_DIGITS = {
    "dot": [[(0.5, 0.5)]],
    "X": [[(0.2, 0.1), (0.8, 0.9)], [(0.8, 0.1), (0.2, 0.9)]],
    "23": [[(x * 0.5, y) for x, y in DIGITS[2][0]], [(0.5 + x * 0.5, y) for x, y in DIGITS[3][0]]],
    "scribble": [[(0.2 + 0.6 * (0.5 + 0.5 * math.sin(2.3 * t)), 0.1 + 0.8 * (0.5 + 0.5 * math.sin(3.1 * t + 1)))
                  for t in [i / 8 for i in range(80)]]],
    "horizontal line": [[(0.1, 0.5), (0.9, 0.5)]],
    "box": [[(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8), (0.2, 0.2)]],
    "plus": [[(0.5, 0.1), (0.5, 0.9)], [(0.1, 0.5), (0.9, 0.5)]],
    "star": [[(0.5, 0.05), (0.68, 0.95), (0.05, 0.38), (0.95, 0.38), (0.32, 0.95), (0.5, 0.05)]],
    "spiral": [[(0.5 + 0.04 * t * math.cos(t), 0.5 + 0.04 * t * math.sin(t)) for t in [i / 4 for i in range(45)]]],
    "11": [[(0.3, 0.05), (0.3, 0.95)], [(0.7, 0.05), (0.7, 0.95)]],
    "A": [[(0.15, 0.95), (0.5, 0.05), (0.85, 0.95)], [(0.3, 0.6), (0.7, 0.6)]],
    "smiley": [arc(0.5, 0.5, 0.4, 0.4, 0, 360, 36), [(0.35, 0.35)], [(0.65, 0.35)], arc(0.5, 0.5, 0.22, 0.2, 20, 160, 12)],
    "hash": [[(0.35, 0.1), (0.3, 0.9)], [(0.7, 0.1), (0.65, 0.9)], [(0.1, 0.35), (0.9, 0.35)], [(0.1, 0.65), (0.9, 0.65)]],
    "wave": [[(0.05 + 0.9 * i / 40, 0.5 + 0.2 * math.sin(i / 40 * 4 * math.pi)) for i in range(41)]],
}


def idx(path):
    with gzip.open(path) as file:
        data = file.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return shape, data[4 + 4 * dims:]


def predict(binary, model, folder, raw):
    run = subprocess.run([binary, "--model", model, "--json"] + (["--raw"] if raw else []) + [folder],
                         capture_output=True, text=True)
    return {os.path.basename(r["file"]): r for r in map(json.loads, run.stdout.splitlines())}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="model.safetensors")
    parser.add_argument("--predict", default=os.path.join(ROOT, ".build", "release", "mnist-predict"))
    parser.add_argument("--validation", type=int, default=5000, help="images held out (--recipe small: 5000)")
    parser.add_argument("--seed", type=int, default=42, help="mnist-train's --seed (default 42)")
    parser.add_argument("--thresholds", default="0.5,0.6,0.7,0.8,0.85,0.9,0.95,0.97,0.99")
    parser.add_argument("--work", help="directory for the PNG files (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="mnist-unsure-")
    folders = {name: os.path.join(work, name) for name in ("validation", "drawn", "other")}
    for folder in folders.values():
        os.makedirs(folder, exist_ok=True)

    (total, rows, cols), pixels = idx(os.path.join(ROOT, "data", "mnist", "train-images-idx3-ubyte.gz"))
    _, labels = idx(os.path.join(ROOT, "data", "mnist", "train-labels-idx1-ubyte.gz"))
    truth = {}
    for index in held_out(args.validation, total, args.seed):
        name = f"{index:05d}.png"
        Image.frombytes("L", (cols, rows), pixels[index * rows * cols:(index + 1) * rows * cols]).save(
            os.path.join(folders["validation"], name))
        truth[name] = labels[index]
    drawn_truth = {}
    for size in (60, 150, 300):
        for digit, strokes in enumerate(DIGITS):
            name = f"{size}-{digit}.png"
            render(strokes, 200 - size / 2, 200 - size / 2, size, min(16, max(2, 0.1 * size))).save(
                os.path.join(folders["drawn"], name))
            drawn_truth[name] = digit
    for name, strokes in NON_DIGITS.items():
        render(strokes, 60, 50, 300, 16).save(os.path.join(folders["other"], name + ".png"))

    validation = predict(args.predict, args.model, folders["validation"], raw=True)
    drawn = predict(args.predict, args.model, folders["drawn"], raw=False)
    other = predict(args.predict, args.model, folders["other"], raw=False)
    mistakes = [name for name, r in validation.items() if r["digit"] != truth[name]]
    print(f"validation: {len(validation)} held-out digits (seed {args.seed}), accuracy "
          f"{100 * (1 - len(mistakes) / len(validation)):.2f}%; drawn: {len(drawn)}; non-digits: {len(other)}")
    print("non-digits as read: " + ", ".join(f"{n} {other[n + '.png'].get('digit', '-')} "
                                               f"{100 * other[n + '.png'].get('confidence', 0):.1f}%" for n in NON_DIGITS))
    print(f"{'below':>6} {'valid. flagged':>15} {'its mistakes flagged':>21} {'drawn flagged':>14} {'non-digits caught':>18}  caught")
    for threshold in map(float, args.thresholds.split(",")):
        flagged = [n for n, r in validation.items() if r["confidence"] < threshold]
        flagged_mistakes = [n for n in mistakes if validation[n]["confidence"] < threshold]
        drawn_flagged = [n for n, r in drawn.items() if r.get("confidence", 0) < threshold]
        caught = [n for n in NON_DIGITS if other[n + ".png"].get("confidence", 0) < threshold]
        print(f"{threshold:>6g} {len(flagged):>6} ({100 * len(flagged) / len(validation):4.1f}%) "
              f"{len(flagged_mistakes):>10}/{len(mistakes):<3} {len(flagged_mistakes) and 100 * len(flagged_mistakes) / len(mistakes):5.1f}% "
              f"{len(drawn_flagged):>7}/{len(drawn):<4} {len(caught):>10}/{len(NON_DIGITS):<5}  {', '.join(caught)}")


if __name__ == "__main__":
    main()
