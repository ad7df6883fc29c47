// The calibration figures as a reliability diagram: for each confidence bin a bar as tall as the
// bin's accuracy, against the diagonal a perfectly calibrated model would follow.

import MNIST

struct SVGReliabilityDiagram {
    var calibration: Calibration
    var width = 360.0
    var height = 300.0

    func svg() -> String {
        let margin = (left: 64.0, right: 16.0, top: 40.0, bottom: 52.0)
        let x = SVGScale(lower: 0, upper: 1, start: margin.left, end: width - margin.right)
        let y = SVGScale(lower: 0, upper: 1, start: height - margin.bottom, end: margin.top)
        let frame = SVGPlotFrame(
            x: x, y: y, xTitle: "confidence", yTitle: "accuracy",
            format: { ReportFormat.percent($0, digits: 0) })
        var parts = [
            "<svg class=\"chart\" viewBox=\"0 0 \(HTMLText.number(width)) \(HTMLText.number(height))\" width=\"\(HTMLText.number(width))\" height=\"\(HTMLText.number(height))\" role=\"img\" aria-label=\"reliability diagram\">",
            "<text class=\"chart-title\" x=\"\(HTMLText.number(margin.left))\" y=\"18\">Reliability (ECE \(ReportFormat.decimal(calibration.expectedCalibrationError)))</text>",
            frame.svg(),
        ]
        for bin in calibration.bins where bin.count > 0 {
            let left = x.position(bin.lower) + 1, right = x.position(bin.upper) - 1
            let top = y.position(bin.accuracy), bottom = y.position(0)
            let tip = "confidence \(ReportFormat.percent(bin.lower, digits: 0))–\(ReportFormat.percent(bin.upper, digits: 0)): "
                + "\(bin.count) predictions, mean confidence \(ReportFormat.percent(bin.meanConfidence)), accuracy \(ReportFormat.percent(bin.accuracy))"
            parts.append("<rect class=\"bar\" x=\"\(HTMLText.number(left))\" y=\"\(HTMLText.number(top))\" width=\"\(HTMLText.number(right - left))\" height=\"\(HTMLText.number(bottom - top))\"><title>\(HTMLText.escape(tip))</title></rect>")
            // A tick at the bin's mean confidence shows the gap that ECE adds up.
            let confidence = HTMLText.number(y.position(bin.meanConfidence))
            parts.append("<line class=\"gap\" x1=\"\(HTMLText.number(left))\" y1=\"\(confidence)\" x2=\"\(HTMLText.number(right))\" y2=\"\(confidence)\"/>")
        }
        parts.append("<line class=\"ideal\" x1=\"\(HTMLText.number(x.position(0)))\" y1=\"\(HTMLText.number(y.position(0)))\" x2=\"\(HTMLText.number(x.position(1)))\" y2=\"\(HTMLText.number(y.position(1)))\"/>")
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
