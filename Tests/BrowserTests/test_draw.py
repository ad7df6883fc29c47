#!/usr/bin/env python3
"""The drawing page in a real browser: Debian's chromium, driven through chromium-driver with
Selenium, against a live mnist-serve.

Usage: Tests/BrowserTests/test_draw.py --serve BIN --model PATH [--screenshot PNG]

Draws a 1, a 0 and a 7 with mouse pointer moves and reads #prediction after each; draws a 1 with a
touch pointer on a phone-sized window and checks that the page did not scroll; checks that Undo
(Ctrl+Z) removes the last stroke and that Clear empties the result; opens a PNG through the file
input. With --screenshot, saves the page with a drawn digit. Exits with status 1 if a check fails.
"""
import argparse
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from digit_strokes import DIGITS  # noqa: E402
from serve_process import Server  # noqa: E402

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def draw(driver, strokes, kind=interaction.POINTER_MOUSE, box=(0.15, 0.12, 0.75)):
    """Draws `strokes` (unit-square points) on the pad with one pointer of `kind`; `box` is the
    (left, top, size) of the unit square as fractions of the pad. Offsets are from the pad's
    centre, as W3C actions measure them."""
    pad = driver.find_element(By.ID, "pad")
    side = pad.size["width"]
    left, top, size = box
    for stroke in strokes:
        source = PointerInput(kind, "finger" if kind == interaction.POINTER_TOUCH else "mouse")
        actions = ActionBuilder(driver, mouse=source, duration=10)
        pointer = actions.pointer_action
        for index, (x, y) in enumerate(stroke):
            offset_x = round((left + x * size) * side - side / 2)
            offset_y = round((top + y * size) * side - side / 2)
            pointer.move_to(pad, offset_x, offset_y)
            if index == 0:
                pointer.pointer_down()
        pointer.pointer_up()
        actions.perform()


def settled_prediction(driver, timeout=10):
    """#prediction's text once no request is pending or in flight."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script("return document.body.dataset.state") == "idle":
            return driver.find_element(By.ID, "prediction").text
        time.sleep(0.05)
    return driver.find_element(By.ID, "prediction").text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", default=os.path.join(ROOT, ".build", "release", "mnist-serve"), help="the mnist-serve binary")
    parser.add_argument("--model", default="model.safetensors", help="model file from mnist-train")
    parser.add_argument("--screenshot", help="save a screenshot of the page with a drawn 7 here")
    args = parser.parse_args()

    with Server(args.serve, args.model) as server:
        driver = browser(1200, 760)
        try:
            driver.get(server.url)
            check(driver.title.startswith("mnist-serve"), f"the page loads from {server.url}")
            facts = driver.find_element(By.ID, "model-facts")
            deadline = time.monotonic() + 5
            while "accuracy" not in facts.text and time.monotonic() < deadline:
                time.sleep(0.05)
            check("accuracy" in facts.text, f"the model's facts are shown: {facts.text!r}")
            clear = driver.find_element(By.ID, "clear")

            for digit in (1, 0, 7):
                draw(driver, DIGITS[digit])
                seen = settled_prediction(driver)
                check(seen == str(digit), f"a {digit} drawn with the mouse is read as {seen!r}")
                if digit == 7 and args.screenshot:
                    driver.save_screenshot(args.screenshot)
                    print(f"     screenshot written to {args.screenshot}")
                clear.click()
                check(settled_prediction(driver) == "", "Clear empties #prediction")

            # Undo from the keyboard: a 4's two strokes, then Ctrl+Z leaves only the first.
            draw(driver, DIGITS[4])
            four = settled_prediction(driver)
            pixels_before = ink_pixels(driver)
            driver.find_element(By.ID, "pad").send_keys(Keys.CONTROL, "z")
            after_undo = settled_prediction(driver)
            pixels_after = ink_pixels(driver)
            check(four == "4", f"a 4 (two strokes) is read as {four!r}")
            check(0 < pixels_after < pixels_before,
                  f"Ctrl+Z removes the last stroke ({pixels_before} → {pixels_after} inked pixels; now read as {after_undo!r})")
            driver.find_element(By.ID, "pad").send_keys(Keys.ESCAPE)
            check(settled_prediction(driver) == "" and ink_pixels(driver) == 0, "Escape clears the pad and the result")

            # A PNG through the file input.
            sample = os.path.join(ROOT, "data", "samples", "mnist-7.png")
            driver.find_element(By.ID, "file").send_keys(sample)
            check(settled_prediction(driver) == "7", "an opened PNG (data/samples/mnist-7.png) is read as 7")
            clear.click()
        finally:
            driver.quit()

        # A phone: a narrow window whose page scrolls; a touch stroke must draw, not scroll.
        driver = browser(390, 700)
        try:
            driver.get(server.url)
            scrollable = driver.execute_script("return document.documentElement.scrollHeight > window.innerHeight")
            check(scrollable, "on a phone-sized window the page is taller than the screen")
            draw(driver, DIGITS[1], kind=interaction.POINTER_TOUCH)
            seen = settled_prediction(driver)
            scrolled = driver.execute_script("return window.scrollY")
            check(seen == "1", f"a 1 drawn with a touch pointer is read as {seen!r}")
            check(scrolled == 0, f"drawing with a finger does not scroll the page (scrollY {scrolled})")
            driver.find_element(By.ID, "clear").click()
            check(settled_prediction(driver) == "", "Clear empties #prediction after the touch stroke")
        finally:
            driver.quit()

    print("all browser checks passed" if not failures else f"{len(failures)} browser check(s) failed")
    sys.exit(1 if failures else 0)


def ink_pixels(driver):
    """Pixels of the pad darker than mid-grey."""
    return driver.execute_script("""
        const pad = document.getElementById("pad");
        const data = pad.getContext("2d").getImageData(0, 0, pad.width, pad.height).data;
        let count = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 128) count++;
        return count;""")


if __name__ == "__main__":
    main()
