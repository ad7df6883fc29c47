// Decoding every kind of PNG libpng reads to grey levels, compositing transparency over white,
// the writer's round trip, and the errors for files that are not good PNGs.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// A 9×9 image (big enough for every Adam7 pass) of 81 different 8-bit levels.
private let side = 9
private let levels = (0..<(side * side)).map { ($0 * 37 + 11) % 256 }

/// One way of storing `levels` as a PNG, and how close the decoded levels must be.
struct PNGForm: CustomStringConvertible, Sendable {
    var description: String
    var file: @Sendable () -> PNGTestFile
    var tolerance = 0
    var expected: @Sendable () -> [Int] = { levels }
}

private func file(_ colorType: PNGTestFile.ColorType, depth: Int = 8, interlaced: Bool = false, _ samples: [Int]) -> PNGTestFile {
    PNGTestFile(width: side, height: side, colorType: colorType, bitDepth: depth, interlaced: interlaced, samples: samples)
}

/// Levels reduced to `depth` bits, and what libpng expands them back to.
private func reduced(_ depth: Int) -> (samples: [Int], expanded: [Int]) {
    let maximum = (1 << depth) - 1
    let samples = levels.map { $0 >> (8 - depth) }
    return (samples, samples.map { $0 * 255 / maximum })
}

private let forms: [PNGForm] = [
    PNGForm(description: "grey 8-bit", file: { file(.grey, levels) }),
    PNGForm(description: "grey 8-bit interlaced", file: { file(.grey, interlaced: true, levels) }),
    PNGForm(description: "grey 16-bit", file: { file(.grey, depth: 16, levels.map { $0 * 257 }) }),
    PNGForm(description: "grey 16-bit interlaced", file: { file(.grey, depth: 16, interlaced: true, levels.map { $0 * 257 }) }, tolerance: 1),
    PNGForm(description: "grey 1-bit", file: { file(.grey, depth: 1, reduced(1).samples) }, expected: { reduced(1).expanded }),
    PNGForm(description: "grey 2-bit", file: { file(.grey, depth: 2, reduced(2).samples) }, expected: { reduced(2).expanded }),
    PNGForm(description: "grey 4-bit interlaced", file: { file(.grey, depth: 4, interlaced: true, reduced(4).samples) }, expected: { reduced(4).expanded }),
    PNGForm(description: "grey+alpha 8-bit opaque", file: { file(.greyAlpha, levels.flatMap { [$0, 255] }) }),
    PNGForm(description: "grey+alpha 16-bit interlaced opaque", file: { file(.greyAlpha, depth: 16, interlaced: true, levels.flatMap { [$0 * 257, 65535] }) }, tolerance: 1),
    PNGForm(description: "RGB 8-bit grey colours", file: { file(.rgb, levels.flatMap { [$0, $0, $0] }) }, tolerance: 1),
    PNGForm(description: "RGB 16-bit grey colours", file: { file(.rgb, depth: 16, levels.flatMap { [$0 * 257, $0 * 257, $0 * 257] }) }, tolerance: 1),
    PNGForm(description: "RGBA 8-bit opaque", file: { file(.rgba, levels.flatMap { [$0, $0, $0, 255] }) }, tolerance: 1),
    PNGForm(description: "palette", file: {
        var png = file(.palette, Array(0..<(side * side)))
        png.palette = levels.flatMap { [UInt8($0), UInt8($0), UInt8($0)] }
        return png
    }, tolerance: 1),
    PNGForm(description: "palette with tRNS: entry 0 transparent", file: {
        var png = file(.palette, Array(0..<(side * side)))
        png.palette = levels.flatMap { [UInt8($0), UInt8($0), UInt8($0)] }
        png.transparency = [0]
        return png
    }, tolerance: 1, expected: { [255] + levels.dropFirst() }),
    PNGForm(description: "black ink, alpha from 0 to 255", file: { file(.greyAlpha, levels.flatMap { [0, $0] }) }, tolerance: 1,
            expected: { levels.map { 255 - $0 } }),
    PNGForm(description: "RGBA red ink, fully transparent background", file: {
        file(.rgba, levels.flatMap { $0 < 128 ? [255, 0, 0, 0] : [0, 0, 0, 255] })
    }, expected: { levels.map { $0 < 128 ? 255 : 0 } }),
]

@Suite struct PNGDecoderTests {
    @Test(arguments: forms)
    func decodesEveryForm(_ form: PNGForm) throws {
        let image = try GrayImage(pngData: form.file().encoded(), path: "form.png")
        #expect(image.width == side && image.height == side)
        let expected = form.expected()
        let worst = zip(image.pixels, expected).map { abs(Int($0) - $1) }.max() ?? 0
        #expect(worst <= form.tolerance, "largest difference \(worst) levels")
    }

    @Test func writerRoundTrips() throws {
        let image = GrayImage(width: 5, height: 3, pixels: (0..<15).map { UInt8($0 * 17) })
        let bytes = try image.pngData()
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try GrayImage(pngData: bytes, path: "round.png") == image)
    }

    @Test func writesFilesAtomicallyAndReadsThemBack() throws {
        let directory = try ScratchDirectory()
        let path = directory.path("digit.png")
        let image = GrayImage(width: 2, height: 2, pixels: [0, 85, 170, 255])
        try image.writePNG(to: path)
        #expect(try GrayImage(contentsOf: FileSystemPath(path)) == image)
        #expect(directory.contents == ["digit.png"])
    }

    @Test func writingIntoAMissingDirectoryNamesTheFile() {
        #expect {
            try GrayImage(width: 1, height: 1, pixels: [0]).writePNG(to: "/nonexistent-dir/x.png")
        } throws: { error in
            guard case .file(let fileError) = error as? ImageError else { return false }
            return fileError.path == "/nonexistent-dir/x.png"
        }
    }
}

/// Broken and hostile files, and the error each must give.
@Suite struct PNGBadInputTests {
    private let good = PNGTestFile(width: 8, height: 8, samples: (0..<64).map { $0 * 4 }).encoded()

    @Test func emptyFile() {
        #expect(throws: ImageError.empty(path: "e.png")) { try GrayImage(pngData: [], path: "e.png") }
    }

    @Test func textNamedPNG() {
        #expect(throws: ImageError.notAnImage(path: "t.png", content: "it holds text")) {
            try GrayImage(imageData: Array("hello, I am not an image\n".utf8), path: "t.png")
        }
    }

    /// The PNG decoder itself, handed a JPEG's first bytes, says what they are.
    @Test func jpegGivenToThePNGDecoder() throws {
        let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]
        let error = try #require(throws: ImageError.self) { try GrayImage(pngData: jpegStart, path: "j.png") }
        #expect(error.description.hasPrefix("j.png: cannot decode PNG: no PNG signature"))
        #expect(error.reason.contains("JPEG"))
    }

    @Test(arguments: [8, 20, 33, 60])
    func truncatedFile(keeping fraction: Int) throws {
        let cut = Array(good.prefix(good.count * fraction / 100))
        let error = try #require(throws: ImageError.self) { try GrayImage(pngData: cut, path: "cut.png") }
        guard case .decoding(let path, .png, let message) = error else {
            Issue.record("expected a decoding error, got \(error)")
            return
        }
        #expect(path == "cut.png")
        #expect(!message.isEmpty)
    }

    /// A chunk whose CRC does not match its contents: the checksum of IHDR or IDAT altered.
    @Test(arguments: ["IHDR", "IDAT"])
    func crcError(in chunk: String) throws {
        var corrupt = good
        let type = try #require(indexOf(Array(chunk.utf8), in: corrupt))
        let length = Int(corrupt[type - 4]) << 24 | Int(corrupt[type - 3]) << 16 | Int(corrupt[type - 2]) << 8 | Int(corrupt[type - 1])
        corrupt[type + 4 + length] ^= 0x55
        let error = try #require(throws: ImageError.self) { try GrayImage(pngData: corrupt, path: "crc.png") }
        #expect(error.description.hasPrefix("crc.png: cannot decode PNG:"))
        #expect(error.reason.contains("CRC"))
    }

    /// A flipped byte inside the compressed data: zlib notices before the CRC is checked.
    @Test func corruptCompressedData() throws {
        var corrupt = good
        let idat = try #require(indexOf(Array("IDAT".utf8), in: corrupt))
        corrupt[idat + 6] ^= 0x55
        let error = try #require(throws: ImageError.self) { try GrayImage(pngData: corrupt, path: "bad.png") }
        #expect(error.description.hasPrefix("bad.png: cannot decode PNG: IDAT"))
    }

    @Test func hugeHeaderIsRefusedBeforeAllocating() {
        var header = bigEndian(100_000) + bigEndian(100_000)
        header += [8, 0, 0, 0, 0]
        let file = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + PNGTestFile.chunk("IHDR", header)
            + PNGTestFile.chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + PNGTestFile.chunk("IEND", [])
        #expect(throws: ImageError.tooLarge(path: "big.png", width: 100_000, height: 100_000, pixelLimit: GrayImage.defaultPixelLimit)) {
            try GrayImage(pngData: file, path: "big.png")
        }
    }

    @Test func pixelBudgetIsAdjustable() throws {
        #expect(throws: ImageError.tooLarge(path: "g.png", width: 8, height: 8, pixelLimit: 63)) {
            try GrayImage(pngData: good, path: "g.png", pixelLimit: 63)
        }
        #expect(try GrayImage(pngData: good, path: "g.png", pixelLimit: 64).width == 8)
    }

    @Test func missingFileNamesIt() {
        #expect(throws: ImageError.file(FileError(path: "/no/such.png", reason: "no such file"))) {
            try GrayImage(contentsOf: FileSystemPath("/no/such.png"))
        }
    }
}

private func indexOf(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    haystack.indices.first { haystack[$0...].starts(with: needle) }
}
