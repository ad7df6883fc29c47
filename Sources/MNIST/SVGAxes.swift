// Axes for SVG charts: "nice" tick values (1, 2 or 5 times a power of ten) and the frame, ticks,
// grid lines and labels that the line chart and the reliability diagram share.

import Foundation

/// A linear mapping from data values to pixels along one axis, with its tick values.
struct SVGScale {
    var lower: Double
    var upper: Double
    /// Pixel positions of `lower` and `upper` (for a y axis, `start` is the bottom).
    var start: Double
    var end: Double

    func position(_ value: Double) -> Double {
        let span = upper - lower
        return span == 0 ? start : start + (value - lower) / span * (end - start)
    }

    /// Ticks at multiples of a nice step covering `lower...upper`, about `target` of them.
    func ticks(target: Int = 5, integersOnly: Bool = false) -> [Double] {
        var step = Self.niceStep(span: upper - lower, target: target)
        if integersOnly { step = max(step.rounded(.up), 1) }
        var ticks: [Double] = []
        var value = (lower / step).rounded(.up) * step
        while value <= upper + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// The range `lower...upper` widened outwards to multiples of its nice tick step.
    func widenedToTicks(target: Int = 5) -> SVGScale {
        let step = Self.niceStep(span: upper - lower, target: target)
        var scale = self
        scale.lower = (lower / step).rounded(.down) * step
        scale.upper = (upper / step).rounded(.up) * step
        return scale
    }

    /// 1, 2 or 5 times a power of ten, so that `span` holds about `target` steps.
    static func niceStep(span: Double, target: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(target, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }
}

/// A plot area with an x and a y scale, drawing its frame, grid, ticks and axis titles.
struct SVGPlotFrame {
    var x: SVGScale
    var y: SVGScale
    var xTitle: String
    var yTitle: String
    var xIntegerTicks = false
    var format: (Double) -> String = { HTMLText.number($0) }

    /// Grid lines, tick labels, the axis lines and both axis titles.
    func svg() -> String {
        var parts: [String] = []
        let left = x.start, right = x.end, bottom = y.start, top = y.end
        for value in y.ticks() {
            let py = HTMLText.number(y.position(value))
            parts.append("<line class=\"grid\" x1=\"\(HTMLText.number(left))\" y1=\"\(py)\" x2=\"\(HTMLText.number(right))\" y2=\"\(py)\"/>")
            parts.append("<text class=\"tick\" x=\"\(HTMLText.number(left - 6))\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTMLText.escape(format(value)))</text>")
        }
        for value in x.ticks(integersOnly: xIntegerTicks) {
            let px = HTMLText.number(x.position(value))
            parts.append("<line class=\"axis\" x1=\"\(px)\" y1=\"\(HTMLText.number(bottom))\" x2=\"\(px)\" y2=\"\(HTMLText.number(bottom + 5))\"/>")
            parts.append("<text class=\"tick\" x=\"\(px)\" y=\"\(HTMLText.number(bottom + 18))\" text-anchor=\"middle\">\(HTMLText.escape(format(value)))</text>")
        }
        parts.append("<line class=\"axis\" x1=\"\(HTMLText.number(left))\" y1=\"\(HTMLText.number(bottom))\" x2=\"\(HTMLText.number(right))\" y2=\"\(HTMLText.number(bottom))\"/>")
        parts.append("<line class=\"axis\" x1=\"\(HTMLText.number(left))\" y1=\"\(HTMLText.number(bottom))\" x2=\"\(HTMLText.number(left))\" y2=\"\(HTMLText.number(top))\"/>")
        let middleX = HTMLText.number((left + right) / 2), middleY = HTMLText.number((top + bottom) / 2)
        parts.append("<text class=\"axis-title\" x=\"\(middleX)\" y=\"\(HTMLText.number(bottom + 38))\" text-anchor=\"middle\">\(HTMLText.escape(xTitle))</text>")
        parts.append("<text class=\"axis-title\" transform=\"translate(\(HTMLText.number(left - 46)) \(middleY)) rotate(-90)\" text-anchor=\"middle\">\(HTMLText.escape(yTitle))</text>")
        return parts.joined(separator: "\n")
    }
}
