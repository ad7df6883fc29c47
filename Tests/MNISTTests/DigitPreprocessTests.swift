// MNIST-style preprocessing: MNIST's own digits pass through, and the same digit drawn
// inverted, off-centre, larger, on noisy paper or with a different aspect comes out the same.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// The first test digits of the bundled MNIST, as images in MNIST form.
private let mnistDigits: Result<[GrayImage], IDXError> = Result { () throws(IDXError) in
    let directory = BundledData.mnistDirectory
    let images = try IDXFile(contentsOf: directory + "/" + MNISTDataset.FileName.testImages + ".gz")
    let pixels = MNISTDataset.side * MNISTDataset.side
    return (0..<200).map { index in
        GrayImage(width: MNISTDataset.side, height: MNISTDataset.side, pixels: Array(images.bytes[(index * pixels)..<((index + 1) * pixels)]))
    }
}

/// Mean absolute difference in levels.
private func meanDifference(_ a: GrayImage, _ b: GrayImage) -> Double {
    Double(zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.pixels.count)
}

/// Pearson correlation of two images' levels.
private func correlation(_ a: GrayImage, _ b: GrayImage) -> Double {
    let x = a.pixels.map(Double.init), y = b.pixels.map(Double.init)
    let meanX = x.reduce(0, +) / Double(x.count), meanY = y.reduce(0, +) / Double(y.count)
    var covariance = 0.0, varianceX = 0.0, varianceY = 0.0
    for (u, v) in zip(x, y) {
        covariance += (u - meanX) * (v - meanY)
        varianceX += (u - meanX) * (u - meanX)
        varianceY += (v - meanY) * (v - meanY)
    }
    return covariance / (varianceX * varianceY).squareRoot()
}

/// `image` placed at (`x`, `y`) on a canvas of `level`.
private func placed(_ image: GrayImage, onCanvas width: Int, _ height: Int, level: UInt8, x: Int, y: Int) -> GrayImage {
    var canvas = GrayImage(width: width, height: height, filledWith: level)
    for row in 0..<image.height {
        for column in 0..<image.width {
            canvas[x: x + column, y: y + row] = image[x: column, y: row]
        }
    }
    return canvas
}

/// Every pixel repeated `factor` times across and down.
private func enlarged(_ image: GrayImage, by factor: Int) -> GrayImage {
    var result = GrayImage(width: image.width * factor, height: image.height * factor, filledWith: 0)
    for y in 0..<result.height {
        for x in 0..<result.width { result[x: x, y: y] = image[x: x / factor, y: y / factor] }
    }
    return result
}

private func centreOfMass(_ image: GrayImage) -> (x: Double, y: Double) {
    var total = 0.0, sumX = 0.0, sumY = 0.0
    for y in 0..<image.height {
        for x in 0..<image.width {
            let value = Double(image[x: x, y: y])
            total += value
            sumX += value * Double(x)
            sumY += value * Double(y)
        }
    }
    return (sumX / total, sumY / total)
}

/// Paper of `paper` with ink at `ink` where the digit is bright, plus Gaussian-like noise of
/// spread `noise` from a fixed seed.
private func onPaper(_ digit: GrayImage, paper: Double, ink: Double, noise: Double, seed: UInt64) -> GrayImage {
    var generator = SeededGenerator(seed: seed)
    let pixels = digit.pixels.map { level -> UInt8 in
        let t = Double(level) / 255
        // The sum of four uniforms has mean 2 and variance 1/3.
        let gaussian = ((0..<4).reduce(0.0) { sum, _ in sum + Double(generator.nextUnitFloat()) } - 2) * 3.0.squareRoot()
        return UInt8(min(max(paper * (1 - t) + ink * t + noise * gaussian, 0), 255).rounded())
    }
    return GrayImage(width: digit.width, height: digit.height, pixels: pixels)
}

@Suite struct DigitPreprocessTests {
    let preprocessor = DigitPreprocessor()

    @Test func mnistDigitsComeThroughEssentiallyUnchanged() throws {
        for (index, digit) in try mnistDigits.get().enumerated() {
            let result = try preprocessor.preprocess(digit, path: "\(index).png")
            // At most the contrast stretch of a digit whose brightest pixel is 254.
            let worst = zip(result.pixels, digit.pixels).map { abs(Int($0) - Int($1)) }.max()!
            #expect(worst <= 1, "digit \(index) changed by up to \(worst) levels")
        }
    }

    @Test func invertedDigitsGiveTheSameResult() throws {
        for (index, digit) in try mnistDigits.get().prefix(50).enumerated() {
            let inverted = digit.inverted()
            #expect(try preprocessor.preprocess(inverted, path: "i.png") == preprocessor.preprocess(digit, path: "d.png"), "digit \(index)")
        }
    }

    @Test(arguments: [(0, 0), (70, 5), (130, 90), (3, 92)])
    func offCentreDigitsAreCentred(x: Int, y: Int) throws {
        for digit in try mnistDigits.get().prefix(20) {
            let expected = try preprocessor.preprocess(digit, path: "d.png")
            let bright = placed(digit, onCanvas: 160, 120, level: 0, x: x, y: y)
            #expect(try preprocessor.preprocess(bright, path: "b.png") == expected)
            let dark = placed(digit.inverted(), onCanvas: 160, 120, level: 255, x: x, y: y)
            #expect(try preprocessor.preprocess(dark, path: "w.png") == expected)
        }
    }

    /// Without thickening: an enlarged MNIST digit whose strokes are thinner than 2 pixels is
    /// thickened on the way back, by design (DigitStrokeTests); here only the resampling counts.
    @Test(arguments: [2, 3, 5])
    func enlargedDigitsShrinkBack(factor: Int) throws {
        let preprocessor = DigitPreprocessor(minimumStrokeWidth: 0)
        for digit in try mnistDigits.get().prefix(20) {
            let result = try preprocessor.preprocess(enlarged(digit.inverted(), by: factor), path: "big.png")
            #expect(meanDifference(result, try preprocessor.preprocess(digit, path: "d.png")) < 1)
        }
    }

    /// A JPEG's ringing, faint ink through the blocks a stroke crosses while the border stays
    /// clean, imitated: every background pixel within 3 of a stroke gets a level from 1 to 9. It
    /// must neither widen the box (the digit would come out smaller) nor change the picture much:
    /// with the box of every nonzero pixel and the border's noise alone, all 20 differed by more
    /// than 4 levels on average (most by 15 to 19); now by 7 at most.
    @Test func faintRingingBesideTheStrokesIsNotInk() throws {
        for digit in try mnistDigits.get().prefix(20) {
            let canvas = placed(digit, onCanvas: 40, 40, level: 0, x: 6, y: 6)
            var ringing = canvas
            for y in 0..<40 {
                for x in 0..<40 where canvas[x: x, y: y] == 0 {
                    let near = (max(0, y - 3)...min(39, y + 3)).contains { ny in
                        (max(0, x - 3)...min(39, x + 3)).contains { canvas[x: $0, y: ny] > 128 }
                    }
                    if near { ringing[x: x, y: y] = UInt8(1 + (x * 7 + y * 3) % 9) }
                }
            }
            let clean = try preprocessor.preprocess(canvas, path: "clean.png")
            let result = try preprocessor.preprocess(ringing, path: "ringing.jpg")
            #expect(meanDifference(result, clean) < 8, "mean difference \(meanDifference(result, clean))")
        }
    }

    /// Noise costs the faint edge pixels and so shifts and thickens strokes a little: the digit
    /// must still fill the 20-pixel box (a surviving speck would shrink it), sit where the clean
    /// one does, and look like it on average.
    @Test func digitsOnNoisyGreyPaperComeOutClose() throws {
        var correlations: [Double] = []
        for (index, digit) in try mnistDigits.get().prefix(50).enumerated() {
            let paper = placed(digit, onCanvas: 40, 40, level: 0, x: 6, y: 6)
            var noisy = onPaper(paper, paper: 175, ink: 40, noise: 8, seed: UInt64(index))
            noisy[x: 1, y: 38] = 0  // a lone speck of dirt in a corner
            let result = try preprocessor.preprocess(noisy, path: "noisy.png")
            let expected = try preprocessor.preprocess(digit, path: "d.png")
            let inked = (0..<784).filter { result.pixels[$0] > 0 }
            let extent = max(Set(inked.map { $0 % 28 }).count, Set(inked.map { $0 / 28 }).count)
            #expect((19...20).contains(extent), "digit \(index) spans \(extent) pixels")
            let (centre, expectedCentre) = (centreOfMass(result), centreOfMass(expected))
            #expect(abs(centre.x - expectedCentre.x) < 1.5 && abs(centre.y - expectedCentre.y) < 1.5, "digit \(index)")
            correlations.append(correlation(result, expected))
        }
        let mean = correlations.reduce(0, +) / Double(correlations.count)
        #expect(mean > 0.85, "mean correlation with the clean digits \(mean)")
    }

    @Test func theCentreOfMassLandsOnTheCentrePixel() throws {
        for digit in try mnistDigits.get().prefix(50) {
            let shifted = placed(digit, onCanvas: 60, 45, level: 0, x: 31, y: 2)
            let centre = centreOfMass(try preprocessor.preprocess(shifted, path: "s.png"))
            #expect(abs(centre.x - 14) <= 0.5 && abs(centre.y - 14) <= 0.5, "centre \(centre)")
        }
    }

    @Test func aspectIsPreservedAndTheLongerSideIsTwentyPixels() throws {
        // A 10×40 bar: scaled by one half to 5×20.
        let bar = placed(GrayImage(width: 10, height: 40, filledWith: 255), onCanvas: 50, 60, level: 0, x: 7, y: 9)
        let result = try preprocessor.preprocess(bar, path: "bar.png")
        let inked = (0..<784).filter { result.pixels[$0] > 0 }
        let columns = Set(inked.map { $0 % 28 }), rows = Set(inked.map { $0 / 28 })
        #expect(columns.count == 5 && rows.count == 20)
        #expect(inked.allSatisfy { result.pixels[$0] == 255 })
    }

    @Test(arguments: [
        ("white", GrayImage(width: 50, height: 40, filledWith: 255)),
        ("black", GrayImage(width: 28, height: 28, filledWith: 0)),
        ("grey", GrayImage(width: 30, height: 30, filledWith: 128)),
        ("faint", placed(GrayImage(width: 5, height: 5, filledWith: 240), onCanvas: 30, 30, level: 250, x: 10, y: 10)),
        ("noisy paper", onPaper(GrayImage(width: 64, height: 64, filledWith: 0), paper: 180, ink: 40, noise: 8, seed: 3)),
    ])
    func blankImagesHaveNoInk(name: String, image: GrayImage) {
        #expect(throws: PreprocessError.noInk(path: "\(name).png")) { try preprocessor.preprocess(image, path: "\(name).png") }
    }

    @Test func rawInputMustBeMNISTSized() throws {
        let digit = try mnistDigits.get()[0]
        #expect(try preprocessor.raw(digit, path: "d.png") == digit)
        let wide = GrayImage(width: 30, height: 28, filledWith: 0)
        let error = try #require(throws: PreprocessError.self) { try preprocessor.raw(wide, path: "wide.png") }
        #expect(error == .notMNISTSize(path: "wide.png", width: 30, height: 28, side: 28))
        #expect(error.description.hasPrefix("wide.png: image is 30×28"))
    }
}
