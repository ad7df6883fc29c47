// The IDX reader on raw and gzip bytes, and on every kind of broken file: each must give a typed
// error naming the file, quickly, without allocating what a lying header declares.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// A broken IDX file and the error it must produce.
struct BrokenIDX: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: IDXError
    var testDescription: String { name }
}

@Suite struct IDXFileTests {
    static let path = "fixture-idx3-ubyte"

    @Test(arguments: [[5], [3, 2, 2], [2, 28, 28], [1, 1, 1, 1], [0, 28, 28]] as [[UInt32]])
    func readsRawIDX(dimensions: [UInt32]) throws {
        let file = try IDXFile(decoding: idxBytes(dimensions: dimensions), path: Self.path)
        #expect(file.dimensions == dimensions.map(Int.init))
        let count = dimensions.reduce(1) { $0 * Int($1) }
        #expect(file.bytes == (0..<count).map { UInt8(truncatingIfNeeded: $0) })
    }

    @Test func readsGzipTheSameAsRawWhateverTheName() throws {
        let raw = idxBytes(dimensions: [10, 28, 28])
        let compressed = try gzipped(raw)
        #expect(compressed.count < raw.count)
        // Told apart by the magic 1F 8B, not by the name.
        let fromGzip = try IDXFile(decoding: compressed, path: "images.idx")
        let fromRaw = try IDXFile(decoding: raw, path: "images.gz")
        #expect(fromGzip == fromRaw)
    }

    @Test func readsConcatenatedGzipMembers() throws {
        let raw = idxBytes(dimensions: [4, 28, 28])
        let joined = try gzipped(Array(raw[..<1000])) + gzipped(Array(raw[1000...]))
        #expect(try IDXFile(decoding: joined, path: Self.path) == IDXFile(decoding: raw, path: Self.path))
    }

    static let brokenFiles: [BrokenIDX] = [
        BrokenIDX(name: "empty", bytes: [], expected: .truncatedHeader(path: path, needed: 4, actual: 0)),
        BrokenIDX(name: "shorter than the magic", bytes: [0, 0], expected: .truncatedHeader(path: path, needed: 4, actual: 2)),
        BrokenIDX(name: "wrong magic", bytes: [0x12, 0x34, 0x08, 0x01, 0, 0, 0, 0], expected: .badMagic(path: path, magic: 0x1234_0801)),
        BrokenIDX(name: "text file", bytes: Array("hello, world".utf8), expected: .badMagic(path: path, magic: 0x6865_6C6C)),
        BrokenIDX(name: "unknown type code", bytes: idxBytes(dimensions: [1], type: 0x07), expected: .badMagic(path: path, magic: 0x0000_0701)),
        BrokenIDX(name: "zero dimensions", bytes: [0, 0, 8, 0, 1], expected: .badMagic(path: path, magic: 0x0000_0800)),
        BrokenIDX(name: "floats", bytes: idxBytes(dimensions: [1], type: 0x0D, data: [0, 0, 0, 0]), expected: .unsupportedType(path: path, typeCode: 0x0D)),
        BrokenIDX(name: "signed bytes", bytes: idxBytes(dimensions: [2], type: 0x09), expected: .unsupportedType(path: path, typeCode: 0x09)),
        BrokenIDX(name: "truncated header", bytes: [0, 0, 8, 3, 0, 0, 0, 2, 0, 0], expected: .truncatedHeader(path: path, needed: 16, actual: 10)),
        BrokenIDX(name: "truncated data", bytes: Array(idxBytes(dimensions: [2, 2, 2]).dropLast(3)), expected: .truncated(path: path, dimensions: [2, 2, 2], actual: 5)),
        BrokenIDX(name: "trailing bytes", bytes: idxBytes(dimensions: [3]) + [9], expected: .trailingBytes(path: path, dimensions: [3], actual: 4)),
        BrokenIDX(name: "billions of images in a tiny file", bytes: idxBytes(dimensions: [0xFFFF_FFFF, 28, 28], data: [1, 2, 3]),
                  expected: .truncated(path: path, dimensions: [0xFFFF_FFFF, 28, 28], actual: 3)),
        BrokenIDX(name: "dimensions whose product overflows", bytes: idxBytes(dimensions: Array(repeating: 0xFFFF_FFFF, count: 4), data: []),
                  expected: .truncated(path: path, dimensions: Array(repeating: 0xFFFF_FFFF, count: 4), actual: 0)),
    ]

    @Test(arguments: brokenFiles)
    func brokenFileGivesItsError(file: BrokenIDX) throws {
        let started = Date()
        #expect(throws: file.expected) { try IDXFile(decoding: file.bytes, path: Self.path) }
        #expect(Date().timeIntervalSince(started) < 1, "must fail from the header, without touching the declared size")
        #expect(file.expected.description.hasPrefix(Self.path + ": "))
    }

    @Test func gzipOfABillionItemHeaderFailsQuickly() throws {
        let started = Date()
        let compressed = try gzipped(idxBytes(dimensions: [0xFFFF_FFFF, 28, 28], data: Array(repeating: 0, count: 1000)))
        #expect(throws: IDXError.truncated(path: Self.path, dimensions: [0xFFFF_FFFF, 28, 28], actual: 1000)) {
            try IDXFile(decoding: compressed, path: Self.path)
        }
        #expect(Date().timeIntervalSince(started) < 2)
    }

    /// A gzip stream cut anywhere before its end: mid-header, mid-data, inside the trailer.
    @Test(arguments: [2, 5, 10, 30, 200, -8, -4, -1])
    func gzipCutShortIsTruncated(cut: Int) throws {
        let compressed = try gzipped(idxBytes(dimensions: [20, 28, 28]))
        let kept = cut > 0 ? Array(compressed.prefix(cut)) : Array(compressed.dropLast(-cut))
        #expect(throws: IDXError.gzip(path: Self.path, .truncated)) { try IDXFile(decoding: kept, path: Self.path) }
    }

    @Test func corruptGzipIsReported() throws {
        let compressed = try gzipped(idxBytes(dimensions: [20, 28, 28]))
        // An unknown compression method in the header, and flipped bytes in the deflate data.
        var badMethod = compressed
        badMethod[2] = 0x07
        var flipped = compressed
        for i in 20..<40 { flipped[i] ^= 0xFF }
        var badChecksum = compressed
        badChecksum[badChecksum.count - 6] ^= 0x01
        for broken in [badMethod, flipped, badChecksum] {
            let error = try #require(throws: IDXError.self) { try IDXFile(decoding: broken, path: Self.path) }
            guard case .gzip(Self.path, .corrupt) = error else {
                Issue.record("expected a corrupt gzip error, got \(error)")
                continue
            }
            #expect(error.description.hasPrefix(Self.path + ": "))
            #expect(error.description.contains("gzip"))
        }
    }

    @Test func missingFileIsNamed() {
        let path = "/nonexistent-\(UUID().uuidString)/train-images-idx3-ubyte.gz"
        #expect(throws: IDXError.file(FileError(path: path, reason: "no such file"))) { try IDXFile(contentsOf: path) }
    }

    @Test func readsFromDiskRawAndGzip() throws {
        let scratch = try ScratchDirectory()
        let raw = idxBytes(dimensions: [3, 4])
        let rawPath = try scratch.write("a", raw)
        let gzipPath = try scratch.write("b", try gzipped(raw))
        #expect(try IDXFile(contentsOf: rawPath) == IDXFile(contentsOf: gzipPath))
        let broken = try scratch.write("c", Array(raw.dropLast()))
        let error = try #require(throws: IDXError.self) { try IDXFile(contentsOf: broken) }
        #expect(error.description.hasPrefix(broken + ": truncated"))
    }
}
