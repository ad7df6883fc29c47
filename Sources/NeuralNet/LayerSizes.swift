// The one parser of layer-size lists such as `784,128,64,10`: a model's "layers" metadata and the
// tools' --layers options read them alike, and a list refused says what is wrong with it.

import Foundation

/// What is wrong with a layer-size list.
public enum LayerSizesError: Error, Equatable, CustomStringConvertible {
    /// Fewer than two sizes: a network needs at least its inputs and its classes.
    case tooFewSizes(Int)
    /// An empty entry at this position (1-based): `784,,10`.
    case emptyEntry(position: Int)
    /// An entry that is not a whole number.
    case notANumber(String, position: Int)
    /// A size of zero or less.
    case notPositive(Int, position: Int)

    public var description: String {
        switch self {
        case .tooFewSizes(let count):
            return "a network needs at least two sizes, its inputs and its classes (got \(count)); e.g. 784,128,10"
        case .emptyEntry(let position):
            return "entry \(position) is empty (a stray comma?)"
        case .notANumber(let entry, let position):
            return "entry \(position), \"\(entry)\", is not a whole number"
        case .notPositive(let size, let position):
            return "entry \(position) is \(size); every layer needs at least one unit"
        }
    }
}

/// Parses `784,128,64,10` (spaces around a size allowed) into the sizes, inputs first.
/// - Throws: `LayerSizesError` for fewer than two sizes, an empty entry (`784,,10` is a typo,
///   not `784,10`), an entry that is not a whole number, or a size that is not positive.
public func layerSizes(parsing text: String) throws(LayerSizesError) -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
    var sizes: [Int] = []
    for (index, part) in parts.enumerated() {
        guard !part.isEmpty else {
            // A lone size ("784") or nothing at all is too short before it is malformed.
            if parts.count == 1 { throw .tooFewSizes(0) }
            throw .emptyEntry(position: index + 1)
        }
        guard let size = Int(part) else { throw .notANumber(part, position: index + 1) }
        guard size > 0 else { throw .notPositive(size, position: index + 1) }
        sizes.append(size)
    }
    guard sizes.count >= 2 else { throw .tooFewSizes(sizes.count) }
    return sizes
}

/// The sizes of `784,128,64,10`, or nil for a list `layerSizes(parsing:)` refuses.
public func parseLayerSizes(_ text: String) -> [Int]? {
    try? layerSizes(parsing: text)
}
