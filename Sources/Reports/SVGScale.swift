// One axis of an SVG chart: data values mapped to pixels, with "nice" tick values (1, 2 or 5
// times a power of ten).

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
