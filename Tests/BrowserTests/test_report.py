#!/usr/bin/env python3
"""The HTML report (mnist-eval --html) in a real browser: Debian's chromium through chromium-driver
with Selenium, at a desktop width (1280) and a phone's (390 × 844).

Usage: Tests/BrowserTests/test_report.py --eval BIN --model PATH

Writes two reports with the model: one on the MNIST test set and one on a folder of 30 test digits
as PNG files (whose gallery shows each image as drawn beside the 28×28). At each width it checks
what is rendered: the page is no wider than the window, no chart, table or picture sticks out of
its section, each "most frequent confusion" sits on one line; and that scripts/render_report.sh
captures the whole page, however long. Exits with status 1 if a check fails.
"""
import argparse
import gzip
import os
import struct
import subprocess
import sys
import tempfile
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def png(pixels, width, height):
    """An 8-bit grey PNG."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\0" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def write_digit_folder(directory, count=30):
    """Test digits 0 … count−1 as black-on-white 56×56 PNGs in DIR/label/NNNNN.png."""
    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte.gz")) as file:
        images = file.read()
    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-labels-idx1-ubyte.gz")) as file:
        labels = file.read()
    for index in range(count):
        digit = images[16 + 784 * index:16 + 784 * (index + 1)]
        # Doubled and inverted: dark ink on paper, as a person's file would be.
        pixels = [255 - digit[(y // 2) * 28 + x // 2] for y in range(56) for x in range(56)]
        folder = os.path.join(directory, str(labels[8 + index]))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{index:05d}.png"), "wb") as file:
            file.write(png(pixels, 56, 56))


# What sticks out of its section, as "tag.class right-edge > section-edge" strings. A table inside
# .table-scroll may be wider than its box (the box scrolls); the box itself may not.
OVERFLOWS = """
const found = [];
for (const section of document.querySelectorAll('section')) {
  const box = section.getBoundingClientRect();
  for (const element of section.querySelectorAll('svg, img, table, figure, .table-scroll, .tile, .card, ol, p, h2')) {
    if (element.closest('.table-scroll') && element.tagName === 'TABLE') continue;
    const rect = element.getBoundingClientRect();
    if (rect.right > box.right + 0.5 || rect.left < box.left - 0.5) {
      const kind = typeof element.className === 'string' ? element.className : element.className.baseVal;
      found.push(element.tagName.toLowerCase() + '.' + kind + ' ' + Math.round(rect.left) + '…' + Math.round(rect.right)
        + ' outside ' + Math.round(box.left) + '…' + Math.round(box.right));
    }
  }
}
return found;
"""

CONFUSION_LINES = """
return Array.from(document.querySelectorAll('ol.confusions li')).map(li => {
  const lineHeight = parseFloat(getComputedStyle(li).lineHeight);
  const pair = li.querySelector('.pair').getBoundingClientRect();
  return {height: li.getBoundingClientRect().height, lineHeight: lineHeight, pairHeight: pair.height};
});
"""


def emulate(driver, width, height, mobile):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def check_page(driver, url, name, width, height):
    emulate(driver, width, height, mobile=width < 600)
    driver.get(url)
    page_width = driver.execute_script("return document.documentElement.scrollWidth")
    check(page_width <= width, f"{name} at {width} px: the page is {page_width} px wide")
    overflows = driver.execute_script(OVERFLOWS)
    check(not overflows, f"{name} at {width} px: nothing sticks out of its section {overflows[:3]}")
    lines = driver.execute_script(CONFUSION_LINES)
    check(len(lines) > 0, f"{name} at {width} px: the confusions are listed ({len(lines)})")
    check(all(line["height"] < 1.5 * line["lineHeight"] for line in lines),
          f"{name} at {width} px: each confusion on one line (heights {sorted({round(l['height']) for l in lines})}, "
          f"line height {round(lines[0]['lineHeight']) if lines else '?'})")
    return driver.execute_script("return document.documentElement.scrollHeight")


def png_size(path):
    with open(path, "rb") as file:
        header = file.read(24)
    return struct.unpack(">II", header[16:24])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", default=os.path.join(ROOT, ".build", "debug", "mnist-eval"), help="the mnist-eval binary")
    parser.add_argument("--model", default="model.safetensors", help="model file from mnist-train")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="report-test-") as scratch:
        digits = os.path.join(scratch, "digits")
        write_digit_folder(digits)
        reports = {
            "test-set report": (os.path.join(scratch, "idx"), []),
            "folder report": (os.path.join(scratch, "folder"), ["--images-dir", digits]),
        }
        for directory, extra in reports.values():
            subprocess.run([arguments.eval, "--model", arguments.model, "--html", directory] + extra,
                           check=True, stdout=subprocess.DEVNULL)
        driver = browser()
        try:
            heights = {}
            for name, (directory, extra) in reports.items():
                url = "file://" + os.path.join(directory, "index.html")
                for width, height in ((1280, 800), (390, 844)):
                    heights[(name, width)] = check_page(driver, url, name, width, height)
                if not extra:
                    # As render_report.sh's window shows it: 390 px wide, not emulating a phone.
                    emulate(driver, 390, 844, mobile=False)
                    driver.get(url)
                    heights["window"] = driver.execute_script("return document.documentElement.scrollHeight")
                if extra:
                    originals = driver.find_elements("css selector", ".pictures img.original")
                    check(len(originals) > 0, f"{name}: the gallery shows the files as drawn ({len(originals)})")
        finally:
            driver.quit()

        # The phone-width test-set report is far taller than the 2600 px the script once cut at.
        directory = reports["test-set report"][0]
        screenshot = os.path.join(scratch, "phone.png")
        subprocess.run([os.path.join(ROOT, "scripts", "render_report.sh"), directory, screenshot, "390"],
                       check=True, stdout=subprocess.DEVNULL)
        shot_width, shot_height = png_size(screenshot)
        page_height = heights["window"]
        check(shot_width == 390 and page_height > 2600 and abs(shot_height - page_height) <= 0.02 * page_height,
              f"render_report.sh captures the whole page: {shot_width}×{shot_height} for a page {page_height} px tall")

    print("all report checks passed" if not failures else f"{len(failures)} report check(s) failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
