// The line transforms of Winograd tiles, spelled out: Bᵀd, Aᵀp and A d for one line of a tile,
// with the evaluation points 0, ±1, ±2 (six values a line) or 0, ±1, ±2, ±½ (eight), each plus
// infinity. Spelled out, Bᵀ and Aᵀ are sums and differences scaled by a few constants: a sixth
// of the arithmetic of multiplying by the matrices (WinogradTests checks them against the
// matrices that WinogradTransform builds). Lines are read and written through a pointer and a
// stride, so one generic tile kernel (WinogradTransform+Tiles.swift) serves both sizes.

/// Eight samples' values at one position, one sample per lane.
typealias Lanes = SIMD8<Float>

/// Samples per lane group.
let laneCount = 8

/// The spelled-out line transforms of one tile size α.
protocol TileLines {
    /// α: values in one line of a tile.
    static var size: Int { get }
    /// Bᵀd: `d[k·stride]` for k < α into `out[k·outStride]`.
    static func input(_ d: UnsafePointer<Lanes>, stride: Int, into out: UnsafeMutablePointer<Lanes>, outStride: Int)
    /// Aᵀp, its first `m` values: `p[k·stride]` for k < α into `y[i·outStride]` for i < m.
    static func output(_ p: UnsafePointer<Lanes>, stride: Int, outputTile m: Int, into y: UnsafeMutablePointer<Lanes>,
                       outStride: Int)
    /// A d for a line of `m` output-gradient values: what it is worth at each of the α points
    /// (the transpose of `output`).
    static func gradient(_ d: UnsafePointer<Lanes>, stride: Int, outputTile m: Int,
                         into out: UnsafeMutablePointer<Lanes>, outStride: Int)
}

/// Six values a line: the points 0, ±1, ±2 and infinity (F(2, 5), F(4, 3), …).
enum SixPointLines: TileLines {
    static var size: Int { 6 }

    @inline(__always)
    static func input(_ d: UnsafePointer<Lanes>, stride: Int, into out: UnsafeMutablePointer<Lanes>, outStride: Int) {
        let four = Lanes(repeating: 4), two = Lanes(repeating: 2), five = Lanes(repeating: 5)
        let (d0, d1, d2, d3, d4, d5) = (d[0], d[stride], d[2 * stride], d[3 * stride], d[4 * stride], d[5 * stride])
        let a = d4 - four * d2, b = d3 - four * d1
        let c = d4 - d2, e = two * (d3 - d1)
        out[0] = four * d0 - five * d2 + d4
        out[outStride] = a + b
        out[2 * outStride] = a - b
        out[3 * outStride] = c + e
        out[4 * outStride] = c - e
        out[5 * outStride] = four * d1 - five * d3 + d5
    }

    @inline(__always)
    static func output(_ p: UnsafePointer<Lanes>, stride: Int, outputTile m: Int, into y: UnsafeMutablePointer<Lanes>,
                       outStride: Int) {
        let (p1, p2, p3, p4) = (p[stride], p[2 * stride], p[3 * stride], p[4 * stride])
        let sum12 = p1 + p2, difference12 = p1 - p2, sum34 = p3 + p4, difference34 = p3 - p4
        var scale: Float = 1
        for i in 0..<m {
            var value = i % 2 == 0 ? sum12 + scale * sum34 : difference12 + scale * difference34
            if i == 0 { value += p[0] }
            if i == m - 1 { value += p[5 * stride] }
            y[i * outStride] = value
            scale *= 2
        }
    }

    @inline(__always)
    static func gradient(_ d: UnsafePointer<Lanes>, stride: Int, outputTile m: Int,
                         into out: UnsafeMutablePointer<Lanes>, outStride: Int) {
        var even = Lanes(), odd = Lanes(), evenScaled = Lanes(), oddScaled = Lanes()
        var scale: Float = 1
        for i in 0..<m {
            let value = d[i * stride]
            if i % 2 == 0 {
                even += value
                evenScaled += scale * value
            } else {
                odd += value
                oddScaled += scale * value
            }
            scale *= 2
        }
        out[0] = d[0]
        out[outStride] = even + odd
        out[2 * outStride] = even - odd
        out[3 * outStride] = evenScaled + oddScaled
        out[4 * outStride] = evenScaled - oddScaled
        out[5 * outStride] = d[(m - 1) * stride]
    }
}

/// Eight values a line: the points 0, ±1, ±2, ±½ and infinity (F(4, 5) and F(5, 4) here).
enum EightPointLines: TileLines {
    static var size: Int { 8 }

    @inline(__always)
    static func input(_ d: UnsafePointer<Lanes>, stride: Int, into out: UnsafeMutablePointer<Lanes>, outStride: Int) {
        let (d0, d1, d2, d3) = (d[0], d[stride], d[2 * stride], d[3 * stride])
        let (d4, d5, d6, d7) = (d[4 * stride], d[5 * stride], d[6 * stride], d[7 * stride])
        // Rows k and k + 1 (the points ±p) share their even and odd halves.
        let even1 = d2 - 4.25 * d4 + d6, odd1 = d1 - 4.25 * d3 + d5
        let even2 = 0.25 * d2 - 1.25 * d4 + d6, odd2 = 0.5 * d1 - 2.5 * d3 + 2 * d5
        let evenHalf = 4 * d2 - 5 * d4 + d6, oddHalf = 2 * d1 - 2.5 * d3 + 0.5 * d5
        out[0] = (d6 - d0) + 5.25 * (d2 - d4)
        out[outStride] = even1 + odd1
        out[2 * outStride] = even1 - odd1
        out[3 * outStride] = even2 + odd2
        out[4 * outStride] = even2 - odd2
        out[5 * outStride] = evenHalf + oddHalf
        out[6 * outStride] = evenHalf - oddHalf
        out[7 * outStride] = (d7 - d1) + 5.25 * (d3 - d5)
    }

    @inline(__always)
    static func output(_ p: UnsafePointer<Lanes>, stride: Int, outputTile m: Int, into y: UnsafeMutablePointer<Lanes>,
                       outStride: Int) {
        let (p1, p2, p3, p4, p5, p6) = (p[stride], p[2 * stride], p[3 * stride], p[4 * stride], p[5 * stride], p[6 * stride])
        let sum12 = p1 + p2, difference12 = p1 - p2, sum34 = p3 + p4, difference34 = p3 - p4
        let sum56 = p5 + p6, difference56 = p5 - p6
        var scale: Float = 1
        for i in 0..<m {
            var value = i % 2 == 0
                ? sum12 + scale * sum34 + (1 / scale) * sum56
                : difference12 + scale * difference34 + (1 / scale) * difference56
            if i == 0 { value += p[0] }
            if i == m - 1 { value += p[7 * stride] }
            y[i * outStride] = value
            scale *= 2
        }
    }

    @inline(__always)
    static func gradient(_ d: UnsafePointer<Lanes>, stride: Int, outputTile m: Int,
                         into out: UnsafeMutablePointer<Lanes>, outStride: Int) {
        var even = Lanes(), odd = Lanes(), evenDoubled = Lanes(), oddDoubled = Lanes()
        var evenHalved = Lanes(), oddHalved = Lanes()
        var scale: Float = 1
        for i in 0..<m {
            let value = d[i * stride]
            if i % 2 == 0 {
                even += value
                evenDoubled += scale * value
                evenHalved += (1 / scale) * value
            } else {
                odd += value
                oddDoubled += scale * value
                oddHalved += (1 / scale) * value
            }
            scale *= 2
        }
        out[0] = d[0]
        out[outStride] = even + odd
        out[2 * outStride] = even - odd
        out[3 * outStride] = evenDoubled + oddDoubled
        out[4 * outStride] = evenDoubled - oddDoubled
        out[5 * outStride] = evenHalved + oddHalved
        out[6 * outStride] = evenHalved - oddHalved
        out[7 * outStride] = d[(m - 1) * stride]
    }
}
