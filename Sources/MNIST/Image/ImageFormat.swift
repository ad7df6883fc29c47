// Telling image files apart by their first bytes, never by their names: a JPEG saved as
// `digit.png` is still a JPEG.

/// The image formats the tools decode.
public enum ImageFormat: Sendable, Equatable {
    case png
    case jpeg

    /// The PNG signature every PNG file starts with.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// SOI followed by the first marker's 0xFF: every JPEG (JFIF, Exif, Adobe, raw) starts so.
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// The format `bytes` start with, or nil.
    public init?(sniffing bytes: [UInt8]) {
        if bytes.starts(with: Self.pngSignature) {
            self = .png
        } else if bytes.starts(with: Self.jpegSignature) {
            self = .jpeg
        } else {
            return nil
        }
    }

    /// "PNG", "JPEG".
    public var name: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        }
    }

    /// A guess at what a file that is neither PNG nor JPEG holds, for error messages.
    static func describeContent(_ data: [UInt8]) -> String {
        if data.starts(with: Array("GIF8".utf8)) { return "it is a GIF image (convert it to PNG first)" }
        if data.starts(with: Array("BM".utf8)) && data.count > 14 { return "it looks like a BMP image (convert it to PNG first)" }
        if data.count > 12, data.starts(with: Array("RIFF".utf8)), Array(data[8..<12]) == Array("WEBP".utf8) {
            return "it is a WebP image (convert it to PNG first)"
        }
        if data.starts(with: [0x49, 0x49, 0x2A, 0x00]) || data.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            return "it is a TIFF image (convert it to PNG first)"
        }
        let head = data.prefix(512)
        let printable = head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32...126).contains($0) || $0 >= 128 }
        if printable { return "it holds text" }
        return "it starts with neither the PNG signature (89 50 4E 47) nor a JPEG's (FF D8 FF)"
    }
}
