// The tile kernels of a Winograd convolution with 6×6 tiles. Eight samples travel side by side, one
// in each lane of a SIMD8<Float>, so every transform is plain vector arithmetic with no gathers: a
// batch is first interleaved into "lane planes" (C planes of H×W vectors, zero-padded), transformed
// tile by tile, multiplied channel against channel by sgemm, and transformed back.
//
// With the points 0, ±1, ±2 and infinity, Bᵀ, A and Aᵀ are sums and differences with powers of
// two, so the kernels spell them out instead of multiplying by the matrices (a sixth of the
// arithmetic; `WinogradTests` checks them against the matrices). Tiles overlap in the input by
// 6 − m rows, so the input transform's row pass runs once per input row, not once per tile.

/// Eight samples' values at one position, one sample per lane.
typealias Lanes = SIMD8<Float>

/// Samples per lane group.
let laneCount = 8

/// Six lanes: one line of a 6×6 tile.
typealias Six = (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes)

extension WinogradTransform {
    /// Bᵀd: the input transform of one line of six.
    @inline(__always)
    static func inputLine(_ d: Six) -> Six {
        let four: Lanes = Lanes(repeating: 4), two: Lanes = Lanes(repeating: 2), five: Lanes = Lanes(repeating: 5)
        let a = d.4 - four * d.2, b = d.3 - four * d.1
        let c = d.4 - d.2, e = two * (d.3 - d.1)
        return (four * d.0 - five * d.2 + d.4, a + b, a - b, c + e, c - e, four * d.1 - five * d.3 + d.5)
    }

    /// Aᵀp, the first `outputTile` of its values: the output transform of one line of six.
    @inline(__always)
    static func outputLine(_ p: Six, outputTile m: Int, into y: UnsafeMutablePointer<Lanes>, stride: Int) {
        let sum12 = p.1 + p.2, difference12 = p.1 - p.2, sum34 = p.3 + p.4, difference34 = p.3 - p.4
        var scale: Float = 1
        for i in 0..<m {
            var value = i % 2 == 0 ? sum12 + scale * sum34 : difference12 + scale * difference34
            if i == 0 { value += p.0 }
            if i == m - 1 { value += p.5 }
            y[i * stride] = value
            scale *= 2
        }
    }

    /// A d for a line of `outputTile` values: what an output-gradient line is worth at each of
    /// the six points (the transpose of `outputLine`).
    @inline(__always)
    static func gradientLine(_ d: UnsafePointer<Lanes>, stride: Int, outputTile m: Int) -> Six {
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
        return (d[0], even + odd, even - odd, evenScaled + oddScaled, evenScaled - oddScaled, d[(m - 1) * stride])
    }

    /// Column `j` of a tile's 36 values, `tile[(i·6 + j)·rowStride] = t.i`: in the layout below,
    /// each of the 36 lies in its own row of products.
    @inline(__always)
    static func store(_ t: Six, column j: Int, of tile: UnsafeMutablePointer<Lanes>, rowStride: Int) {
        tile[j * rowStride] = t.0
        tile[(6 + j) * rowStride] = t.1
        tile[(12 + j) * rowStride] = t.2
        tile[(18 + j) * rowStride] = t.3
        tile[(24 + j) * rowStride] = t.4
        tile[(30 + j) * rowStride] = t.5
    }

    /// Bᵀ d B for every 6×6 window of lane planes whose corner is `(origin + ty·m, origin + tx·m)`:
    /// `out[plane][ξ = i·6 + j][tile]`, where row `plane·36 + ξ` of `out` starts at
    /// `(plane·36 + ξ)·rowStride` and its tiles, row-major, at `tileOffset`. The 36 values of a
    /// tile are then near each other, in a plane's 36 rows, which the caches keep.
    /// - Parameter scratch: room for `((tilesY − 1)·m + 6) · tilesX · 6` lanes.
    func transformInput(
        _ planes: UnsafePointer<Lanes>, planeCount: Int, height: Int, width: Int, origin: Int,
        tilesY: Int, tilesX: Int, into out: UnsafeMutablePointer<Lanes>, rowStride: Int, tileOffset: Int,
        scratch: UnsafeMutablePointer<Lanes>
    ) {
        let m = outputTile
        let lines = (tilesY - 1) * m + 6
        for plane in 0..<planeCount {
            let source = planes + plane * height * width + origin * width + origin
            // Rows, once per input row: scratch[y][tx][j] = (Bᵀ row window)[j]
            for y in 0..<lines {
                let row = source + y * width
                for tx in 0..<tilesX {
                    let d = row + tx * m
                    let t = Self.inputLine((d[0], d[1], d[2], d[3], d[4], d[5]))
                    let target = scratch + (y * tilesX + tx) * 6
                    (target[0], target[1], target[2], target[3], target[4], target[5]) = t
                }
            }
            // Columns, per tile: out[i][j] = (Bᵀ column)[i]
            let target = out + plane * 36 * rowStride + tileOffset
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let tile = target + ty * tilesX + tx
                    let column = scratch + (ty * m * tilesX + tx) * 6
                    let step = tilesX * 6
                    for j in 0..<6 {
                        let c = column + j
                        Self.store(Self.inputLine((c[0], c[step], c[2 * step], c[3 * step], c[4 * step], c[5 * step])),
                                   column: j, of: tile, rowStride: rowStride)
                    }
                }
            }
        }
    }

    /// A d Aᵀ for every m×m window of lane planes at `(origin + ty·m, origin + tx·m)`, in
    /// `transformInput`'s layout: the output gradient's tiles in the Winograd domain.
    /// - Parameter scratch: room for `6·m` lanes.
    func transformGradient(
        _ planes: UnsafePointer<Lanes>, planeCount: Int, height: Int, width: Int, origin: Int,
        tilesY: Int, tilesX: Int, into out: UnsafeMutablePointer<Lanes>, rowStride: Int, tileOffset: Int,
        scratch: UnsafeMutablePointer<Lanes>
    ) {
        let m = outputTile
        for plane in 0..<planeCount {
            let source = planes + plane * height * width + origin * width + origin
            let target = out + plane * 36 * rowStride + tileOffset
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let corner = source + ty * m * width + tx * m
                    // Rows: scratch[k][j] = (A row k)[j]
                    for k in 0..<m {
                        let t = Self.gradientLine(corner + k * width, stride: 1, outputTile: m)
                        let line = scratch + k * 6
                        (line[0], line[1], line[2], line[3], line[4], line[5]) = t
                    }
                    // Columns: out[i][j] = (A column j)[i]
                    let tile = target + ty * tilesX + tx
                    for j in 0..<6 {
                        Self.store(Self.gradientLine(scratch + j, stride: 6, outputTile: m), column: j, of: tile,
                                   rowStride: rowStride)
                    }
                }
            }
        }
    }

    /// Aᵀ P A for every tile of `products` (in `transformInput`'s layout) into lane planes of
    /// `(tilesY·m) × (tilesX·m)`.
    /// - Parameter scratch: room for `6·m` lanes.
    func transformOutput(
        _ products: UnsafePointer<Lanes>, planeCount: Int, rowStride: Int, tileOffset: Int,
        tilesY: Int, tilesX: Int, into planes: UnsafeMutablePointer<Lanes>, scratch: UnsafeMutablePointer<Lanes>
    ) {
        let m = outputTile
        let width = tilesX * m
        for plane in 0..<planeCount {
            let source = products + plane * 36 * rowStride + tileOffset
            let target = planes + plane * tilesY * m * width
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let tile = source + ty * tilesX + tx
                    // Rows: scratch[i][b] = (Aᵀ row i)[b]
                    for i in 0..<6 {
                        let row = tile + i * 6 * rowStride
                        Self.outputLine((row[0], row[rowStride], row[2 * rowStride], row[3 * rowStride], row[4 * rowStride],
                                         row[5 * rowStride]), outputTile: m, into: scratch + i * m, stride: 1)
                    }
                    // Columns: Y[a][b] = (Aᵀ column b)[a]
                    let corner = target + ty * m * width + tx * m
                    for b in 0..<m {
                        let c = scratch + b
                        Self.outputLine((c[0], c[m], c[2 * m], c[3 * m], c[4 * m], c[5 * m]), outputTile: m,
                                        into: corner + b, stride: width)
                    }
                }
            }
        }
    }
}

/// Matrix `values` (row-major) with each element broadcast into all lanes.
func broadcastLanes(_ values: [Float]) -> UnsafeMutablePointer<Lanes> {
    let lanes = UnsafeMutablePointer<Lanes>.allocate(capacity: values.count)
    for (i, value) in values.enumerated() { (lanes + i).initialize(to: Lanes(repeating: value)) }
    return lanes
}
