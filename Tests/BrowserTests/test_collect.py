#!/usr/bin/env python3
"""mnist-serve --collect in a real browser: Debian's chromium through chromium-driver with
Selenium, against a live server collecting into a temporary folder.

Usage: Tests/BrowserTests/test_collect.py --serve BIN --model PATH [--screenshots DIR]

Draws a digit, corrects the label with a click on another digit, and finds the PNG the answer was
given under DIR/<digit>/. Then collects four drawings of each digit (slanted differently),
confirming with Enter where the model read it right and pressing the digit's key where it did not,
and checks the rendered counts. Presses "Learn from my digits", waits for the result, reads the
before/after table, and checks that GET /api/model names the new model, written beside the old
one, which is left as it was. Checks that a page without --collect (test_draw.py's server) has no
controls is left to the Swift route tests. With --screenshots, saves the page at desktop
(1280×900) and phone (390×844) sizes. Exits with status 1 if a check fails.
"""
import argparse
import base64
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_draw import ROOT, browser, check, draw, failures, settled_digit, wait_for  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from digit_strokes import DIGITS  # noqa: E402
from serve_process import Server  # noqa: E402


def slanted(strokes, slant):
    """`strokes` leaning by `slant` (x moves by slant at the top, -slant at the bottom)."""
    return [[(min(max(x + slant * (0.5 - y), 0.0), 1.0), y) for x, y in stroke] for stroke in strokes]


def full_screenshot(driver, path):
    """The whole page, not only the window's part of it."""
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))


def phone_browser():
    """A 390×844 phone screen: headless Chromium will not make a window that narrow, so the
    viewport is emulated."""
    driver = browser(500, 844)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    return driver


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def pngs(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".png")) if os.path.isdir(folder) else []


def rendered_counts(driver):
    return [int(text) for text in driver.execute_script(
        "return Array.from(document.querySelectorAll('#counts .count')).map(e => e.textContent)")]


def wait_saved(driver, before):
    """Waits until #saved changes from `before` and returns its text."""
    saved = driver.find_element(By.ID, "saved")
    wait_for(lambda: saved.text != before, timeout=10)
    return saved.text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", default=os.path.join(ROOT, ".build", "debug", "mnist-serve"), help="the mnist-serve binary")
    parser.add_argument("--model", default="model.safetensors", help="model file from mnist-train")
    parser.add_argument("--screenshots", help="save desktop and phone screenshots of the page in this folder")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="test-collect-")
    try:
        # The model is copied so that the fine-tuned one is written beside the copy, in scratch.
        model = os.path.join(scratch, "model.safetensors")
        shutil.copyfile(args.model, model)
        with open(model, "rb") as file:
            model_hash = hashlib.sha256(file.read()).hexdigest()
        folder = os.path.join(scratch, "digits")
        with Server(args.serve, model, arguments=["--collect", folder]) as server:
            run(server, folder, model, model_hash, args.screenshots)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(failures)} check(s) failed" if failures else "all checks passed")
    sys.exit(1 if failures else 0)


def run(server, folder, model, model_hash, screenshots):
    driver = browser(1280, 900)
    try:
        driver.get(server.url)
        check(wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#counts li")) == 10),
              "the page shows a count for each digit")
        check(rendered_counts(driver) == [0] * 10, f"nothing is collected yet: {rendered_counts(driver)}")
        label_row = driver.find_element(By.ID, "label-row")
        check(not label_row.is_displayed(), "no label row before an answer")

        # A drawing corrected with a click: saved under the digit given, not the one read.
        draw(driver, DIGITS[4])
        read = int(settled_digit(driver))
        check(label_row.is_displayed(), "the label row shows with the answer")
        confirm = driver.find_element(By.ID, "confirm").text
        check(f"Yes, a {read}" in confirm, f"the confirm button names the digit read: {confirm!r}")
        given = (read + 1) % 10
        before = driver.find_element(By.ID, "saved").text
        driver.find_element(By.CSS_SELECTOR, f'#digit-keys button[data-digit="{given}"]').click()
        saved = wait_saved(driver, before)
        stored = pngs(os.path.join(folder, str(given)))
        check(len(stored) == 1, f"the corrected drawing is in DIR/{given}/: {stored}")
        if stored:
            with open(os.path.join(folder, str(given), stored[0]), "rb") as file:
                data = file.read()
            # The pad's PNG (400×400), not the 28×28 the network saw.
            width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            check(data[:8] == b"\x89PNG\r\n\x1a\n" and (width, height) == (400, 400),
                  f"it is the pad's PNG: {width}×{height}")
            check(f"Saved as {given} (it was read as {read})" in saved and stored[0] in saved,
                  f"the page says where it went: {saved!r}")
        check(rendered_counts(driver)[given] == 1, f"the count of {given}s is 1: {rendered_counts(driver)}")
        check(driver.find_element(By.ID, "prediction").text == "", "the pad is cleared for the next drawing")
        # That drawing is not a {given}: out of the folder again before learning from it.
        for name in stored:
            os.remove(os.path.join(folder, str(given), name))

        # Four of each digit, slanted differently: the first saved with the digit's key, the
        # others with Enter where read right and the digit's key where not.
        confirmed = corrected = 0
        for digit in range(10):
            for slant in (-0.12, 0.0, 0.08, 0.16):
                draw(driver, slanted(DIGITS[digit], slant), box=(0.2, 0.12, 0.7))
                read = settled_digit(driver)
                before = driver.find_element(By.ID, "saved").text
                if read == str(digit) and slant != -0.12:
                    ActionChains(driver).send_keys(Keys.ENTER).perform()
                    confirmed += 1
                else:
                    ActionChains(driver).send_keys(str(digit)).perform()
                    corrected += 1
                wait_saved(driver, before)
        counts = [len(pngs(os.path.join(folder, str(digit)))) for digit in range(10)]
        check(counts == [4] * 10, f"four PNGs of each digit in DIR/<digit>/: {counts} ({confirmed} with Enter, {corrected} with digit keys)")
        shown = rendered_counts(driver)
        expected = [4] * 10
        expected[given] += 1  # the server counted the corrected drawing removed behind its back
        check(shown == expected, f"the page shows the counts: {shown}")
        if screenshots:
            draw(driver, slanted(DIGITS[7], 0.1))
            settled_digit(driver)
            full_screenshot(driver, os.path.join(screenshots, "desktop-answer.png"))

        # Learning: the old model serves meanwhile; the result names the new model.
        old_path = get_json(server.url + "api/model")["path"]
        driver.find_element(By.ID, "learn").click()
        learning = driver.find_element(By.ID, "learning")
        started = time.monotonic()
        wait_for(lambda: learning.get_attribute("data-state") in ("finished", "failed"), timeout=300)
        state = learning.get_attribute("data-state")
        seconds = time.monotonic() - started
        verdict = driver.find_element(By.ID, "learn-verdict").text
        text = driver.find_element(By.ID, "learning-text").text
        check(state == "finished", f"learning finished in {seconds:.1f} s: {text!r}")
        cells = {cell: driver.find_element(By.ID, cell).text for cell in ("held-before", "held-after", "test-before", "test-after")}
        check(all(value.endswith("%") for value in cells.values()), f"the before/after table is shown: {cells}")
        print(f"     {text} {cells} {verdict}")
        served = get_json(server.url + "api/model")
        check("Now serving the new model" in verdict, f"the page says the new model is served: {verdict!r}")
        check(served["path"] != old_path and "-mine-" in served["path"] and os.path.dirname(served["path"]) == os.path.dirname(model),
              f"/api/model names the new model beside the old: {served['path']}")
        check(served["metadata"].get("initialised_from") == model and served["metadata"].get("images_dir") == folder,
              f"its metadata names the start and the folder: {served['metadata'].get('initialised_from')}, {served['metadata'].get('images_dir')}")
        with open(model, "rb") as file:
            check(hashlib.sha256(file.read()).hexdigest() == model_hash, "the old model file is left as it was")
        facts = driver.find_element(By.ID, "model-facts")
        name = os.path.basename(served["path"])
        check(wait_for(lambda: name in facts.text), f"the page's model line names it: {facts.text!r}")
        if screenshots:
            full_screenshot(driver, os.path.join(screenshots, "desktop-learnt.png"))
        missing = [entry["message"] for entry in driver.get_log("browser") if "404" in entry["message"]]
        check(not missing, f"no request of the page got a 404: {missing}")
    finally:
        driver.quit()

    if screenshots:
        driver = phone_browser()
        try:
            driver.get(server.url)
            wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#counts li")) == 10)
            draw(driver, slanted(DIGITS[7], 0.1))
            settled_digit(driver)
            full_screenshot(driver, os.path.join(screenshots, "phone-answer.png"))
            wide = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
            check(not wide, "on a phone the page does not scroll sideways")
            driver.save_screenshot(os.path.join(screenshots, "phone-window.png"))
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
