// Thin strokes. A pen a few pixels wide on a large drawing becomes a faint hairline once the digit
// is shrunk to 20 pixels: a 4-pixel pen on a 300-pixel digit is 0.3 output pixels wide, at a
// quarter of full ink, where MNIST's strokes are 1.5 to 3 pixels wide and saturated. So before
// shrinking, the stroke width is measured and thin ink is dilated (a soft-edged disc, through an
// exact Euclidean distance transform) until it will be MNIST-thin after the shrink.
//
// Only images that are shrunk are touched: a digit already at MNIST's scale keeps its pixels.

extension GrayImage {
    /// The ink that counts as stroke, for the width estimate and the dilation: half of full ink.
    static let strokeLevel: UInt8 = 128

    /// The ink's mean stroke width in pixels, or nil when there is no stroke-level ink.
    ///
    /// A stroke of width w and length L has area wL and an outline of about 2L, so the width is
    /// twice the area over the outline's length. The area is the ink's mass (levels / 255, so
    /// anti-aliased edges count in part); the outline is the number of pixel edges between
    /// stroke-level ink and the rest, times π/4 — the mean of |cos θ| + |sin θ| is 4/π, which is
    /// how much a staircase of pixel edges overstates a line of random direction.
    func strokeWidth() -> Double? {
        var mass = 0, edges = 0
        for y in 0..<height {
            for x in 0..<width {
                let level = self[x: x, y: y]
                mass += Int(level)
                let inside = level >= Self.strokeLevel
                let right = x + 1 < width && self[x: x + 1, y: y] >= Self.strokeLevel
                let below = y + 1 < height && self[x: x, y: y + 1] >= Self.strokeLevel
                if inside != right { edges += 1 }
                if inside != below { edges += 1 }
                if inside && x == 0 { edges += 1 }
                if inside && y == 0 { edges += 1 }
            }
        }
        guard edges > 0 else { return nil }
        return 2 * (Double(mass) / 255) / (Double(edges) * .pi / 4)
    }

    /// This crop of ink, thickened if its strokes would be thinner than `minimumWidth` output
    /// pixels once it is shrunk so that its longer side is `boxSide`; otherwise itself.
    ///
    /// Dilating by r makes the strokes 2r wider and the crop 2r longer, so r solves
    /// (w + 2r) · boxSide / (longer + 2r) = minimumWidth.
    func withStrokes(atLeast minimumWidth: Double, afterShrinkingTo boxSide: Int) -> GrayImage {
        let longer = Double(max(width, height))
        guard minimumWidth > 0, longer > Double(boxSide), let width = strokeWidth() else { return self }
        let target = minimumWidth / Double(boxSide)
        guard target < 1, width < target * longer else { return self }
        let radius = (target * longer - width) / (2 * (1 - target))
        // A fraction of a pixel would only blur the anti-aliased edge.
        guard radius >= 0.5 else { return self }
        return thickened(by: radius)
    }

    /// The ink dilated by a disc of `radius` pixels with a one-pixel soft edge, in a canvas grown
    /// on every side so nothing is cut off, cropped back to the ink.
    func thickened(by radius: Double) -> GrayImage {
        let margin = Int(radius.rounded(.up)) + 1
        let grownWidth = width + 2 * margin, grownHeight = height + 2 * margin
        var distance = [Double](repeating: farAway, count: grownWidth * grownHeight)
        for y in 0..<height {
            for x in 0..<width where self[x: x, y: y] >= Self.strokeLevel {
                distance[(y + margin) * grownWidth + x + margin] = 0
            }
        }
        squaredDistanceTransform(&distance, width: grownWidth, height: grownHeight)

        var grown = GrayImage(width: grownWidth, height: grownHeight, filledWith: 0)
        for y in 0..<grownHeight {
            for x in 0..<grownWidth {
                let cover = min(max(radius + 0.5 - distance[y * grownWidth + x].squareRoot(), 0), 1)
                var level = UInt8((255 * cover).rounded())
                if (margin..<(margin + height)).contains(y) && (margin..<(margin + width)).contains(x) {
                    level = max(level, self[x: x - margin, y: y - margin])
                }
                grown[x: x, y: y] = level
            }
        }
        guard let bounds = grown.inkBounds(ignoringSpecks: false) else { return self }
        return grown.cropped(columns: bounds.columns, rows: bounds.rows)
    }
}

/// A squared distance larger than any in an image, standing for "no ink in this row yet".
private let farAway = 1e20

/// Replaces each value, 0 on ink and `farAway` elsewhere, by the squared Euclidean distance to the
/// nearest ink pixel: one exact pass along the columns, then one along the rows (Felzenszwalb and
/// Huttenlocher, "Distance Transforms of Sampled Functions", 2012).
private func squaredDistanceTransform(_ values: inout [Double], width: Int, height: Int) {
    var line = [Double](repeating: 0, count: max(width, height))
    var scratch = LowerEnvelope(capacity: max(width, height))
    for x in 0..<width {
        for y in 0..<height { line[y] = values[y * width + x] }
        scratch.transform(&line, count: height)
        for y in 0..<height { values[y * width + x] = line[y] }
    }
    for y in 0..<height {
        for x in 0..<width { line[x] = values[y * width + x] }
        scratch.transform(&line, count: width)
        for x in 0..<width { values[y * width + x] = line[x] }
    }
}

/// The one-dimensional transform: d(q) = min over p of (q − p)² + f(p), as the lower envelope of
/// the parabolas rooted at each p. Its buffers are reused from line to line.
private struct LowerEnvelope {
    /// Positions of the parabolas in the envelope, and the boundaries between them.
    var roots: [Int]
    var boundaries: [Double]
    var input: [Double]

    init(capacity: Int) {
        roots = [Int](repeating: 0, count: capacity)
        boundaries = [Double](repeating: 0, count: capacity + 1)
        input = [Double](repeating: 0, count: capacity)
    }

    mutating func transform(_ f: inout [Double], count n: Int) {
        guard n > 0 else { return }
        for index in 0..<n { input[index] = f[index] }
        var k = 0
        roots[0] = 0
        boundaries[0] = -.infinity
        boundaries[1] = .infinity
        for q in 1..<n {
            var s: Double
            repeat {
                let p = roots[k]
                s = ((input[q] + Double(q * q)) - (input[p] + Double(p * p))) / Double(2 * q - 2 * p)
                if s <= boundaries[k] { k -= 1 } else { break }
            } while true
            k += 1
            roots[k] = q
            boundaries[k] = s
            boundaries[k + 1] = .infinity
        }
        k = 0
        for q in 0..<n {
            while boundaries[k + 1] < Double(q) { k += 1 }
            let p = roots[k]
            f[q] = Double((q - p) * (q - p)) + input[p]
        }
    }
}
