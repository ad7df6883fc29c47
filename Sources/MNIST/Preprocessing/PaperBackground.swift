// Flattening the paper. A photographed note is lit unevenly — a brightness gradient across the page,
// a soft shadow, vignetting — so one global paper level takes the darker paper for ink. The paper's
// local level is estimated on a coarse grid of tiles (a percentile per tile, on the paper's side of
// the ink), tiles swamped by ink are replaced by their neighbours' level, and the grid is
// interpolated back to every pixel and subtracted. The steps after it then see flat paper, at the
// level they would have measured on flat paper anyway.
//
// Which side of the paper the ink lies on must be known first, and a global vote against one paper
// level is what uneven light defeats; so the polarity is voted on a first flattening that needs
// none (the median of each tile, smoothed by medians over its neighbours).

extension GrayImage {
    /// The image with its paper brought to one level, the median of the local paper levels; nil
    /// for an empty image.
    ///
    /// The local paper level is subtracted rather than divided out: noise does not grow where the
    /// light is dim, which matters more to the noise floor measured from the border than the
    /// contrast the ink loses in a shadow (the stretch to 0…255 restores most of it). Paper that
    /// is already flat, as in every MNIST digit, comes back as it was.
    func flattenedBackground() -> GrayImage? {
        let neutral = flattened(against: PaperBackground(measuring: self, paper: .either))
        guard let polarity = Polarity(of: neutral) else { return nil }
        let paper: PaperBackground.Side = polarity.inkIsDark ? .bright : .dark
        return flattened(against: PaperBackground(measuring: self, paper: paper))
    }

    /// The image with `background` subtracted and its median level added back.
    func flattened(against background: PaperBackground) -> GrayImage {
        guard !background.isFlat else { return self }
        let reference = background.medianLevel
        var result = [UInt8](repeating: 0, count: pixels.count)
        var paperRow = [Float](repeating: 0, count: width)
        for y in 0..<height {
            background.levels(inRow: y, into: &paperRow)
            for x in 0..<width {
                let flat = Float(pixels[y * width + x]) - paperRow[x] + reference
                result[y * width + x] = UInt8(min(max(flat.rounded(), 0), 255))
            }
        }
        return GrayImage(width: width, height: height, pixels: result)
    }
}

/// The paper's level across an image, on a grid of about `tilesAcross` tiles along the shorter side.
struct PaperBackground {
    /// Tiles along the image's shorter side; a tile is a few stroke widths of a digit filling the image.
    static let tilesAcross = 8
    /// With the paper's side known, a tile's paper level is this quantile of its levels counted
    /// from that side, so ink may cover nine tenths of a tile without being taken for paper.
    static let paperQuantile = 0.1

    /// Which side of the ink the paper lies on.
    enum Side {
        /// Light paper, dark ink.
        case bright
        /// Dark paper (MNIST's black background), light ink.
        case dark
        /// Not known: each tile's median, then the median over 3×3 tiles, twice.
        case either
    }

    let imageWidth: Int
    let imageHeight: Int
    /// Tiles per row and per column.
    let columns: Int
    let rows: Int
    /// The paper level of each tile, row after row.
    private(set) var tiles: [Float]

    /// Estimates the paper of `image` on the given side of its ink.
    init(measuring image: GrayImage, paper side: Side) {
        imageWidth = image.width
        imageHeight = image.height
        let tileSide = max(4, min(image.width, image.height) / Self.tilesAcross)
        columns = max(1, (image.width + tileSide / 2) / tileSide)
        rows = max(1, (image.height + tileSide / 2) / tileSide)
        tiles = [Float](repeating: 0, count: columns * rows)

        var histogram = [Int](repeating: 0, count: 256)
        for row in 0..<rows {
            let ys = (row * image.height / rows)..<((row + 1) * image.height / rows)
            for column in 0..<columns {
                let xs = (column * image.width / columns)..<((column + 1) * image.width / columns)
                for level in 0..<256 { histogram[level] = 0 }
                for y in ys {
                    for x in xs { histogram[Int(image.pixels[y * image.width + x])] += 1 }
                }
                let quantile = side == .either ? 0.5 : Self.paperQuantile
                let rank = Int(quantile * Double(xs.count * ys.count))
                tiles[row * columns + column] = Float(Self.level(ofRank: rank, in: histogram, fromTop: side == .bright))
            }
        }
        // A tile swamped by ink reads low on light paper (high on dark): a closing (opening) over
        // 3×3 tiles replaces it by its neighbours' paper, and leaves a smooth gradient as it is.
        // Medians do the same where the side is unknown, less thoroughly.
        switch side {
        case .bright: tiles = filtered(filtered(tiles, by: Self.maximum), by: Self.minimum)
        case .dark: tiles = filtered(filtered(tiles, by: Self.minimum), by: Self.maximum)
        case .either: tiles = filtered(filtered(tiles, by: Self.median), by: Self.median)
        }
    }

    /// Whether every tile has the same level: nothing to flatten.
    var isFlat: Bool {
        tiles.allSatisfy { $0 == tiles[0] }
    }

    /// The median tile level: the level the flattened paper is brought to.
    var medianLevel: Float {
        tiles.sorted()[tiles.count / 2]
    }

    /// The paper level at every pixel of row `y`, interpolated linearly between tile centres (and
    /// extrapolated beyond the outer ones, so that a gradient runs on to the image's edge).
    func levels(inRow y: Int, into row: inout [Float]) {
        let (above, below, down) = Self.neighbours(of: y, count: rows, length: imageHeight)
        for x in 0..<imageWidth {
            let (left, right, across) = Self.neighbours(of: x, count: columns, length: imageWidth)
            let top = tiles[above * columns + left] + (tiles[above * columns + right] - tiles[above * columns + left]) * across
            let bottom = tiles[below * columns + left] + (tiles[below * columns + right] - tiles[below * columns + left]) * across
            row[x] = top + (bottom - top) * down
        }
    }

    /// The two tiles whose centres bracket pixel `position`, and its fraction of the way from the
    /// first to the second (below 0 or above 1 beyond the outer centres).
    private static func neighbours(of position: Int, count: Int, length: Int) -> (Int, Int, Float) {
        guard count > 1 else { return (0, 0, 0) }
        let tile = (Float(position) + 0.5) * Float(count) / Float(length) - 0.5
        let first = min(max(Int(tile.rounded(.down)), 0), count - 2)
        return (first, first + 1, tile - Float(first))
    }

    /// The level of the pixel of `rank` (from 0), counting from the darkest or from the brightest.
    private static func level(ofRank rank: Int, in histogram: [Int], fromTop: Bool) -> Int {
        var seen = 0
        for step in 0..<256 {
            let level = fromTop ? 255 - step : step
            seen += histogram[level]
            if seen > rank { return level }
        }
        return fromTop ? 0 : 255
    }

    /// Each tile replaced by `pick` of the tiles in the 3×3 block around it. Beyond the grid's
    /// edge the levels run on linearly (within 0…255), so that a gradient reaching the edge keeps
    /// its slope there instead of taking the inner tile's level.
    private func filtered(_ grid: [Float], by pick: (inout [Float]) -> Float) -> [Float] {
        var result = grid
        var block: [Float] = []
        block.reserveCapacity(9)
        for row in 0..<rows {
            for column in 0..<columns {
                block.removeAll(keepingCapacity: true)
                for r in (row - 1)...(row + 1) {
                    for c in (column - 1)...(column + 1) { block.append(extended(grid, row: r, column: c)) }
                }
                result[row * columns + column] = pick(&block)
            }
        }
        return result
    }

    /// The level of tile (`row`, `column`), extrapolated linearly from the two nearest tiles along
    /// each direction when it lies one tile outside the grid.
    private func extended(_ grid: [Float], row: Int, column: Int) -> Float {
        func along(_ index: Int, _ count: Int) -> (Int, Int)? {
            if index < 0 { return count > 1 ? (0, 1) : (0, 0) }
            if index >= count { return count > 1 ? (count - 1, count - 2) : (count - 1, count - 1) }
            return nil
        }
        let (r, c) = (min(max(row, 0), rows - 1), min(max(column, 0), columns - 1))
        var level = grid[r * columns + c]
        if let (edge, inner) = along(row, rows) { level += grid[edge * columns + c] - grid[inner * columns + c] }
        if let (edge, inner) = along(column, columns) { level += grid[r * columns + edge] - grid[r * columns + inner] }
        return min(max(level, 0), 255)
    }

    private static func maximum(_ block: inout [Float]) -> Float { block.max()! }
    private static func minimum(_ block: inout [Float]) -> Float { block.min()! }
    private static func median(_ block: inout [Float]) -> Float {
        block.sort()
        return block[block.count / 2]
    }
}
