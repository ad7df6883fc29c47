// The IDX format (MNIST, Fashion-MNIST, KMNIST): a big-endian header, then row-major data.
//
//   bytes 0–1   zero
//   byte  2     element type (0x08: unsigned byte, the only one supported here)
//   byte  3     number of dimensions d
//   4·d bytes   each dimension as a big-endian UInt32
//   the rest    the elements, row-major
//
// Gzip-compressed files are recognised by their first two bytes (1F 8B), not by their name.

import NeuralNet

/// An IDX array of unsigned bytes.
public struct IDXFile: Equatable, Sendable {
    /// Dimensions, outermost first: `[60000, 28, 28]` for MNIST training images.
    public var dimensions: [Int]
    /// The elements, row-major; exactly the product of `dimensions` of them.
    public var bytes: [UInt8]

    /// An array with the given dimensions and elements.
    public init(dimensions: [Int], bytes: [UInt8]) {
        precondition(bytes.count == dimensions.reduce(1, *), "byte count does not match dimensions")
        self.dimensions = dimensions
        self.bytes = bytes
    }

    /// Reads an IDX file, raw or gzip-compressed.
    /// - Throws: `IDXError` naming the file and the problem.
    public init(contentsOf path: String) throws(IDXError) {
        let contents: [UInt8]
        do {
            contents = try readFile(path)
        } catch {
            throw .file(error)
        }
        try self.init(decoding: contents, path: path)
    }

    /// Decodes an IDX file's bytes (raw or gzip). `path` only labels errors.
    /// - Throws: `IDXError` saying what is wrong; nothing is allocated from a declared size.
    public init(decoding contents: [UInt8], path: String) throws(IDXError) {
        var raw = contents
        if Gzip.isCompressed(contents) {
            do {
                raw = try Gzip.inflate(contents)
            } catch {
                throw .gzip(path: path, error)
            }
        }
        guard raw.count >= 4 else { throw .truncatedHeader(path: path, needed: 4, actual: raw.count) }
        let magic = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
        guard raw[0] == 0, raw[1] == 0, raw[3] > 0 else { throw .badMagic(path: path, magic: magic) }
        // Type codes defined by the format: 08 ubyte, 09 sbyte, 0B short, 0C int, 0D float, 0E double.
        guard [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E].contains(raw[2]) else { throw .badMagic(path: path, magic: magic) }
        guard raw[2] == 0x08 else { throw .unsupportedType(path: path, typeCode: raw[2]) }

        let rank = Int(raw[3])
        let headerLength = 4 + 4 * rank
        guard raw.count >= headerLength else { throw .truncatedHeader(path: path, needed: headerLength, actual: raw.count) }
        var dimensions: [Int] = []
        for d in 0..<rank {
            let at = 4 + 4 * d
            dimensions.append(Int(raw[at]) << 24 | Int(raw[at + 1]) << 16 | Int(raw[at + 2]) << 8 | Int(raw[at + 3]))
        }
        let actual = raw.count - headerLength
        // Multiply with overflow checks: 255 dimensions of 2³² each must not wrap around.
        var declared = 1
        for dimension in dimensions {
            let (product, overflow) = declared.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .truncated(path: path, dimensions: dimensions, actual: actual) }
            declared = product
        }
        guard declared <= actual else { throw .truncated(path: path, dimensions: dimensions, actual: actual) }
        guard declared == actual else { throw .trailingBytes(path: path, dimensions: dimensions, actual: actual) }
        raw.removeFirst(headerLength)
        self.init(dimensions: dimensions, bytes: raw)
    }
}
