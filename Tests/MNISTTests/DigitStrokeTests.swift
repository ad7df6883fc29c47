// Thin strokes: a ring drawn with a thin pen on a large pad comes out of the preprocessing as
// bright and nearly as wide as one drawn with a thick pen; thick pens and MNIST-sized input are
// left alone.

import MNIST
import Testing

/// A dark ring (an "0") drawn with a round pen of `pen` pixels on a white `side × side` pad,
/// anti-aliased by coverage.
private func ring(pen: Double, side: Int = 400) -> GrayImage {
    var image = GrayImage(width: side, height: side, filledWith: 255)
    let centre = Double(side) / 2, radius = Double(side) * 0.35
    for y in 0..<side {
        for x in 0..<side {
            let distance = ((Double(x) + 0.5 - centre) * (Double(x) + 0.5 - centre)
                + (Double(y) + 0.5 - centre) * (Double(y) + 0.5 - centre)).squareRoot()
            let cover = min(max(pen / 2 + 0.5 - abs(distance - radius), 0), 1)
            image.pixels[y * side + x] = UInt8((255 * (1 - cover)).rounded())
        }
    }
    return image
}

/// Ink mass of a preprocessed image, in full-ink pixels.
private func mass(_ image: GrayImage) -> Double {
    Double(image.pixels.reduce(0) { $0 + Int($1) }) / 255
}

@Suite struct DigitStrokeTests {
    let thickening = DigitPreprocessor()
    let none = DigitPreprocessor(minimumStrokeWidth: 0)

    @Test(arguments: [2.0, 4, 8])
    func aThinPenIsThickenedToMNISTWidth(pen: Double) throws {
        let image = ring(pen: pen)
        let plain = try none.preprocess(image, path: "ring")
        let thickened = try thickening.preprocess(image, path: "ring")
        // Unthickened, the ring is faint: its brightest pixel is far from full ink.
        #expect(plain.pixels.max()! < 200)
        #expect(thickened.pixels.max()! == 255)
        // A 20-pixel ring of circumference about 2π·10 with strokes 2 pixels wide has ink mass
        // of about 120; allow for the ring shrinking a little to make room for the wider stroke.
        #expect(mass(thickened) > 90 && mass(thickened) < 160, "mass \(mass(thickened))")
    }

    @Test func aThickPenIsLeftAlone() throws {
        let image = ring(pen: 40)
        #expect(try thickening.preprocess(image, path: "ring") == none.preprocess(image, path: "ring"))
    }

    @Test func aDigitAtMNISTScaleIsLeftAlone() throws {
        // A ring 18 pixels across with a 1-pixel pen: enlarged, not shrunk, so not thickened.
        let image = ring(pen: 1, side: 26)
        #expect(try thickening.preprocess(image, path: "ring") == none.preprocess(image, path: "ring"))
    }

    @Test func thinAndThickPensGiveSimilarInputs() throws {
        let thin = try thickening.preprocess(ring(pen: 4), path: "thin")
        let thick = try thickening.preprocess(ring(pen: 24), path: "thick")
        let difference = zip(thin.pixels, thick.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        let plainThin = try none.preprocess(ring(pen: 4), path: "thin")
        let plainDifference = zip(plainThin.pixels, thick.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(difference * 2 < plainDifference, "thickened \(difference) vs plain \(plainDifference)")
    }
}
