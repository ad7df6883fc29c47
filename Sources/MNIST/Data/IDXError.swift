// Errors reading IDX files: every one names the file and says what is wrong with it.

import NeuralNet

/// What is wrong with an IDX file (or an image/label pair of them).
public enum IDXError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case file(FileError)
    /// The file is gzip-compressed (magic 1F 8B) but did not inflate.
    case gzip(path: String, GzipError)
    /// The first four bytes are not an IDX magic number.
    case badMagic(path: String, magic: UInt32)
    /// The element type is not unsigned bytes.
    case unsupportedType(path: String, typeCode: UInt8)
    /// The file ends inside its header.
    case truncatedHeader(path: String, needed: Int, actual: Int)
    /// The data is shorter than the header declares.
    case truncated(path: String, dimensions: [Int], actual: Int)
    /// The data is longer than the header declares.
    case trailingBytes(path: String, dimensions: [Int], actual: Int)
    /// The file has a different number of dimensions than its role needs.
    case wrongRank(path: String, expected: Int, dimensions: [Int])
    /// The images and labels files disagree on the number of items.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label file holds a value that is not a class index for this dataset.
    case labelOutOfRange(path: String, index: Int, label: Int, classes: Int)
    /// A dataset directory lacks one of the four files.
    case missingFile(directory: String, name: String)

    public var description: String {
        switch self {
        case .file(let error):
            return error.description
        case .gzip(let path, let error):
            return "\(path): not an IDX file: it starts with the gzip magic 1F 8B but could not be inflated: \(error)"
        case .badMagic(let path, let magic):
            return "\(path): not an IDX file: magic 0x\(hex(magic)) (an IDX file starts with two zero bytes, a type byte and a dimension count)"
        case .unsupportedType(let path, let code):
            return "\(path): IDX element type 0x\(String(code, radix: 16, uppercase: true)) is not supported; only unsigned bytes (0x08)"
        case .truncatedHeader(let path, let needed, let actual):
            return "\(path): truncated header: needs \(needed) bytes, file holds \(actual)"
        case .truncated(let path, let dimensions, let actual):
            return "\(path): truncated: header declares \(shape(dimensions)) bytes, file holds \(actual)"
        case .trailingBytes(let path, let dimensions, let actual):
            return "\(path): size mismatch: header declares \(shape(dimensions)) bytes, file holds \(actual)"
        case .wrongRank(let path, let expected, let dimensions):
            return "\(path): expected \(expected) dimension\(expected == 1 ? "" : "s"), header declares \(dimensions.count) (\(shape(dimensions)))"
        case .countMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case .labelOutOfRange(let path, let index, let label, let classes):
            return "\(path): label \(label) at item \(index) is not a class index below \(classes)"
        case .missingFile(let directory, let name):
            return "\(directory): no \(name).gz or \(name) here"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

private func shape(_ dimensions: [Int]) -> String {
    dimensions.map(String.init).joined(separator: "×")
}
