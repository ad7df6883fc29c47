#!/usr/bin/env python3
"""Write a second stand-in "user's hand" from real handwriting by writers MNIST never had.

The source is scikit-learn's bundled digits (sklearn.datasets.load_digits): 1,797 digits of the
test split of the UCI "Optical Recognition of Handwritten Digits" set, made at Bogazici
University (E. Alpaydin and C. Kaynak, 1998) from preprinted forms filled in by 43 people: 30 of
them wrote the UCI training split and 13 others the test split that scikit-learn ships, so these
are 13 people's digits. The set's description credits NIST only with the programs that cut the
digits out of those forms; it does not draw on NIST's databases, from which MNIST's writers came
(Special Databases 1 and 3), so these writers are, as far as it tells, not MNIST's.

The digits are coarse: each was scanned as a 32x32 bitmap, size-normalised by NIST's programs,
and reduced to 8x8 by counting the ink pixels in every 4x4 block (0 to 16). So an image here is
that 8x8 grid of ink densities, given one empty cell of margin on every side and upscaled
smoothly (bicubic) to 80x80, with the density turned into dark ink on light, slightly uneven
paper with a little noise, as a scan or a cropped phone photo of a note would be. The strokes are
therefore soft and blurred: the shapes are real people's, the pen and the resolution are not.
mnist-predict's preprocessing crops the ink and scales it to MNIST's 20-pixel box as usual
(check with mnist-predict --save-preprocessed).

Three folders, each DIR/<digit>/<index>.png with COUNT digits per class, drawn at random (seeded)
without overlap; the index is the digit's position in load_digits:
  teach/  what mnist-train --images-dir learns from
  tune/   held out to choose the fine-tuning defaults
  score/  held out to report the result (chooses nothing)

The folders share the same 13 writers (the set does not say who wrote which digit), which is the
situation of a person teaching the model their own hand. Needs scikit-learn, NumPy and Pillow; the
project's tests do not use this script.
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image


def scan(cells, rng, size):
    """One 8x8 grid of ink counts (0-16) as a size x size PNG-ready image: dark ink, light paper."""
    density = np.pad(cells.astype(np.float32) / 16, 1)  # 10x10: a cell of paper around the digit
    big = np.array(Image.fromarray(density, "F").resize((size, size), Image.BICUBIC), dtype=np.float32)
    ink = np.clip(big, 0, 1)
    paper = float(rng.uniform(200, 235))
    dark = float(rng.uniform(25, 60))
    # Light falling across the page: the paper brightens by up to 15 levels from one side.
    gradient = np.linspace(0, float(rng.uniform(0, 15)), size, dtype=np.float32)
    lighting = gradient[None, :] if rng.random() < 0.5 else gradient[:, None]
    pixels = paper + lighting - (paper - dark) * ink + rng.normal(0, 3, ink.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="directory to write teach/, tune/ and score/ into")
    parser.add_argument("--count", type=int, default=20, help="digits per class in each folder (default 20)")
    parser.add_argument("--size", type=int, default=80, help="side of each image in pixels (default 80)")
    parser.add_argument("--seed", type=int, default=19, help="seed for the split and the paper (default 19)")
    args = parser.parse_args()

    try:
        from sklearn.datasets import load_digits
    except ImportError:
        sys.exit("this script needs scikit-learn: pip install scikit-learn")
    digits = load_digits()
    rng = np.random.default_rng(args.seed)
    folders = ["teach", "tune", "score"]
    for label in range(10):
        indices = np.flatnonzero(digits.target == label)
        wanted = args.count * len(folders)
        if len(indices) < wanted:
            sys.exit(f"class {label} has {len(indices)} digits, fewer than {wanted} ({args.count} for each folder)")
        chosen = rng.permutation(indices)[:wanted]
        for slot, folder in enumerate(folders):
            directory = os.path.join(args.output, folder, str(label))
            os.makedirs(directory, exist_ok=True)
            for index in chosen[slot * args.count:(slot + 1) * args.count]:
                image = scan(digits.images[index], rng, args.size)
                image.save(os.path.join(directory, f"{index:04d}.png"))
    print(f"{args.output}: teach/, tune/, score/ with {args.count} digits per class each, from load_digits")


if __name__ == "__main__":
    main()
