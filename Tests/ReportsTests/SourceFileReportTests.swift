// Reports on a folder of the user's own images: mistakes name their files, the HTML gallery shows
// each picture as drawn beside the 28×28 the network saw, unreadable files are listed in every
// format; and a report on IDX data says none of this.

import Foundation
import MNIST
import NeuralNet
@testable import Reports
import TestSupport
import Testing

@Suite struct SourceFileReportTests {
    static let files = (0..<6).map { "digits/\([0, 1, 2, 2, 1, 0][$0])/img\($0).png" }
    static let unreadable = [FileError(path: "digits/1/bad.png", reason: "not a PNG file: it holds text")]

    @Test func everyFormatListsTheUnreadableFiles() throws {
        let report = sampleReport(sampleFiles: Self.files, unreadableFiles: Self.unreadable)
        #expect(report.text().contains("1 file could not be read and is not counted:\n  digits/1/bad.png: not a PNG file"))
        #expect(report.markdown().contains("## Files not read"))
        #expect(report.markdown().contains("- `digits/1/bad.png`: not a PNG file"))
        #expect(report.html().contains("<h2>Files not read</h2>"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect((json["unreadable_files"] as? [[String: String]]) == [["file": "digits/1/bad.png", "error": "not a PNG file: it holds text"]])
        let mistakes = try #require(json["most_confident_mistakes"] as? [[String: Any]])
        #expect(mistakes.map { $0["file"] as? String } == mistakes.map { Self.files[$0["index"] as! Int] })
    }

    @Test func anIDXReportHasNoFileKeys() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sampleReport().json().utf8)) as? [String: Any])
        #expect(json["unreadable_files"] == nil)
        #expect((json["most_confident_mistakes"] as? [[String: Any]])?.allSatisfy { $0["file"] == nil } == true)
        #expect(!sampleReport().html().contains("Files not read"))
    }

    @Test func theGalleryShowsEachImageAsDrawnBesideWhatTheNetworkSaw() throws {
        let scratch = try ScratchDirectory(prefix: "SourceFileReportTests")
        // A large picture (400×200) for one mistake and none for the other.
        let drawn = scratch.path("wide.png")
        try GrayImage(width: 400, height: 200, pixels: (0..<80_000).map { UInt8($0 % 251) }).writePNG(to: drawn)
        var files = Self.files
        files[3] = drawn
        let report = sampleReport(sampleFiles: files).loadingSourcePictures()
        let withPicture = try #require(report.mistakeImages.first { $0.file == drawn })
        let picture = try #require(withPicture.original)
        #expect((picture.width, picture.height) == (400, 200))
        #expect(report.mistakeImages.filter { $0.original == nil }.count == report.mistakeImages.count - 1, "missing files get no picture")

        let html = report.html()
        #expect(html.components(separatedBy: "class=\"original\"").count - 1 == 1)
        #expect(html.contains("class=\"original\" width=\"84\" height=\"42\""), "fitted into 84 pixels, aspect kept")
        #expect(html.contains("<span class=\"file\">\(HTMLText.escape(EvaluationReport.shortName(drawn)))</span>"))
        #expect(html.contains("gallery wide"))
    }

    @Test(arguments: [(400, 200, 112, 112, 56), (30, 300, 100, 10, 100), (28, 28, 112, 28, 28)])
    func thumbnailsFitTheirBoxWithTheAspectKept(width: Int, height: Int, side: Int, expectedWidth: Int, expectedHeight: Int) {
        let small = GrayImage(width: width, height: height, filledWith: 200).thumbnail(fitting: side)
        #expect((small.width, small.height) == (expectedWidth, expectedHeight))
        #expect(small.pixels.allSatisfy { $0 == 200 })
    }

    @Test func aSmallFileIsEmbeddedAsItIsWithoutBeingDecodedAgain() throws {
        let scratch = try ScratchDirectory(prefix: "SourceFileReportTests")
        var bytes = try GrayImage(width: 40, height: 30, pixels: (0..<1200).map { UInt8($0 % 256) }).pngData()
        // Spoil the last chunks (the image data's CRC and IEND) but not the header: decoding the
        // pixels would now fail, so a picture here shows that only the header was read.
        for index in (bytes.count - 16)..<bytes.count { bytes[index] ^= 0xFF }
        #expect(throws: ImageError.self) { try GrayImage(pngData: bytes, path: "spoiled.png") }
        let path = scratch.path("spoiled.png")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let picture = try #require(EvaluationReport.SourcePicture(contentsOf: path))
        #expect(picture == EvaluationReport.SourcePicture(png: bytes, width: 40, height: 30))
    }

    @Test(arguments: [[UInt8](), Array("not a png".utf8), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]])
    func aFileWithoutAReadableHeaderGivesNoPicture(bytes: [UInt8]) throws {
        let scratch = try ScratchDirectory(prefix: "SourceFileReportTests")
        let path = scratch.path("bad.png")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(EvaluationReport.SourcePicture(contentsOf: path) == nil)
    }

    @Test func thumbnailPixelsAreTheMeanOfWhatTheyCover() {
        // 4×2, left half 0 and 100, right half 200 and 255: two boxes of 2×2.
        let image = GrayImage(width: 4, height: 2, pixels: [0, 100, 200, 255, 100, 0, 255, 200])
        #expect(image.thumbnail(fitting: 2).pixels == [50, 227])
    }
}
