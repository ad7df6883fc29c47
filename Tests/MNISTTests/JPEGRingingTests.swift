// A JPEG's ringing against the preprocessing. An off-centre digit on a 200×150 canvas, saved as a
// PNG and as a quality-90 JPEG (Fixtures/jpeg/offcentre-K, made by scripts/make_jpeg_fixtures.py),
// must come out as nearly the same 28×28 digit. Counted as ink, the faint ringing around the
// strokes widened the crop, so the JPEG's digit came out smaller (1 to 2 rows shorter, 13–17% less
// ink) and the offcentre form lost 5 points of accuracy as JPEG.

import MNIST
import NeuralNet
import Testing

/// The mean difference in levels between two images of one size, after shifting `b` by at most one
/// pixel each way to match `a` best: centring by whole pixels may round a centre of mass near a
/// half pixel either way.
private func alignedDifference(_ a: GrayImage, _ b: GrayImage) -> Double {
    var best = Double.infinity
    for dy in -1...1 {
        for dx in -1...1 {
            var total = 0
            for y in 0..<a.height {
                for x in 0..<a.width {
                    let (u, v) = (x - dx, y - dy)
                    let other = (0..<b.width).contains(u) && (0..<b.height).contains(v) ? Int(b[x: u, y: v]) : 0
                    total += abs(Int(a[x: x, y: y]) - other)
                }
            }
            best = min(best, Double(total) / Double(a.pixels.count))
        }
    }
    return best
}

/// How many rows hold clear ink (a tenth of full ink or more): the digit's drawn height.
private func clearRows(_ image: GrayImage) -> Int {
    (0..<image.height).filter { y in (0..<image.width).contains { image[x: $0, y: y] >= 26 } }.count
}

/// The ink's total level.
private func mass(_ image: GrayImage) -> Double {
    Double(image.pixels.reduce(0) { $0 + Int($1) })
}

/// The fixture pair `offcentre-K`, each preprocessed by `preprocessor`.
private func preprocessedPair(_ index: Int, by preprocessor: DigitPreprocessor) throws -> (png: GrayImage, jpeg: GrayImage) {
    let png = try GrayImage(imageData: jpegFixture("offcentre-\(index).png"), path: "offcentre-\(index).png")
    let jpeg = try GrayImage(imageData: jpegFixture("offcentre-\(index).jpg"), path: "offcentre-\(index).jpg")
    #expect(png.width == 200 && png.height == 150 && jpeg.width == 200 && jpeg.height == 150)
    return (try preprocessor.preprocess(png, path: "offcentre-\(index).png"),
            try preprocessor.preprocess(jpeg, path: "offcentre-\(index).jpg"))
}

@Suite struct JPEGRingingTests {
    /// Before faint ink was dropped from shrunk digits, the JPEG's digit was 1 or 2 rows shorter,
    /// held 13–17% less ink, and two of the pairs differed by 5.2 and 10.3 levels on average
    /// (aligned; now all by less than 2.5).
    @Test(arguments: [0, 1, 2])
    func anOffCentreJPEGPreprocessesLikeItsPNG(index: Int) throws {
        let (png, jpeg) = try preprocessedPair(index, by: DigitPreprocessor())
        let difference = alignedDifference(png, jpeg)
        #expect(difference < 3, "mean difference \(difference) levels")
        #expect(clearRows(png) == clearRows(jpeg), "\(clearRows(png)) rows from the PNG, \(clearRows(jpeg)) from the JPEG")
        #expect(abs(mass(jpeg) / mass(png) - 1) < 0.05, "the JPEG's ink is \(mass(jpeg) / mass(png)) of the PNG's")
    }

    /// The same pairs with faint ink kept: the fixtures do carry the ringing the test above is
    /// about, so that test can tell.
    @Test func withFaintInkKeptTheRingingShrinksTheDigit() throws {
        let keeping = DigitPreprocessor(faintInkFraction: 0)
        for index in 0..<3 {
            let (png, jpeg) = try preprocessedPair(index, by: keeping)
            #expect(clearRows(jpeg) < clearRows(png), "digit \(index)")
            #expect(mass(jpeg) < 0.9 * mass(png), "digit \(index): the JPEG's ink is \(mass(jpeg) / mass(png)) of the PNG's")
        }
    }
}
