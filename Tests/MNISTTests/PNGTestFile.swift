// PNG files built chunk by chunk for the decoder's tests: every colour type and bit depth, palette
// and tRNS, Adam7 interlacing, and deliberately broken files. zlib compresses and checksums.

import CZlib

/// A PNG file described by its header fields and samples, encoded on demand.
struct PNGTestFile {
    /// IHDR colour types.
    enum ColorType: UInt8 {
        case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6

        var channels: Int {
            switch self {
            case .grey, .palette: return 1
            case .greyAlpha: return 2
            case .rgb: return 3
            case .rgba: return 4
            }
        }
    }

    var width: Int
    var height: Int
    var colorType: ColorType = .grey
    var bitDepth: Int = 8
    var interlaced = false
    /// PLTE entries, three bytes each.
    var palette: [UInt8] = []
    /// The tRNS chunk's contents, if any.
    var transparency: [UInt8]?
    /// `width × height × channels` samples, each within the bit depth.
    var samples: [Int]

    /// Adam7's seven passes: first column, first row, column step, row step.
    private static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    /// The file's bytes.
    func encoded() -> [UInt8] {
        precondition(samples.count == width * height * colorType.channels, "sample count does not match the image")
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += Self.chunk("IHDR", header)
        if !palette.isEmpty { file += Self.chunk("PLTE", palette) }
        if let transparency { file += Self.chunk("tRNS", transparency) }
        file += Self.chunk("IDAT", deflate(scanlines()))
        file += Self.chunk("IEND", [])
        return file
    }

    /// The filtered scanlines (filter type 0 on every row), pass after pass when interlaced.
    private func scanlines() -> [UInt8] {
        let passes = interlaced ? Self.adam7 : [(0, 0, 1, 1)]
        var data: [UInt8] = []
        for (x0, y0, dx, dy) in passes {
            let columns = Array(stride(from: x0, to: width, by: dx))
            guard !columns.isEmpty else { continue }
            for y in stride(from: y0, to: height, by: dy) {
                data.append(0)
                data += pack(columns.flatMap { x in (0..<colorType.channels).map { samples[(y * width + x) * colorType.channels + $0] } })
            }
        }
        return data
    }

    /// Samples packed at the bit depth, most significant bits first, the row padded to a byte.
    private func pack(_ row: [Int]) -> [UInt8] {
        if bitDepth == 16 { return row.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
        if bitDepth == 8 { return row.map { UInt8($0) } }
        var bytes: [UInt8] = []
        var bitsUsed = 8
        for sample in row {
            if bitsUsed == 8 {
                bytes.append(0)
                bitsUsed = 0
            }
            bitsUsed += bitDepth
            bytes[bytes.count - 1] |= UInt8(sample << (8 - bitsUsed))
        }
        return bytes
    }

    /// A chunk: length, type, data, CRC of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc(body))
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
    }
}

/// A zlib stream of `data`.
private func deflate(_ data: [UInt8]) -> [UInt8] {
    var size = compressBound(UInt(data.count))
    var output = [UInt8](repeating: 0, count: Int(size))
    let status = compress(&output, &size, data, UInt(data.count))
    precondition(status == Z_OK, "zlib compress failed: \(status)")
    return Array(output.prefix(Int(size)))
}

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}
