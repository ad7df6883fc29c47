// IDX files built in memory, for tests of the reader and for small datasets written to disk.

/// IDX bytes: the magic (two zero bytes, `type`, the dimension count), big-endian dimensions,
/// then `data` (by default one byte per declared element, counting up).
public func idxBytes(dimensions: [UInt32], type: UInt8 = 0x08, data: [UInt8]? = nil) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
    for dimension in dimensions {
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: dimension >> $0) }
    }
    if let data { return bytes + data }
    let count = dimensions.reduce(1) { $0 * Int($1) }
    return bytes + (0..<count).map { UInt8(truncatingIfNeeded: $0) }
}
