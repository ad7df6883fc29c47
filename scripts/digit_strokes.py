"""The ten digits as a hand draws them: each a list of strokes, each stroke a list of (x, y) points
in the unit square (y down). Shared by scripts/pen_strokes.py, which renders them with Pillow,
and the browser test, which draws them with pointer moves."""
import math


def arc(cx, cy, rx, ry, start, end, steps=24):
    """Points along an ellipse from angle `start` to `end` (degrees, 0 = right, 90 = down)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in (start + (end - start) * i / steps for i in range(steps + 1))]


DIGITS = [
    # 0: one oval, closed where it began.
    [arc(0.5, 0.5, 0.27, 0.45, -90, 270, 36)],
    # 1: a short flag and a vertical stem.
    [[(0.38, 0.18), (0.54, 0.03), (0.54, 0.97)]],
    # 2: a hook, a diagonal down to the left, a base.
    [arc(0.5, 0.3, 0.25, 0.25, 190, 360, 16) + [(0.68, 0.52), (0.22, 0.97), (0.8, 0.97)]],
    # 3: two bowls open to the left.
    [arc(0.48, 0.27, 0.25, 0.24, 200, 450, 20) + arc(0.48, 0.73, 0.27, 0.25, -90, 160, 20)],
    # 4: a diagonal, a bar, then the stem as its own stroke.
    [[(0.6, 0.03), (0.2, 0.65), (0.82, 0.65)], [(0.64, 0.3), (0.64, 0.97)]],
    # 5: a top bar, a stem, a bowl.
    [[(0.78, 0.03), (0.3, 0.03), (0.27, 0.45)] + arc(0.48, 0.68, 0.28, 0.29, 235, 500, 22)],
    # 6: a sweep down from the top right into a bottom loop.
    [[(0.72, 0.05), (0.5, 0.2), (0.3, 0.48)] + arc(0.5, 0.7, 0.25, 0.27, 180, 540, 28)],
    # 7: a top bar and a long diagonal.
    [[(0.2, 0.05), (0.8, 0.05), (0.42, 0.97)]],
    # 8: two loops crossing at the waist.
    [arc(0.5, 0.26, 0.21, 0.23, 90, 450, 24) + arc(0.5, 0.73, 0.26, 0.25, -90, 270, 28)],
    # 9: a loop at the top and a stem down its right side.
    [arc(0.48, 0.3, 0.26, 0.27, 0, 360, 28) + [(0.74, 0.3), (0.7, 0.97)]],
]
