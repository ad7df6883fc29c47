// Smooth random displacement fields for elastic distortion, computed once so that distorting a
// sample costs a read of two windows instead of a Gaussian filter per image.
//
// Simard et al. (2003) smooth uniform noise in [−1, 1] with a Gaussian of σ pixels and multiply by
// α, one fresh field per image. A smoothed field is stationary, so any 28×28 window of a larger one
// is as good a sample as a fresh 28×28 field: the bank keeps a few large planes, filtered
// periodically (so that no border is weaker than the middle), and a sample takes its horizontal
// and vertical displacements from two different planes at random origins and signs.

import Foundation
import NeuralNet

/// A few square planes of smoothed noise times α, plus one row of zeros for "no displacement".
struct ElasticFieldBank: Sendable {
    /// Side of each plane in pixels; a window's origin can be anywhere in `0...side - 28`.
    static let side = 128
    /// Planes in a full bank; a sample uses two different ones.
    static let fullPlaneCount = 4

    /// Planes in this bank: `fullPlaneCount`, or 0 in the empty bank.
    let planeCount: Int
    /// The planes, one after another (`side × side` each, row-major), then `side` zeros.
    let values: [Float]

    /// A bank with no planes, only the row of zeros: for augmentation without elastic fields.
    static let empty = ElasticFieldBank()

    private init() {
        planeCount = 0
        values = [Float](repeating: 0, count: Self.side)
    }

    /// Whether the bank has planes to draw windows from.
    var hasPlanes: Bool { planeCount > 0 }

    /// Where the row of zeros starts in `values`.
    var zeroRow: Int { planeCount * Self.side * Self.side }

    /// A window for each displacement component, from two different planes at random origins
    /// and with random signs.
    func window(using random: inout SeededGenerator) -> ElasticWindow {
        precondition(hasPlanes, "the empty bank has no windows")
        let side = Self.side, area = side * side
        let origins = UInt64(side - MNISTDataset.side + 1)
        // 16 bits per coordinate, mapped by a multiply and shift: a bias below 1 in 600.
        let position = random.next()
        func origin(_ bits: UInt64) -> Int {
            let row = Int(((bits & 0xFFFF) * origins) >> 16)
            let column = Int(((bits >> 16 & 0xFFFF) * origins) >> 16)
            return row * side + column
        }
        let choice = random.next()
        let planeX = Int(choice % UInt64(planeCount))
        let planeY = (planeX + 1 + Int((choice >> 8) % UInt64(planeCount - 1))) % planeCount
        return ElasticWindow(
            originX: planeX * area + origin(position),
            originY: planeY * area + origin(position >> 32),
            signX: choice >> 16 & 1 == 0 ? 1 : -1,
            signY: choice >> 17 & 1 == 0 ? 1 : -1)
    }

    /// Fills the planes from `seed` and smooths them with a Gaussian of `sigma` pixels (truncated
    /// at 3σ, where it has fallen to 1% of its peak), then multiplies them by `alpha`.
    init(alpha: Float, sigma: Float, seed: UInt64) {
        let side = Self.side, area = side * side
        var generator = SeededGenerator(seed: seed)
        planeCount = Self.fullPlaneCount
        var values = [Float](repeating: 0, count: planeCount * area + side)
        let kernel = Self.gaussianKernel(sigma: sigma)
        var noise = [Float](repeating: 0, count: area)
        var rows = [Float](repeating: 0, count: area)
        for plane in 0..<planeCount {
            for i in 0..<area { noise[i] = 2 * generator.nextUnitFloat() - 1 }
            // Separable: along rows into `rows`, then along columns into the plane.
            Self.smooth(noise, into: &rows, offset: 0, kernel: kernel, step: 1, lineStep: side)
            Self.smooth(rows, into: &values, offset: plane * area, kernel: kernel, step: side, lineStep: 1)
        }
        for i in 0..<(planeCount * area) { values[i] *= alpha }
        self.values = values
    }

    /// Normalised Gaussian weights at offsets `-radius...radius`, radius ⌈3σ⌉ (one tap when σ is 0).
    static func gaussianKernel(sigma: Float) -> [Float] {
        let radius = Int((3 * sigma).rounded(.up))
        guard radius > 0 else { return [1] }
        let weights = (-radius...radius).map { offset in
            Float(exp(-Double(offset * offset) / Double(2 * sigma * sigma)))
        }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// Convolves every line of a `side × side` plane with `kernel`, wrapping around at the ends.
    /// `step` is the distance between neighbours along a line, `lineStep` between lines.
    private static func smooth(_ input: [Float], into output: inout [Float], offset: Int, kernel: [Float], step: Int, lineStep: Int) {
        let side = Self.side, radius = kernel.count / 2
        // Adding a multiple of side keeps the remainder non-negative for any radius.
        let wrap = side * (radius / side + 1) - radius
        input.withUnsafeBufferPointer { input in
            kernel.withUnsafeBufferPointer { kernel in
                output.withUnsafeMutableBufferPointer { output in
                    for line in 0..<side {
                        let from = input.baseAddress! + line * lineStep
                        let to = output.baseAddress! + offset + line * lineStep
                        for position in 0..<side {
                            var sum: Float = 0
                            for tap in 0..<kernel.count {
                                sum += kernel[tap] * from[((position + tap + wrap) % side) * step]
                            }
                            to[position * step] = sum
                        }
                    }
                }
            }
        }
    }
}
