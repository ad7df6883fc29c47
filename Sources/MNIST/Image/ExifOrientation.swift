// The orientation a camera records in a JPEG's Exif data (APP1, TIFF tag 0x0112): how the stored
// pixels must be turned to show the scene upright. Phones store a photo taken sideways as the
// sensor saw it and set this tag; without it the digit would be read lying on its side.
//
// Only the first IFD's orientation is read; the parse is bounds-checked throughout, and anything
// missing or malformed means "as stored".

/// The eight Exif orientations, by their tag values.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    /// Stored upright.
    case up = 1
    /// Stored mirrored left to right.
    case upMirrored = 2
    /// Stored upside down.
    case down = 3
    /// Stored upside down and mirrored (mirrored top to bottom).
    case downMirrored = 4
    /// Stored transposed: mirrored across the main diagonal.
    case leftMirrored = 5
    /// Shown after turning the stored image 90° clockwise (a phone held upright, rotated left).
    case right = 6
    /// Stored transversed: mirrored across the other diagonal.
    case rightMirrored = 7
    /// Shown after turning the stored image 90° anticlockwise.
    case left = 8

    /// The orientation a JPEG file's Exif data declares; `.up` when it has none.
    public init(jpeg data: [UInt8]) {
        self = Self.tagValue(in: data).flatMap(ExifOrientation.init(rawValue:)) ?? .up
    }

    /// Whether showing the image upright swaps its width and height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The orientation tag's value from the first Exif APP1 segment before the image data.
    private static func tagValue(in data: [UInt8]) -> Int? {
        var offset = 2  // after SOI
        while offset + 4 <= data.count, data[offset] == 0xFF {
            let marker = data[offset + 1]
            // Fill bytes, and markers without a length: skip them.
            if marker == 0xFF { offset += 1; continue }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            // Start of scan or end of image: no more metadata segments.
            if marker == 0xDA || marker == 0xD9 { return nil }
            let length = Int(data[offset + 2]) << 8 | Int(data[offset + 3])
            guard length >= 2, offset + 2 + length <= data.count else { return nil }
            let body = data[(offset + 4)..<(offset + 2 + length)]
            if marker == 0xE1, body.starts(with: Array("Exif".utf8) + [0, 0]) {
                return orientation(inTIFF: Array(body.dropFirst(6)))
            }
            offset += 2 + length
        }
        return nil
    }

    /// Tag 0x0112 of the TIFF structure's first IFD.
    private static func orientation(inTIFF tiff: [UInt8]) -> Int? {
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func integer(at offset: Int, bytes: Int) -> Int? {
            guard offset >= 0, offset + bytes <= tiff.count else { return nil }
            let field = tiff[offset..<(offset + bytes)]
            return (littleEndian ? field.reversed() : Array(field)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard integer(at: 2, bytes: 2) == 42, let directory = integer(at: 4, bytes: 4),
              let count = integer(at: directory, bytes: 2) else { return nil }
        for index in 0..<count {
            let entry = directory + 2 + 12 * index
            guard let tag = integer(at: entry, bytes: 2) else { return nil }
            // Type 3 is SHORT: the value sits in the first two bytes of the value field.
            if tag == 0x0112, integer(at: entry + 2, bytes: 2) == 3 {
                return integer(at: entry + 8, bytes: 2)
            }
        }
        return nil
    }
}
