#!/usr/bin/env python3
"""Write a stand-in "user's hand" as labelled PNG folders, for measuring fine-tuning.

Nobody's own handwriting is available here, so this makes a hand that differs from MNIST's in
ways the preprocessing does not undo: MNIST *training* digits (never test digits), slanted
backwards (a left-leaning hand; MNIST's writers mostly lean right), written with a thicker pen,
on grey paper with dark ink, as a phone photo of a note would be after cropping. Each writer
keeps the same slant and pen, with a little variation per digit.

Three folders, each DIR/<digit>/<index>.png with COUNT digits per class, from disjoint digits:
  teach/  what mnist-train --images-dir learns from
  tune/   held out to choose the fine-tuning defaults
  score/  held out to report the result (chooses nothing)

The digits come from training indices START … 59999: train the base model with --limit START
so that it has never seen them.
"""
import argparse
import gzip
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage


def read_idx(path, expected_rank):
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 8 or data[3] != expected_rank:
        sys.exit(f"{path}: not an IDX file of unsigned bytes with {expected_rank} dimensions")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(expected_rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * expected_rank).reshape(dims)


def hand(ink, rng, slant, pen):
    """One digit in the stand-in hand: 96×96, back-slanted, thick, dark ink on grey paper."""
    big = np.array(Image.fromarray(ink, "L").resize((56, 56), Image.BICUBIC), dtype=np.float32) / 255
    big = np.pad(big, 20)  # room for the slant: 96×96
    shear = slant + float(rng.normal(0, 0.05))
    # x' = x + shear·(y − centre): the top of the digit moves left for a positive shear.
    matrix = np.array([[1, 0], [-shear, 1]])
    offset = np.array([0, shear * 48])
    big = ndimage.affine_transform(big, matrix, offset=offset, order=1)
    big = ndimage.grey_dilation(big, size=(pen, pen))
    paper, dark = float(rng.uniform(170, 210)), float(rng.uniform(20, 50))
    pixels = paper - (paper - dark) * np.clip(big, 0, 1) + rng.normal(0, 4, big.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="directory to write teach/, tune/ and score/ into")
    parser.add_argument("--count", type=int, default=20, help="digits per class in each folder (default 20)")
    parser.add_argument("--start", type=int, default=50000, help="first training-set index used (default 50000)")
    parser.add_argument("--slant", type=float, default=0.6, help="backward slant, as a shear (default 0.6)")
    parser.add_argument("--pen", type=int, default=6, help="pen width in pixels of the drawing (digits 56 pixels tall) (default 6)")
    parser.add_argument("--data", default=os.path.join(root, "data", "mnist"), help="MNIST directory")
    parser.add_argument("--seed", type=int, default=19, help="seed for the variation per digit")
    args = parser.parse_args()

    images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"), 3)
    labels = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"), 1)
    rng = np.random.default_rng(args.seed)
    folders = ["teach", "tune", "score"]
    taken = {label: 0 for label in range(10)}
    for index in range(args.start, len(images)):
        label = int(labels[index])
        slot = taken[label] // args.count
        if slot >= len(folders):
            continue
        taken[label] += 1
        directory = os.path.join(args.output, folders[slot], str(label))
        os.makedirs(directory, exist_ok=True)
        hand(images[index], rng, args.slant, args.pen).save(os.path.join(directory, f"{index:05d}.png"))
    short = [label for label, n in taken.items() if n < args.count * len(folders)]
    if short:
        sys.exit(f"not enough digits after index {args.start} for classes {short}")
    print(f"{args.output}: teach/, tune/, score/ with {args.count} digits per class each")


if __name__ == "__main__":
    main()
