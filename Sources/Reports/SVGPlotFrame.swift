// The frame, ticks, grid lines and axis titles that the line chart and the reliability diagram share.

import Foundation

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
