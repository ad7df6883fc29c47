// Decoding JPEG files through libjpeg-turbo: grey, colour, progressive and CMYK files against a
// lossless reference, the eight Exif orientations, and the errors for files that are not good
// JPEGs. The files are committed (Fixtures/jpeg, made by scripts/make_jpeg_fixtures.py).

import Foundation
import MNIST
import NeuralNet
import Testing

/// The bytes of a file in Fixtures/jpeg.
private func fixture(_ name: String) throws -> [UInt8] {
    try jpegFixture(name)
}

/// The 24×16 grey pattern every fixture encodes.
private func pattern() throws -> GrayImage {
    try GrayImage(pngData: fixture("pattern.png"), path: "pattern.png")
}

/// The mean and the largest difference in levels between two images of one size.
private func difference(_ a: GrayImage, _ b: GrayImage) -> (mean: Double, largest: Int) {
    let differences = zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }
    return (Double(differences.reduce(0, +)) / Double(differences.count), differences.max() ?? 0)
}

@Suite struct JPEGDecoderTests {
    /// Each file's luma is the pattern's, up to the loss of quality 95 (and for colour, the
    /// rounding of the colours chosen to have that luma).
    @Test(arguments: ["grey.jpg", "rgb.jpg", "progressive.jpg", "cmyk.jpg"])
    func decodesToTheReference(_ name: String) throws {
        let image = try GrayImage(imageData: fixture(name), path: name)
        let reference = try pattern()
        #expect(image.width == reference.width && image.height == reference.height)
        let (mean, largest) = difference(image, reference)
        #expect(mean < 3, "mean difference \(mean) levels")
        #expect(largest <= 16, "largest difference \(largest) levels")
    }

    @Test(arguments: ExifOrientation.allCases)
    func everyExifOrientationReadsUpright(_ orientation: ExifOrientation) throws {
        let name = "orientation-\(orientation.rawValue).jpg"
        let bytes = try fixture(name)
        #expect(ExifOrientation(jpeg: bytes) == orientation)
        let image = try GrayImage(imageData: bytes, path: name)
        let reference = try pattern()
        #expect(image.width == reference.width && image.height == reference.height, "\(image.width)×\(image.height)")
        guard image.width == reference.width else { return }
        #expect(difference(image, reference).mean < 3)
    }

    @Test func orientationTurnsAndMirrors() {
        // 3×2: a b c / d e f
        let image = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.oriented(.upMirrored).pixels == [3, 2, 1, 6, 5, 4])
        #expect(image.oriented(.down).pixels == [6, 5, 4, 3, 2, 1])
        #expect(image.oriented(.downMirrored).pixels == [4, 5, 6, 1, 2, 3])
        // Turned clockwise, the left column (a, d) becomes the top row, read d a.
        let right = image.oriented(.right)
        #expect(right.width == 2 && right.height == 3)
        #expect(right.pixels == [4, 1, 5, 2, 6, 3])
        #expect(image.oriented(.left).pixels == [3, 6, 2, 5, 1, 4])
        #expect(image.oriented(.leftMirrored).pixels == [1, 4, 2, 5, 3, 6])
        #expect(image.oriented(.rightMirrored).pixels == [6, 3, 5, 2, 4, 1])
    }

    @Test func aFileWithoutExifIsAsStored() throws {
        #expect(ExifOrientation(jpeg: try fixture("grey.jpg")) == .up)
        #expect(ExifOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]) == .up, "a segment longer than the file")
    }

    /// Content decides, not the name: a JPEG called .png is read as a JPEG, and the reverse.
    @Test func filesAreSniffedByContent() throws {
        let jpeg = try fixture("grey.jpg")
        #expect(try GrayImage(imageData: jpeg, path: "named.png").width == 24)
        let png = try fixture("pattern.png")
        #expect(try GrayImage(imageData: png, path: "named.jpg") == pattern())
    }
}

/// Broken and hostile JPEG files, and the error each must give.
@Suite struct JPEGBadInputTests {
    @Test func emptyFile() {
        #expect(throws: ImageError.empty(path: "e.jpg")) { try GrayImage(imageData: [], path: "e.jpg") }
    }

    @Test(arguments: [4, 30, 60, 90])
    func truncatedFile(keeping percent: Int) throws {
        let whole = try fixture("rgb.jpg")
        let cut = Array(whole.prefix(whole.count * percent / 100))
        let error = try #require(throws: ImageError.self) { try GrayImage(imageData: cut, path: "cut.jpg") }
        #expect(error == .truncated(path: "cut.jpg", format: .jpeg), "\(error)")
        #expect(error.description == "cut.jpg: truncated JPEG file: it ends before the image data does")
    }

    @Test func truncatedProgressiveFile() throws {
        let whole = try fixture("progressive.jpg")
        let cut = Array(whole.prefix(whole.count * 3 / 4))
        #expect(throws: ImageError.truncated(path: "p.jpg", format: .jpeg)) { try GrayImage(imageData: cut, path: "p.jpg") }
    }

    /// A marker of a type JPEG does not define where the quantisation table should be.
    @Test func corruptHeader() throws {
        var corrupt = try fixture("grey.jpg")
        let table = try #require(index(of: [0xFF, 0xDB], in: corrupt))
        corrupt[table + 1] = 0x02
        let error = try #require(throws: ImageError.self) { try GrayImage(imageData: corrupt, path: "bad.jpg") }
        guard case .decoding(_, .jpeg, let message) = error else {
            Issue.record("expected a decoding error, got \(error)")
            return
        }
        #expect(error.description.hasPrefix("bad.jpg: cannot decode JPEG: "))
        #expect(!message.isEmpty)
    }

    /// Bytes of the entropy-coded data replaced by a restart marker out of sequence: libjpeg
    /// would paint grey blocks and warn; the decode is refused instead.
    @Test func corruptImageData() throws {
        var corrupt = try fixture("rgb.jpg")
        let scan = try #require(index(of: [0xFF, 0xDA], in: corrupt))
        let middle = (scan + corrupt.count) / 2
        corrupt.replaceSubrange(middle..<(middle + 2), with: [0xFF, 0xD3])
        let error = try #require(throws: ImageError.self) { try GrayImage(imageData: corrupt, path: "bad.jpg") }
        #expect(error.description.hasPrefix("bad.jpg: cannot decode JPEG: Corrupt JPEG data"), "\(error)")
    }

    @Test func hugeHeaderIsRefusedBeforeDecoding() throws {
        var file = try fixture("grey.jpg")
        let frame = try #require(index(of: [0xFF, 0xC0], in: file))
        // SOF0: marker, length (2), precision (1), height (2), width (2).
        file.replaceSubrange((frame + 5)..<(frame + 9), with: [0xEA, 0x60, 0xEA, 0x60])
        #expect(throws: ImageError.tooLarge(path: "big.jpg", width: 60_000, height: 60_000, pixelLimit: GrayImage.defaultPixelLimit)) {
            try GrayImage(imageData: file, path: "big.jpg")
        }
    }

    @Test func pixelBudgetIsAdjustable() throws {
        let file = try fixture("grey.jpg")
        #expect(throws: ImageError.tooLarge(path: "g.jpg", width: 24, height: 16, pixelLimit: 383)) {
            try GrayImage(imageData: file, path: "g.jpg", pixelLimit: 383)
        }
        #expect(try GrayImage(imageData: file, path: "g.jpg", pixelLimit: 384).width == 24)
    }

    @Test func otherImageTypesAreNamed() throws {
        let error = try #require(throws: ImageError.self) {
            try GrayImage(imageData: Array("GIF89a".utf8) + [1, 0, 1, 0], path: "x.jpg")
        }
        #expect(error.description == "x.jpg: not a PNG or JPEG image: it is a GIF image (convert it to PNG first)")
    }
}

private func index(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    haystack.indices.first { haystack[$0...].starts(with: needle) }
}
