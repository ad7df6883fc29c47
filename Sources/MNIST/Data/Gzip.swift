// Inflating gzip data through zlib, with the output bounded so a crafted file cannot exhaust memory.

import CZlib

/// Why gzip data could not be inflated.
public enum GzipError: Error, Equatable, CustomStringConvertible {
    /// The stream ended before its end marker: the file was cut short.
    case truncated
    /// zlib found the data inconsistent (bad header, bad block, CRC mismatch).
    case corrupt(String)
    /// The data inflates to more than the allowed size.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .truncated: return "the gzip stream ends early (file cut short)"
        case .corrupt(let message): return "corrupt gzip data (\(message))"
        case .tooLarge(let limit): return "inflates to more than \(limit) bytes"
        }
    }
}

enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1F 8B.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates a gzip stream (one or more members) into at most `limit` bytes.
    static func inflate(_ input: [UInt8], limit: Int = 1 << 30) throws(GzipError) -> [UInt8] {
        // The trailer's ISIZE (size mod 2³²) is a good first guess for honest files; a lying one can
        // ask for at most what deflate's maximum ratio (about 1032:1) allows, and never over `limit`.
        var guess = input.count * 4
        if input.count >= 18 {
            let n = input.count
            let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
            guess = max(guess, isize)
        }
        guess = min(guess, input.count * 1032 + 64, limit)
        var output = [UInt8](repeating: 0, count: max(guess, 64))

        var stream = z_stream()
        // 16 + 15: a gzip wrapper and the largest window.
        guard czlib_inflate_init2(&stream, 16 + 15) == Z_OK else { throw .corrupt("zlib could not start") }
        defer { inflateEnd(&stream) }

        var produced = 0
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { (source) throws(GzipError) in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                if produced == output.count {
                    guard output.count < limit else { throw .tooLarge(limit: limit) }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, limit - output.count)))
                }
                status = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = UInt32(min(target.count - produced, Int(UInt32.max)))
                    let before = stream.avail_out
                    let result = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced += Int(before - stream.avail_out)
                    return result
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Concatenated members (as `cat a.gz b.gz` makes) continue the same data.
                    if stream.avail_in > 0 {
                        inflateReset(&stream)
                        continue
                    }
                    return
                case Z_BUF_ERROR:
                    // No progress possible: either output is full (grow and retry) or input ran out.
                    if stream.avail_in == 0 { throw .truncated }
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw .corrupt(message)
                }
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}
