// Finding the ink's bounding box and cropping to it.

extension GrayImage {
    /// The smallest rectangle holding the ink, or nil if there is none.
    ///
    /// The box is that of the clear ink (at least a tenth of the brightest level), widened on each
    /// side over the lines where fainter ink touches it, by at most a twentieth of its longer side
    /// (one pixel for an MNIST digit, five for one drawn five times larger). Anti-aliased edges
    /// stay inside (on MNIST's own digits this is the box of every nonzero pixel, for all of the
    /// first 1,000 test digits), while a JPEG's ringing, faint ink spread through the 8×8 blocks a
    /// stroke crosses, no longer stretches it: counted whole, it made 28×28 digits saved as JPEG
    /// 24 points less accurate.
    ///
    /// With `ignoringSpecks`, a pixel none of whose eight neighbours has ink does not count: on
    /// noisy paper a lone speck above the noise floor must not stretch the box.
    func inkBounds(ignoringSpecks: Bool) -> (columns: Range<Int>, rows: Range<Int>)? {
        clearInkBounds(ignoringSpecks: ignoringSpecks).map { inkBounds(widening: $0) }
    }

    /// `clear`, the box of the clear ink (`clearInkBounds`), widened over the fainter ink that
    /// touches it, as `inkBounds(ignoringSpecks:)` describes.
    func inkBounds(widening clear: (columns: Range<Int>, rows: Range<Int>)) -> (columns: Range<Int>, rows: Range<Int>) {
        var minX = clear.columns.lowerBound, maxX = clear.columns.upperBound - 1
        var minY = clear.rows.lowerBound, maxY = clear.rows.upperBound - 1
        let margin = (max(maxX - minX, maxY - minY) + 1 + 19) / 20
        let rows = minY...maxY, columns = minX...maxX
        for _ in 0..<margin {
            if minX > 0, rows.contains(where: { self[x: minX - 1, y: $0] > 0 }) { minX -= 1 }
            if maxX < width - 1, rows.contains(where: { self[x: maxX + 1, y: $0] > 0 }) { maxX += 1 }
            if minY > 0, columns.contains(where: { self[x: $0, y: minY - 1] > 0 }) { minY -= 1 }
            if maxY < height - 1, columns.contains(where: { self[x: $0, y: maxY + 1] > 0 }) { maxY += 1 }
        }
        return (minX..<(maxX + 1), minY..<(maxY + 1))
    }

    /// The box of the clear ink alone (at least a tenth of the brightest level), before
    /// `inkBounds` widens it over fainter ink; nil if there is none.
    func clearInkBounds(ignoringSpecks: Bool) -> (columns: Range<Int>, rows: Range<Int>)? {
        guard let brightest = pixels.max(), brightest > 0 else { return nil }
        let clear = max(1, brightest / 10)
        var minX = width, maxX = -1, minY = height, maxY = -1
        for y in 0..<height {
            for x in 0..<width where self[x: x, y: y] >= clear {
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
