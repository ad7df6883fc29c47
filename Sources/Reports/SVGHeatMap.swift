// The confusion matrix as an SVG heat map. Correct predictions (the diagonal) are shaded blue by
// the share of their row; mistakes are shaded orange by their count relative to the largest
// mistake, so the rare confusions stay visible next to a diagonal a hundred times larger.

import Foundation
import MNIST

struct SVGHeatMap {
    var confusion: ConfusionMatrix
    var cell = 44.0

    static let correctColor = RGBColor(red: 37, green: 99, blue: 175)
    static let mistakeColor = RGBColor(red: 214, green: 96, blue: 24)

    func svg() -> String {
        let n = confusion.classCount
        let left = 64.0, top = 56.0
        let width = left + cell * Double(n) + 12, height = top + cell * Double(n) + 12
        let support = confusion.support
        let largestMistake = Double(max(confusion.largestConfusion, 1))
        var parts = [
            "<svg class=\"heatmap\" viewBox=\"0 0 \(HTMLText.number(width)) \(HTMLText.number(height))\" width=\"\(HTMLText.number(width))\" height=\"\(HTMLText.number(height))\" role=\"img\" aria-label=\"confusion matrix\">",
            "<text class=\"axis-title\" x=\"\(HTMLText.number(left + cell * Double(n) / 2))\" y=\"16\" text-anchor=\"middle\">predicted class</text>",
            "<text class=\"axis-title\" transform=\"translate(18 \(HTMLText.number(top + cell * Double(n) / 2))) rotate(-90)\" text-anchor=\"middle\">true class</text>",
        ]
        for index in 0..<n {
            let centre = Double(index) * cell + cell / 2
            parts.append("<text class=\"tick\" x=\"\(HTMLText.number(left + centre))\" y=\"\(HTMLText.number(top - 10))\" text-anchor=\"middle\">\(index)</text>")
            parts.append("<text class=\"tick\" x=\"\(HTMLText.number(left - 10))\" y=\"\(HTMLText.number(top + centre))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(index)</text>")
        }
        for actual in 0..<n {
            for predicted in 0..<n {
                let count = confusion[actual, predicted]
                let shade: RGBColor
                if actual == predicted {
                    let share = support[actual] == 0 ? 0 : Double(count) / Double(support[actual])
                    shade = RGBColor.white.mixed(with: Self.correctColor, 0.15 + 0.85 * share)
                } else {
                    // Square root: a confusion a quarter as frequent as the worst is still half-shaded.
                    let t = count == 0 ? 0 : 0.12 + 0.88 * (Double(count) / largestMistake).squareRoot()
                    shade = RGBColor.white.mixed(with: Self.mistakeColor, t)
                }
                let x = left + Double(predicted) * cell, y = top + Double(actual) * cell
                // A class, not a fill attribute: the page's CSS for svg text would override that.
                let textClass = shade.luminance < 0.55 ? "cell on-dark" : "cell"
                parts.append("<rect x=\"\(HTMLText.number(x))\" y=\"\(HTMLText.number(y))\" width=\"\(HTMLText.number(cell))\" height=\"\(HTMLText.number(cell))\" fill=\"\(shade.hex)\" stroke=\"#ffffff\"><title>true \(actual), predicted \(predicted): \(count)</title></rect>")
                if count > 0 {
                    parts.append("<text x=\"\(HTMLText.number(x + cell / 2))\" y=\"\(HTMLText.number(y + cell / 2))\" text-anchor=\"middle\" dominant-baseline=\"central\" class=\"\(textClass)\">\(count)</text>")
                }
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
