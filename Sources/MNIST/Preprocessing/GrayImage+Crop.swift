// Finding the ink's bounding box and cropping to it.

extension GrayImage {
    /// The smallest rectangle holding the ink (every nonzero pixel), or nil if there is none.
    ///
    /// With `ignoringSpecks`, a pixel none of whose eight neighbours has ink does not count: on
    /// noisy paper a lone speck above the noise floor must not stretch the box.
    func inkBounds(ignoringSpecks: Bool) -> (columns: Range<Int>, rows: Range<Int>)? {
        var minX = width, maxX = -1, minY = height, maxY = -1
        for y in 0..<height {
            for x in 0..<width where self[x: x, y: y] > 0 {
                if ignoringSpecks && !hasInkedNeighbour(x: x, y: y) { continue }
                minX = min(minX, x)
                maxX = max(maxX, x)
                minY = min(minY, y)
                maxY = max(maxY, y)
            }
        }
        guard maxX >= 0 else { return nil }
        return (minX..<(maxX + 1), minY..<(maxY + 1))
    }

    /// The pixels within `columns` and `rows`.
    func cropped(columns: Range<Int>, rows: Range<Int>) -> GrayImage {
        var result: [UInt8] = []
        result.reserveCapacity(columns.count * rows.count)
        for y in rows {
            result.append(contentsOf: pixels[(y * width + columns.lowerBound)..<(y * width + columns.upperBound)])
        }
        return GrayImage(width: columns.count, height: rows.count, pixels: result)
    }

    private func hasInkedNeighbour(x: Int, y: Int) -> Bool {
        for ny in max(y - 1, 0)...min(y + 1, height - 1) {
            for nx in max(x - 1, 0)...min(x + 1, width - 1) where (nx != x || ny != y) && self[x: nx, y: ny] > 0 {
                return true
            }
        }
        return false
    }
}
