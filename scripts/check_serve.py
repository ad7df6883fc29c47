#!/usr/bin/env python3
"""Checks that mnist-serve's POST /api/predict answers as mnist-predict --json does, file by file:
the same digit, and probabilities equal to the 6 significant digits mnist-predict prints when it
classifies the file alone (as the API does). In a batch, OpenBLAS may sum the first layer's
products in another order, so a directory's probabilities can differ in the 7th digit; the
largest such difference is shown too.

Usage: scripts/check_serve.py [--serve BIN] [--predict BIN] [--model PATH] DIR...

Each DIR's .png files are classified by one mnist-predict --json call per file, by one call for
the whole directory, and posted one by one to a live mnist-serve. Files mnist-predict cannot classify must be refused by the API with 400 or 422.
Prints per directory the files compared, the mismatches and the largest probability difference;
exits with status 1 on any mismatch. Example:

  python3 scripts/make_png_fixtures.py /tmp/forms --count 500
  scripts/check_serve.py data/samples /tmp/forms/*
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from serve_process import Server  # noqa: E402


def post(url, body):
    request = urllib.request.Request(url + "api/predict", data=body, headers={"Content-Type": "image/png"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def as_float32(value):
    """The Float32 a JSON number was printed from, as a Python float."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def predict(args, paths):
    """mnist-predict --json's objects for `paths` (files, or a directory), in its order."""
    run = subprocess.run([args.predict, "--model", args.model, "--json", *paths], capture_output=True, text=True)
    return [json.loads(line) for line in run.stdout.splitlines()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", default=os.path.join(ROOT, ".build", "release", "mnist-serve"), help="the mnist-serve binary")
    parser.add_argument("--predict", default=os.path.join(ROOT, ".build", "release", "mnist-predict"), help="the mnist-predict binary")
    parser.add_argument("--model", default="model.safetensors", help="model file from mnist-train")
    parser.add_argument("directories", nargs="+", help="directories of PNG files")
    args = parser.parse_args()

    mismatches = 0
    with Server(args.serve, args.model) as server:
        print(f"{'directory':<28} {'files':>6} {'refused':>8} {'mismatches':>11} {'batch |Δp|':>11}")
        for directory in args.directories:
            batch = predict(args, [directory])
            expected = [predict(args, [entry["file"]])[0] for entry in batch]
            largest = max((abs(a - b) for one, many in zip(expected, batch) if "probabilities" in one
                           for a, b in zip(one["probabilities"], many["probabilities"])), default=0.0)
            wrong = refused = 0
            for cli in expected:
                with open(cli["file"], "rb") as f:
                    status, api = post(server.url, f.read())
                if "error" in cli:
                    refused += 1
                    if status not in (400, 422) or "error" not in api:
                        wrong += 1
                        print(f"  {cli['file']}: mnist-predict refused it ({cli['error']}), the API answered {status}")
                    continue
                difference = max(abs(a - b) for a, b in zip(api.get("probabilities", [1] * 10), cli["probabilities"]))
                # mnist-predict prints each Float32 with %.6g; the API sends the Float32 itself.
                same_digits = all(float(f"{as_float32(a):.6g}") == b for a, b in zip(api.get("probabilities", []), cli["probabilities"]))
                if status != 200 or api["digit"] != cli["digit"] or not same_digits:
                    wrong += 1
                    if wrong <= 5:
                        print(f"  {cli['file']}: API {status} {api.get('digit')} vs mnist-predict {cli['digit']}, max |Δp| {difference:.2g}")
            mismatches += wrong
            print(f"{directory:<28} {len(expected):>6} {refused:>8} {wrong:>11} {largest:>11.2g}")
    print("the API agrees with mnist-predict on every file" if mismatches == 0 else f"{mismatches} mismatch(es)")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
