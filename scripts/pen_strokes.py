#!/usr/bin/env python3
"""Confidence of mnist-predict on digits drawn as a user draws them on a 400×400 pad: dark
strokes of a given pen width on white, anti-aliased, at three placements (large and centred,
small, in a corner).

Usage: scripts/pen_strokes.py [--model PATH] [--predict BIN] [--pens 4,8,16,24] [--work DIR]
                              [--sizes 30,40,50] [--pen-fractions 0.1,0.15]

--sizes replaces the three placements with digits of those heights (pad pixels), centred.
--pen-fractions adds pens drawn as the page sends a drawing: min(pen, max(2, F × the drawing's
larger side)) for each pen of --pens, shown as "16@F".

The digits are polylines (scripts/digit_strokes.py), rendered with Pillow at 4× and reduced with
a box filter, as a browser canvas anti-aliases. Prints, per placement and pen width, how many of
the ten digits were read right and their mean confidence in the true digit, then the 0 alone
(the issue's example). Needs Pillow.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from digit_strokes import DIGITS  # noqa: E402

PAD = 400
SUPERSAMPLE = 4
# (name, left, top, size) of the box the digit's unit square is drawn into, in pad pixels.
PLACEMENTS = [
    ("large", 60, 50, 300),
    ("small", 170, 170, 60),
    ("corner", 10, 10, 90),
]


def render(strokes, left, top, size, pen):
    """The digit as a white-paper PNG image, strokes `pen` pixels wide, anti-aliased."""
    scale = SUPERSAMPLE
    image = Image.new("L", (PAD * scale, PAD * scale), 255)
    draw = ImageDraw.Draw(image)
    radius = pen * scale / 2
    for stroke in strokes:
        points = [((left + x * size) * scale, (top + y * size) * scale) for x, y in stroke]
        draw.line(points, fill=0, width=max(1, round(pen * scale)), joint="curve")
        for px, py in points:  # round caps and joins, as a canvas with lineCap "round" draws
            draw.ellipse((px - radius, py - radius, px + radius, py + radius), fill=0)
    return image.resize((PAD, PAD), Image.Resampling.BOX)


def drawing_size(strokes, size):
    """The larger side of the box around the strokes' centre lines, in pad pixels, as the page
    measures it."""
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    return max(max(xs) - min(xs), max(ys) - min(ys)) * size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="model.safetensors", help="model file from mnist-train")
    parser.add_argument("--predict", default=os.path.join(ROOT, ".build", "release", "mnist-predict"),
                        help="the mnist-predict binary (default: .build/release/mnist-predict)")
    parser.add_argument("--pens", default="4,8,16,24", help="pen widths in pad pixels (default 4,8,16,24)")
    parser.add_argument("--work", help="directory for the PNG files (default: a temporary one)")
    parser.add_argument("--sizes", help="digit heights in pad pixels, centred, instead of the three placements")
    parser.add_argument("--pen-fractions", help="also pens in proportion to the drawing, as the page sends it")
    args = parser.parse_args()
    placements = PLACEMENTS
    if args.sizes:
        placements = [(f"{size}px", PAD / 2 - int(size) / 2, PAD / 2 - int(size) / 2, int(size)) for size in args.sizes.split(",")]
    base_pens = [float(p) for p in args.pens.split(",")]
    # A pen is (label, width for a digit of these strokes at this size).
    pens = [(f"{pen:g}", lambda strokes, size, pen=pen: pen) for pen in base_pens]
    for fraction in (args.pen_fractions.split(",") if args.pen_fractions else []):
        for pen in base_pens:
            pens.append((f"{pen:g}@{fraction}", lambda strokes, size, pen=pen, f=float(fraction):
                         min(pen, max(2, f * drawing_size(strokes, size)))))
    work = args.work or tempfile.mkdtemp(prefix="mnist-pen-strokes-")
    os.makedirs(work, exist_ok=True)

    expected = {}
    for name, left, top, size in placements:
        for pen, width in pens:
            for digit, strokes in enumerate(DIGITS):
                file = f"{name}-pen{pen}-{digit}.png"
                render(strokes, left, top, size, width(strokes, size)).save(os.path.join(work, file))
                expected[file] = (name, pen, digit)

    run = subprocess.run([args.predict, "--model", args.model, "--json", work], capture_output=True, text=True)
    results = [json.loads(line) for line in run.stdout.splitlines()]
    table = {}
    zero = {}
    for result in results:
        name, pen, digit = expected[os.path.basename(result["file"])]
        right, confidence = 0, 0.0
        if "probabilities" in result:
            right = int(result["digit"] == digit)
            confidence = result["probabilities"][digit]
        cell = table.setdefault((name, pen), [0, 0.0])
        cell[0] += right
        cell[1] += confidence / len(DIGITS)
        if digit == 0:
            zero[(name, pen)] = confidence

    print(f"{'placement':<10} {'pen':>8} {'right':>6} {'mean p(true)':>13} {'p(0) for the 0':>15}")
    for name, _, _, _ in placements:
        for pen, _ in pens:
            right, confidence = table[(name, pen)]
            print(f"{name:<10} {pen:>8} {right:>3}/{len(DIGITS)} {100 * confidence:>12.1f}% {100 * zero[(name, pen)]:>14.1f}%")


if __name__ == "__main__":
    main()
