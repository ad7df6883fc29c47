#!/usr/bin/env python3
"""Write MNIST test digits as PNG files in the forms people actually have, for mnist-predict.

Usage: scripts/make_png_fixtures.py OUTPUT_DIR [--count N] [--start K] [--data DIR] [--seed S] [--split SPLIT]

Reads data/mnist/t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (with --split train, the
training pair: a validation set for choosing preprocessing thresholds, e.g. --start 55000 with a
model trained with --limit 55000) and writes, for digits K … K+N−1, one sub-directory per form:

  grey28        8-bit grey 28×28, exactly the IDX bytes (MNIST form: white ink on black)
  inverted_rgb  RGB 28×28, black ink on white
  rgba112       RGBA 112×112, black ink whose alpha is the ink level, on a transparent background
  grey16_interlaced  16-bit grey 56×56, Adam7-interlaced, white on black
  palette       8-bit palette 28×28, dark blue ink on cream paper made transparent by tRNS
  bilevel       1-bit 84×84, black ink on white (thresholded)
  offcentre     8-bit grey 200×150 white canvas, dark ink placed off-centre, upscaled 2×
  noisy_rotated 8-bit grey 96×96 grey paper with Gaussian noise, dark ink, rotated by ±10°
  photo         8-bit grey 120×120 photographed note: paper lit unevenly (a linear gradient from
                about 250 down to about 150 across the page in a random direction, and in half the
                images a soft elliptical shadow), Gaussian noise, dark ink placed off-centre

Files are named NNNNN.png (the index in the split); labels.csv beside them holds index,label.
Requires Python 3 with Pillow and NumPy.
"""
import argparse
import gzip
import os
import sys

import numpy as np
from PIL import Image

FORMS = ["grey28", "inverted_rgb", "rgba112", "grey16_interlaced", "palette", "bilevel",
         "offcentre", "noisy_rotated", "photo"]

# Forms after this many draw from their own generators (seeded from --seed and their name), so that
# adding a form leaves the earlier forms' files byte-for-byte as they were.
SHARED_RNG_FORMS = 8


def read_idx(path, expected_rank):
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 8 or data[3] != expected_rank:
        sys.exit(f"{path}: not an IDX file of unsigned bytes with {expected_rank} dimensions")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(expected_rank)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * expected_rank)
    return body.reshape(dims)


def grey28(ink, rng):
    return Image.fromarray(ink, "L"), {}


def inverted_rgb(ink, rng):
    paper = 255 - ink
    return Image.fromarray(np.stack([paper] * 3, axis=-1), "RGB"), {}


def rgba112(ink, rng):
    big = np.array(Image.fromarray(ink, "L").resize((112, 112), Image.BICUBIC))
    rgba = np.zeros((112, 112, 4), dtype=np.uint8)
    rgba[..., 3] = big  # black ink, opacity = ink level; fully transparent elsewhere
    return Image.fromarray(rgba, "RGBA"), {}


def grey16_interlaced(ink, rng):
    big = np.array(Image.fromarray(ink, "L").resize((56, 56), Image.BICUBIC)).astype(np.uint16) * 257
    # Pillow writes I;16 images as 16-bit grey PNGs; `interlace` is not supported by its writer,
    # so the file is re-encoded below through a tiny Adam7 writer.
    return big, {"interlaced16": True}


def palette(ink, rng):
    paper = np.array([245, 238, 220], dtype=np.float64)
    ink_colour = np.array([20, 30, 110], dtype=np.float64)
    t = (ink.astype(np.float64) / 255)[..., None]
    rgb = (paper * (1 - t) + ink_colour * t).round().astype(np.uint8)
    img = Image.fromarray(rgb, "RGB").quantize(colors=64, method=Image.MEDIANCUT, dither=Image.Dither.NONE)
    # A tRNS chunk making the paper's entry (the most common one) fully transparent.
    paper_index = int(np.bincount(np.array(img).ravel()).argmax())
    return img, {"transparency": paper_index}


def bilevel(ink, rng):
    big = np.array(Image.fromarray(ink, "L").resize((84, 84), Image.BICUBIC))
    return Image.fromarray(np.where(big > 100, 0, 255).astype(np.uint8), "L").convert("1"), {}


def offcentre(ink, rng):
    canvas = np.full((150, 200), 255, dtype=np.uint8)
    big = np.array(Image.fromarray(255 - ink, "L").resize((56, 56), Image.BICUBIC))
    x = int(rng.integers(5, 200 - 56 - 5))
    y = int(rng.integers(5, 150 - 56 - 5))
    canvas[y:y + 56, x:x + 56] = big
    return Image.fromarray(canvas, "L"), {}


def noisy_rotated(ink, rng):
    paper = float(rng.uniform(150, 200))
    ink_level = float(rng.uniform(20, 60))
    big = np.array(Image.fromarray(ink, "L").resize((84, 84), Image.BICUBIC)).astype(np.float64) / 255
    angle = float(rng.uniform(-10, 10))
    rotated = np.array(Image.fromarray((big * 255).astype(np.uint8), "L").rotate(angle, Image.BILINEAR)) / 255
    canvas = np.zeros((96, 96))
    canvas[6:90, 6:90] = rotated
    grey = paper * (1 - canvas) + ink_level * canvas + rng.normal(0, 8, canvas.shape)
    return Image.fromarray(np.clip(grey, 0, 255).round().astype(np.uint8), "L"), {}


def photo(ink, rng):
    side = 120
    ys, xs = np.mgrid[0:side, 0:side].astype(np.float64)
    # Light falls off linearly across the page, from `bright` to `dark`, in a random direction.
    angle = float(rng.uniform(0, 2 * np.pi))
    bright, dark = float(rng.uniform(235, 255)), float(rng.uniform(140, 165))
    along = (xs - side / 2) * np.cos(angle) + (ys - side / 2) * np.sin(angle)
    along = (along - along.min()) / (along.max() - along.min())
    paper = bright + (dark - bright) * along
    if rng.random() < 0.5:
        # A soft elliptical shadow (a hand or a phone) darkening the paper by up to 35%.
        cx, cy = rng.uniform(0, side, 2)
        rx, ry = rng.uniform(30, 70, 2)
        depth = float(rng.uniform(0.15, 0.35))
        r = np.sqrt(((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2)
        paper *= 1 - depth * np.clip(1.5 - r, 0, 1)  # full depth inside r ≤ 0.5, gone by r = 1.5
    # The ink absorbs most of the light falling on it, so it darkens with the paper.
    ink_fraction = float(rng.uniform(0.1, 0.3))
    size = int(rng.integers(56, 71))
    big = np.array(Image.fromarray(ink, "L").resize((size, size), Image.BICUBIC)).astype(np.float64) / 255
    x = int(rng.integers(4, side - size - 4))
    y = int(rng.integers(4, side - size - 4))
    t = np.zeros((side, side))
    t[y:y + size, x:x + size] = big
    grey = paper * (1 - t * (1 - ink_fraction)) + rng.normal(0, 4, t.shape)
    return Image.fromarray(np.clip(grey, 0, 255).round().astype(np.uint8), "L"), {}


def write_png_16bit_interlaced(path, pixels):
    """A 16-bit greyscale Adam7 PNG from a 2-D uint16 array (Pillow cannot interlace)."""
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    h, w = pixels.shape
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        sub = pixels[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        for row in sub:
            raw.append(0)
            raw += row.astype(">u2").tobytes()
    header = struct.pack(">IIBBBBB", w, h, 16, 0, 0, 0, 1)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="directory to write the forms into")
    parser.add_argument("--count", type=int, default=1000, help="how many test digits (default 1000)")
    parser.add_argument("--start", type=int, default=0, help="first test-set index (default 0)")
    parser.add_argument("--data", default=os.path.join(root, "data", "mnist"), help="MNIST directory")
    parser.add_argument("--seed", type=int, default=7, help="seed for placement, rotation and noise")
    parser.add_argument("--split", choices=["test", "train"], default="test",
                        help="which MNIST set the digits come from (default test; train to choose thresholds)")
    parser.add_argument("--forms", default=",".join(FORMS), help="comma-separated subset of: " + ", ".join(FORMS))
    args = parser.parse_args()

    prefix = "t10k" if args.split == "test" else "train"
    images = read_idx(os.path.join(args.data, f"{prefix}-images-idx3-ubyte.gz"), 3)
    labels = read_idx(os.path.join(args.data, f"{prefix}-labels-idx1-ubyte.gz"), 1)
    if not 0 <= args.start < len(images) or args.count <= 0:
        sys.exit(f"--start must be in 0..{len(images) - 1} and --count positive")
    indices = range(args.start, min(args.start + args.count, len(images)))
    rng = np.random.default_rng(args.seed)
    makers = {name: globals()[name] for name in FORMS}
    for form in args.forms.split(","):
        if form not in makers:
            sys.exit(f"unknown form {form!r}; forms: {', '.join(FORMS)}")
        own = FORMS.index(form) >= SHARED_RNG_FORMS
        form_rng = np.random.default_rng([args.seed, FORMS.index(form)]) if own else rng
        directory = os.path.join(args.output, form)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "labels.csv"), "w") as f:
            f.write("index,label\n")
            for i in indices:
                image, options = makers[form](images[i], form_rng)
                path = os.path.join(directory, f"{i:05d}.png")
                if options.pop("interlaced16", False):
                    write_png_16bit_interlaced(path, image)
                else:
                    image.save(path, **options)
                f.write(f"{i},{labels[i]}\n")
        print(f"{directory}: {len(indices)} images")


if __name__ == "__main__":
    main()
