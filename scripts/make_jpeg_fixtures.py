#!/usr/bin/env python3
"""Write the small JPEG files the tests and the JPEG fuzzer start from (committed; rerun to remake).

Usage: scripts/make_jpeg_fixtures.py

Writes, from a fixed pattern and from MNIST test digits (data/mnist):
  Tests/MNISTTests/Fixtures/jpeg/   the decoder's cases:
      pattern.png          the 24×16 grey pattern every JPEG below encodes (lossless reference)
      grey.jpg             8-bit greyscale, baseline
      rgb.jpg              colour (YCbCr, 4:2:0) of a pattern whose luma is the reference
      progressive.jpg      the colour file, progressive
      cmyk.jpg             CMYK (Adobe marker, inverted inks, as Pillow and Photoshop write it)
      orientation-N.jpg    for N = 1 … 8: stored so that Exif orientation N shows the pattern upright
      offcentre-K.png/.jpg for K = 0, 1, 2: test digit K, dark ink enlarged 2× on a 200×150 white
                           canvas, off-centre (the offcentre form of make_png_fixtures.py), as
                           PNG and as a quality-90 JPEG: the JPEG's ringing must not change the
                           preprocessed digit
  Tests/CLITests/Fixtures/  whole digits for end-to-end runs:
      seven.jpg            test digit 0 (a 7), black on white, 84×84, quality 90
      seven-sideways.jpg   the same stored turned 90° anticlockwise, with Exif orientation 6
  Fuzz/corpus/jpeg/        seeds: a few of the above, a truncated copy, a text file

Requires Python 3 with Pillow and NumPy.
"""
import gzip
import os

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DECODER = os.path.join(ROOT, "Tests", "MNISTTests", "Fixtures", "jpeg")
CLI = os.path.join(ROOT, "Tests", "CLITests", "Fixtures")
SEEDS = os.path.join(ROOT, "Fuzz", "corpus", "jpeg")

# How to store an upright image so that a viewer applying Exif orientation N shows it upright:
# the inverse of the transform the orientation names (Pillow's rotations are anticlockwise).
STORE = {
    1: [],
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_90],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_270],
}


def pattern():
    """24×16 grey blocks, no symmetry: every turn and mirror of it differs."""
    levels = np.full((16, 24), 230, dtype=np.uint8)
    levels[0:8, 0:8] = 20      # dark top-left block
    levels[0:8, 16:24] = 120   # mid-grey top-right block
    levels[8:16, 8:16] = 70    # darker block bottom-middle
    return levels


def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def main():
    for folder in (DECODER, CLI, SEEDS):
        os.makedirs(folder, exist_ok=True)
    grey = Image.fromarray(pattern(), "L")
    grey.save(os.path.join(DECODER, "pattern.png"))
    grey.save(os.path.join(DECODER, "grey.jpg"), quality=95)
    # Colours whose luma (0.299 R + 0.587 G + 0.114 B) is each block's grey level.
    rgb = np.stack([pattern()] * 3, axis=-1).astype(np.int32)
    rgb[0:8, 0:8] = [40, 8, 30]         # luma ≈ 20
    rgb[0:8, 16:24] = [40, 160, 126]    # luma ≈ 120
    colour = Image.fromarray(rgb.astype(np.uint8), "RGB")
    colour.save(os.path.join(DECODER, "rgb.jpg"), quality=95, subsampling="4:2:0")
    colour.save(os.path.join(DECODER, "progressive.jpg"), quality=95, progressive=True)
    # CMYK without black ink: C = 255 − R and so on, then Pillow stores the inks inverted.
    Image.fromarray(np.stack([pattern()] * 3, axis=-1), "RGB").convert("CMYK").save(
        os.path.join(DECODER, "cmyk.jpg"), quality=95)
    for value, steps in STORE.items():
        stored = grey
        for step in steps:
            stored = stored.transpose(step)
        stored.save(os.path.join(DECODER, f"orientation-{value}.jpg"), quality=95, exif=exif_with_orientation(value))

    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte.gz"), "rb") as f:
        digits = np.frombuffer(f.read(), dtype=np.uint8, offset=16, count=3 * 784).reshape(3, 28, 28)
    seven = digits[0]
    for index, (x, y) in enumerate([(17, 71), (128, 9), (75, 47)]):
        canvas = np.full((150, 200), 255, dtype=np.uint8)
        canvas[y:y + 56, x:x + 56] = np.array(Image.fromarray(255 - digits[index], "L").resize((56, 56), Image.BICUBIC))
        offcentre = Image.fromarray(canvas, "L")
        offcentre.save(os.path.join(DECODER, f"offcentre-{index}.png"))
        offcentre.save(os.path.join(DECODER, f"offcentre-{index}.jpg"), quality=90)
    drawn = Image.fromarray(255 - seven, "L").resize((84, 84), Image.BICUBIC)
    drawn.save(os.path.join(CLI, "seven.jpg"), quality=90)
    drawn.transpose(Image.Transpose.ROTATE_90).save(
        os.path.join(CLI, "seven-sideways.jpg"), quality=90, exif=exif_with_orientation(6))

    # Seeds: small and varied; the fuzzer mutates from these.
    for name in ("grey.jpg", "progressive.jpg", "cmyk.jpg", "orientation-6.jpg"):
        with open(os.path.join(DECODER, name), "rb") as source, open(os.path.join(SEEDS, name), "wb") as seed:
            seed.write(source.read())
    with open(os.path.join(CLI, "seven.jpg"), "rb") as f:
        data = f.read()
    with open(os.path.join(SEEDS, "seven.jpg"), "wb") as f:
        f.write(data)
    with open(os.path.join(SEEDS, "truncated.jpg"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(SEEDS, "text.jpg"), "wb") as f:
        f.write(b"not a JPEG, only named like one\n")
    print(f"wrote {DECODER}, {CLI}/seven*.jpg, {SEEDS}")


if __name__ == "__main__":
    main()
