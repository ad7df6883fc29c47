#!/usr/bin/env bash
# Renders an HTML report in headless Chromium and saves a screenshot, so a person can look at the
# page without a browser (or check it in CI). Installs Debian's chromium package if it is missing.
#
#   scripts/render_report.sh REPORT [SCREENSHOT.png] [WIDTH] [HEIGHT]
#
# REPORT is a report's index.html or the directory holding it (mnist-eval --html DIR, or
# mnist-train --html DIR). The screenshot defaults to REPORT's directory/screenshot.png; the window
# to 1280×2600, tall enough for the whole page.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 REPORT(index.html or its directory) [SCREENSHOT.png] [WIDTH] [HEIGHT]" >&2
    exit 2
fi
report=$1
[ -d "$report" ] && report=$report/index.html
if [ ! -f "$report" ]; then
    echo "$0: $report: no such report (make one with mnist-eval --html DIR)" >&2
    exit 1
fi
report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
screenshot=${2:-$(dirname "$report")/screenshot.png}
width=${3:-1280}
height=${4:-2600}

sudo_if_needed() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "installing chromium (Debian package) for headless rendering…" >&2
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    browser=$(command -v chromium)
fi

# --no-sandbox: Chromium's sandbox refuses to run as root (containers, CI).
# A private profile directory keeps the run from touching (or locking) a user's profile.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" --no-first-run --disable-extensions \
    --window-size="$width,$height" --screenshot="$screenshot" \
    "file://$report" >/dev/null 2>"$profile/chromium.log" || {
    cat "$profile/chromium.log" >&2
    exit 1
}
[ -s "$screenshot" ] || { cat "$profile/chromium.log" >&2; echo "$0: no screenshot written" >&2; exit 1; }
echo "screenshot written to $screenshot"
