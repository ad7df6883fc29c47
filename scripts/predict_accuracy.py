#!/usr/bin/env python3
"""Per-form accuracy of mnist-predict on MNIST test digits written as PNG, against the same model's
accuracy on the IDX test images.

Usage: scripts/predict_accuracy.py [--model PATH] [--count N] [--start K] [--work DIR] [--predict BIN]
                                   [--jpeg QUALITY] [--split test|train]

Writes the PNG forms with scripts/make_png_fixtures.py into DIR (default: a temporary directory),
classifies each form's directory with one mnist-predict --json call, and prints a table: per form,
the accuracy, its difference from the IDX accuracy on the same digits (the grey28 form, exactly the
IDX bytes, classified with --raw, so that any network is measured), and the call's wall time. With --jpeg Q each form is also saved as JPEG at quality
Q (transparency composited over white, 16-bit reduced to 8, as a user converting the file would
get) and classified as FORM.jpg, with its difference from the PNG form. Exits with status 1 if a form is more than 2 points
below the IDX accuracy. Train a model first, e.g.

  swift build -c release --product mnist-train && .build/release/mnist-train -o /tmp/model.safetensors
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stored_test_accuracy(path):
    """The test accuracy a model file from mnist-train records, or None."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    value = header.get("__metadata__", {}).get("test_accuracy")
    return None if value is None else 100 * float(value)


def classify(predict, model, directory, raw=False):
    """mnist-predict --json over `directory`: its answers, and the call's seconds."""
    started = time.monotonic()
    run = subprocess.run([predict, "--model", model, "--json"] + (["--raw"] if raw else []) + [directory],
                         capture_output=True, text=True)
    return [json.loads(line) for line in run.stdout.splitlines()], time.monotonic() - started


def expected_labels(directory):
    with open(os.path.join(directory, "labels.csv")) as f:
        return {f"{int(i):05d}.png": int(label) for i, label in (line.strip().split(",") for line in f.readlines()[1:])}


def accuracy_of(results, expected):
    """Percent of `expected` read right (a JPEG answers for the PNG of the same stem), and errors."""
    correct = sum(1 for r in results
                  if "digit" in r and r["digit"] == expected[os.path.splitext(os.path.basename(r["file"]))[0] + ".png"])
    return 100 * correct / len(expected), sum(1 for r in results if "error" in r)


def write_jpeg_form(source, target, quality):
    """Every PNG of `source` saved as a JPEG of the same name in `target`, with labels.csv."""
    from PIL import Image

    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(source)):
        if not name.endswith(".png"):
            shutil.copy(os.path.join(source, name), os.path.join(target, name))
            continue
        image = Image.open(os.path.join(source, name))
        if image.mode in ("I", "I;16", "I;16B"):
            image = Image.fromarray((np.array(image, dtype=np.float64) / 257).round().astype(np.uint8), "L")
        elif image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
        elif image.mode not in ("L", "RGB"):
            image = image.convert("L")
        image.save(os.path.join(target, name[:-4] + ".jpg"), quality=quality)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="model.safetensors", help="model file from mnist-train")
    parser.add_argument("--count", type=int, default=1000, help="test digits per form (default 1000)")
    parser.add_argument("--start", type=int, default=0, help="first test-set index (default 0)")
    parser.add_argument("--work", help="directory for the PNG forms (default: a temporary one)")
    parser.add_argument("--predict", default=os.path.join(ROOT, ".build", "release", "mnist-predict"),
                        help="the mnist-predict binary (default: .build/release/mnist-predict)")
    parser.add_argument("--split", choices=["test", "train"], default="test",
                        help="digits from the test set (default) or the training set, to choose thresholds on")
    parser.add_argument("--jpeg", type=int, metavar="QUALITY", help="also classify each form saved as JPEG at this quality")
    args = parser.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="mnist-png-forms-")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_png_fixtures.py"), work,
                    "--count", str(args.count), "--start", str(args.start), "--split", args.split], check=True, stdout=subprocess.DEVNULL)
    if args.jpeg:
        for form in sorted(os.listdir(work)):
            write_jpeg_form(os.path.join(work, form), os.path.join(work, form + ".jpg"), args.jpeg)

    # The IDX accuracy on the same digits: the test images as they are (the grey28 form, 28×28 white
    # on black), classified without preprocessing, so any network mnist-predict reads is measured.
    grey = os.path.join(work, "grey28")
    idx_accuracy, _ = accuracy_of(classify(args.predict, args.model, grey, raw=True)[0], expected_labels(grey))
    stored = stored_test_accuracy(args.model)
    print(f"model {args.model}: IDX accuracy {idx_accuracy:.2f}% on the {args.count} {args.split} images used here"
          + (f" ({stored:.2f}% on all 10,000, as its file records)" if stored is not None else ""))
    print(f"{'form':<20} {'accuracy':>9} {'vs IDX':>8} {'errors':>7} {'seconds':>8}")

    worst = 0.0
    accuracies = {}
    for form in sorted(os.listdir(work)):
        directory = os.path.join(work, form)
        results, seconds = classify(args.predict, args.model, directory)
        accuracy, errors = accuracy_of(results, expected_labels(directory))
        worst = min(worst, accuracy - idx_accuracy)
        accuracies[form] = accuracy
        against_png = ""
        if form.endswith(".jpg") and form[:-4] in accuracies:
            against_png = f"   JPEG vs PNG {accuracy - accuracies[form[:-4]]:+.2f}"
        print(f"{form:<20} {accuracy:>8.2f}% {accuracy - idx_accuracy:>+8.2f} {errors:>7} {seconds:>8.2f}{against_png}")
    sys.exit(1 if worst < -2 else 0)


if __name__ == "__main__":
    main()
