// A line chart as inline SVG: one or more named series over a shared x axis, with axes, ticks,
// axis titles and a legend. Used for the training curves (loss and accuracy per epoch).

/// Series of (x, y) points drawn as lines with a dot at every point.
struct SVGLineChart {
    struct Series {
        var name: String
        /// A CSS colour.
        var color: String
        var points: [(x: Double, y: Double)]
        /// Dashed lines tell series apart without relying on colour alone.
        var dashed = false
    }

    var title: String
    var xTitle: String
    var yTitle: String
    var series: [Series]
    /// Whether the y axis starts at zero (losses) or hugs the data (accuracies).
    var includesZero = false
    var format: (Double) -> String = { HTMLText.number($0) }
    var width = 480.0
    var height = 300.0

    func svg() -> String {
        let margin = (left: 64.0, right: 16.0, top: 40.0, bottom: 52.0)
        let points = series.flatMap(\.points)
        var xs = points.map(\.x), ys = points.map(\.y)
        if xs.isEmpty { xs = [0, 1] }
        if ys.isEmpty { ys = [0, 1] }
        if includesZero { ys.append(0) }
        // A single epoch still needs a span to draw; pad degenerate ranges by one unit (or 1%).
        var xLower = xs.min()!, xUpper = xs.max()!
        if xLower == xUpper { xLower -= 1; xUpper += 1 }
        var yLower = ys.min()!, yUpper = ys.max()!
        let yPad = yLower == yUpper ? max(abs(yUpper) * 0.01, 0.01) : (yUpper - yLower) * 0.05
        yUpper += yPad
        if !includesZero { yLower -= yPad }
        let x = SVGScale(lower: xLower, upper: xUpper, start: margin.left, end: width - margin.right)
        let y = SVGScale(lower: yLower, upper: yUpper, start: height - margin.bottom, end: margin.top).widenedToTicks()
        let frame = SVGPlotFrame(x: x, y: y, xTitle: xTitle, yTitle: yTitle, xIntegerTicks: true, format: format)

        var parts = [
            "<svg class=\"chart\" viewBox=\"0 0 \(HTMLText.number(width)) \(HTMLText.number(height))\" width=\"\(HTMLText.number(width))\" height=\"\(HTMLText.number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">",
            "<text class=\"chart-title\" x=\"\(HTMLText.number(margin.left))\" y=\"18\">\(HTMLText.escape(title))</text>",
            frame.svg(),
        ]
        for line in series {
            let coordinates = line.points
                .map { "\(HTMLText.number(x.position($0.x))),\(HTMLText.number(y.position($0.y)))" }
                .joined(separator: " ")
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            parts.append("<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2.5\"\(dash) points=\"\(coordinates)\"/>")
            for point in line.points {
                parts.append("<circle cx=\"\(HTMLText.number(x.position(point.x)))\" cy=\"\(HTMLText.number(y.position(point.y)))\" r=\"3.5\" fill=\"\(line.color)\"><title>\(HTMLText.escape("\(line.name), epoch \(HTMLText.number(point.x)): \(format(point.y))"))</title></circle>")
            }
        }
        // The legend sits top right, one entry per series.
        var legendX = width - margin.right
        for line in series.reversed() {
            let labelWidth = Double(line.name.count) * 7 + 28
            legendX -= labelWidth
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            parts.append("<line x1=\"\(HTMLText.number(legendX))\" y1=\"14\" x2=\"\(HTMLText.number(legendX + 18))\" y2=\"14\" stroke=\"\(line.color)\" stroke-width=\"2.5\"\(dash)/>")
            parts.append("<text class=\"legend\" x=\"\(HTMLText.number(legendX + 22))\" y=\"18\">\(HTMLText.escape(line.name))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
