// The one parser of layer-size lists such as `784,128,64,10`: a model's "layers" metadata and the
// tools' --layers options read them alike.

import Foundation

/// Parses `784,128,64,10` (spaces around a size allowed) into the sizes, inputs first; nil for
/// fewer than two sizes, a size that is not a positive integer, or an empty entry (`784,,10` is a
/// typo, not `784,10`).
public func parseLayerSizes(_ text: String) -> [Int]? {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    let sizes = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count >= 2, sizes.count == parts.count, sizes.allSatisfy({ $0 > 0 }) else { return nil }
    return sizes
}
