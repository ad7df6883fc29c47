#!/usr/bin/env bash
# Renders an HTML report in headless Chromium and saves a screenshot, so a person can look at the
# page without a browser (or check it in CI). Installs Debian's chromium package if it is missing.
#
#   scripts/render_report.sh REPORT [SCREENSHOT.png] [WIDTH] [HEIGHT]
#
# REPORT is a report's index.html or the directory holding it (mnist-eval --html DIR, or
# mnist-train --html DIR). The screenshot defaults to REPORT's directory/screenshot.png, the width
# to 1280 (390 for a phone). Without HEIGHT the screenshot holds the whole page, however long: a
# first pass measures the page's height at WIDTH, a second takes the picture.
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
height=${4:-}

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
run_browser() {
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$profile" --no-first-run --disable-extensions "$@" 2>"$profile/chromium.log" || {
        cat "$profile/chromium.log" >&2
        exit 1
    }
}

if [ -z "$height" ]; then
    # The report has no scripts; a copy with one that writes the page's height into the title is
    # loaded, and the title read back from the DOM Chromium dumps. In --dump-dom mode the window
    # is at least 500 px wide whatever --window-size says, so the copy sets the page's width
    # itself (below 500 px both widths are phone-sized for the style sheet's one breakpoint, 600 px).
    measure=$profile/measure.html
    sed -e "s#</head>#<style>html { width: ${width}px; }</style></head>#" \
        -e 's#</body>#<script>document.title = "page-height:" + document.documentElement.scrollHeight</script></body>#' \
        "$report" >"$measure"
    height=$(run_browser --window-size="$width,800" --dump-dom "file://$measure" |
        sed -n 's/.*<title>page-height:\([0-9]*\)<\/title>.*/\1/p' | head -n 1)
    [ -n "$height" ] || { echo "$0: could not measure the page's height; give HEIGHT" >&2; exit 1; }
fi

run_browser --window-size="$width,$height" --screenshot="$screenshot" "file://$report" >/dev/null
[ -s "$screenshot" ] || { cat "$profile/chromium.log" >&2; echo "$0: no screenshot written" >&2; exit 1; }
echo "screenshot written to $screenshot (${width}×${height})"
