// Flattening unevenly lit paper: a digit photographed under a gradient or a shadow comes out like
// the same digit on flat paper, and paper that is already flat is left exactly as it was.

import Foundation
@testable import MNIST
import NeuralNet
import TestSupport
import Testing

/// The first test digits of the bundled MNIST, as images in MNIST form.
private let digits: Result<[GrayImage], IDXError> = Result { () throws(IDXError) in
    let images = try IDXFile(contentsOf: BundledData.mnistDirectory + "/" + MNISTDataset.FileName.testImages + ".gz")
    let pixels = MNISTDataset.side * MNISTDataset.side
    return (0..<40).map { index in
        GrayImage(width: MNISTDataset.side, height: MNISTDataset.side, pixels: Array(images.bytes[(index * pixels)..<((index + 1) * pixels)]))
    }
}

/// How the light falls on a 120×120 page.
enum Lighting: String, CaseIterable, Sendable {
    case flat, gradientAcross, gradientCornerToCorner, softShadow, vignetting

    /// The level of white paper at (`x`, `y`).
    func level(x: Double, y: Double) -> Double {
        switch self {
        case .flat: return 200
        case .gradientAcross: return 250 - 100 * x / 119
        case .gradientCornerToCorner: return 150 + 100 * (x + y) / 238
        case .softShadow:
            // Full depth (30%) inside half the ellipse's radii, gone beyond one and a half.
            let r = (((x - 90) / 70) * ((x - 90) / 70) + ((y - 30) / 60) * ((y - 30) / 60)).squareRoot()
            return 240 * (1 - 0.3 * min(max(1.5 - r, 0), 1))
        case .vignetting: return 245 - 0.012 * ((x - 60) * (x - 60) + (y - 60) * (y - 60))
        }
    }
}

/// `digit` enlarged 2.5× (nearest pixel) as dark ink at (`left`, `top`) on a page lit by `light`:
/// each pixel is the light times what the page reflects there (ink reflects a fifth of it), plus
/// noise of spread `noise` from a fixed seed.
private func photographed(_ digit: GrayImage, left: Int, top: Int, light: Lighting, noise: Double, seed: UInt64) -> GrayImage {
    var generator = SeededGenerator(seed: seed)
    var page = GrayImage(width: 120, height: 120, filledWith: 0)
    for y in 0..<120 {
        for x in 0..<120 {
            let (column, row) = ((x - left) * 2 / 5, (y - top) * 2 / 5)
            let inside = (0..<digit.width).contains(column) && (0..<digit.height).contains(row) && x >= left && y >= top
            let ink = inside ? Double(digit[x: column, y: row]) / 255 : 0
            // The sum of four uniforms has mean 2 and variance 1/3.
            let gaussian = ((0..<4).reduce(0.0) { sum, _ in sum + Double(generator.nextUnitFloat()) } - 2) * 3.0.squareRoot()
            let level = light.level(x: Double(x), y: Double(y)) * (1 - 0.8 * ink) + noise * gaussian
            page[x: x, y: y] = UInt8(min(max(level, 0), 255).rounded())
        }
    }
    return page
}

private func meanDifference(_ a: GrayImage, _ b: GrayImage) -> Double {
    Double(zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.pixels.count)
}

@Suite struct DigitBackgroundTests {
    let preprocessor = DigitPreprocessor()

    /// Under uneven light the digit must come out as it does on flat paper of the same brightness.
    /// Both pages go through the same enlargement, noise and shrinking, so what differs is the
    /// lighting's doing: faint edge pixels lost or kept, a stroke a little thicker or thinner. The
    /// yardstick is how much two different digits differ after preprocessing (about 40 levels on
    /// average over these digits): the lit and the flat version must be far closer than that, on
    /// average within a quarter of it (measured: 5–8 levels) and for nine digits in ten within half
    /// (measured: 15–19). A few digits differ more: a shadow's or a vignette's soft dip narrower
    /// than three tiles is partly filled in by the closing (see docs/preprocessing.md, "Limits").
    @Test(arguments: Lighting.allCases.filter { $0 != .flat })
    func unevenLightComesOutLikeFlatPaper(light: Lighting) throws {
        var expected: [GrayImage] = []
        var differences: [Double] = []
        for (index, digit) in try digits.get().enumerated() {
            let (left, top) = (8 + index % 5 * 9, 6 + index % 7 * 7)
            let flat = photographed(digit, left: left, top: top, light: .flat, noise: 3, seed: UInt64(index))
            let uneven = photographed(digit, left: left, top: top, light: light, noise: 3, seed: UInt64(index))
            expected.append(try preprocessor.preprocess(flat, path: "flat.png"))
            differences.append(meanDifference(try preprocessor.preprocess(uneven, path: "\(light).png"), expected[index]))
        }
        let pairs = zip(expected, expected.dropFirst()).map(meanDifference)
        let yardstick = pairs.reduce(0, +) / Double(pairs.count)
        let mean = differences.reduce(0, +) / Double(differences.count)
        let ninetiethPercentile = differences.sorted()[differences.count * 9 / 10]
        #expect(mean < yardstick / 4, "\(light): mean difference \(mean) levels, different digits \(yardstick)")
        #expect(ninetiethPercentile < yardstick / 2, "\(light): 90th percentile \(ninetiethPercentile) levels")
    }

    @Test(arguments: [
        ("white", GrayImage(width: 50, height: 40, filledWith: 255)),
        ("black", GrayImage(width: 28, height: 28, filledWith: 0)),
        ("grey", GrayImage(width: 200, height: 150, filledWith: 128)),
    ])
    func flatPaperIsLeftAlone(name: String, image: GrayImage) {
        #expect(image.flattenedBackground() == image, "\(name)")
    }

    /// MNIST's own digits and the same digits inverted (dark ink on white) are flat paper with ink.
    @Test func mnistDigitsAreNotFlattened() throws {
        for (index, digit) in try digits.get().enumerated() {
            #expect(digit.flattenedBackground() == digit, "digit \(index)")
            #expect(digit.inverted().flattenedBackground() == digit.inverted(), "inverted digit \(index)")
        }
    }

    /// A pure gradient is flattened to within a level or two of one level, edges included (the
    /// tile grid is extrapolated linearly beyond the outer tile centres).
    @Test func aGradientBecomesFlat() {
        var ramp = GrayImage(width: 160, height: 90, filledWith: 0)
        for y in 0..<90 {
            for x in 0..<160 { ramp[x: x, y: y] = UInt8(240 - 90 * x / 159 - 20 * y / 89) }
        }
        let flat = ramp.flattenedBackground()!
        #expect(flat.pixels.max()! - flat.pixels.min()! <= 4, "levels \(flat.pixels.min()!)…\(flat.pixels.max()!)")
    }
}
