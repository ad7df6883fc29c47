// The tile kernels of a Winograd convolution, for tiles of α×α (6×6 or 8×8). Eight samples travel
// side by side, one in each lane of a SIMD8<Float>, so every transform is plain vector arithmetic
// with no gathers: a batch is first interleaved into "lane planes" (C planes of H×W vectors,
// zero-padded), transformed tile by tile, multiplied channel against channel by sgemm, and
// transformed back. The line transforms are spelled out (WinogradLines.swift). Tiles overlap in
// the input by α − m rows, so the input transform's row pass runs once per input row, not once
// per tile.

extension WinogradTransform {
    /// Bᵀ d B for every α×α window of lane planes whose corner is `(origin + ty·m, origin + tx·m)`:
    /// `out[plane][ξ = i·α + j][tile]`, where row `plane·α² + ξ` of `out` starts at
    /// `(plane·α² + ξ)·rowStride` and its tiles, row-major, at `tileOffset`. The α² values of a
    /// tile are then near each other, in a plane's α² rows, which the caches keep.
    /// - Parameter scratch: room for `((tilesY − 1)·m + α) · tilesX · α` lanes.
    func transformInput(
        _ planes: UnsafePointer<Lanes>, planeCount: Int, height: Int, width: Int, origin: Int,
        tilesY: Int, tilesX: Int, into out: UnsafeMutablePointer<Lanes>, rowStride: Int, tileOffset: Int,
        scratch: UnsafeMutablePointer<Lanes>
    ) {
        switch inputTile {
        case 8: transformInput(EightPointLines.self, planes, planeCount: planeCount, height: height, width: width,
                               origin: origin, tilesY: tilesY, tilesX: tilesX, into: out, rowStride: rowStride,
                               tileOffset: tileOffset, scratch: scratch)
        default: transformInput(SixPointLines.self, planes, planeCount: planeCount, height: height, width: width,
                                origin: origin, tilesY: tilesY, tilesX: tilesX, into: out, rowStride: rowStride,
                                tileOffset: tileOffset, scratch: scratch)
        }
    }

    /// A d Aᵀ for every m×m window of lane planes at `(origin + ty·m, origin + tx·m)`, in
    /// `transformInput`'s layout: the output gradient's tiles in the Winograd domain.
    /// - Parameter scratch: room for `α·m` lanes.
    func transformGradient(
        _ planes: UnsafePointer<Lanes>, planeCount: Int, height: Int, width: Int, origin: Int,
        tilesY: Int, tilesX: Int, into out: UnsafeMutablePointer<Lanes>, rowStride: Int, tileOffset: Int,
        scratch: UnsafeMutablePointer<Lanes>
    ) {
        switch inputTile {
        case 8: transformGradient(EightPointLines.self, planes, planeCount: planeCount, height: height, width: width,
                                  origin: origin, tilesY: tilesY, tilesX: tilesX, into: out, rowStride: rowStride,
                                  tileOffset: tileOffset, scratch: scratch)
        default: transformGradient(SixPointLines.self, planes, planeCount: planeCount, height: height, width: width,
                                   origin: origin, tilesY: tilesY, tilesX: tilesX, into: out, rowStride: rowStride,
                                   tileOffset: tileOffset, scratch: scratch)
        }
    }

    /// Aᵀ P A for every tile of `products` (in `transformInput`'s layout) into lane planes of
    /// `(tilesY·m) × (tilesX·m)`.
    /// - Parameter scratch: room for `α·m` lanes.
    func transformOutput(
        _ products: UnsafePointer<Lanes>, planeCount: Int, rowStride: Int, tileOffset: Int,
        tilesY: Int, tilesX: Int, into planes: UnsafeMutablePointer<Lanes>, scratch: UnsafeMutablePointer<Lanes>
    ) {
        switch inputTile {
        case 8: transformOutput(EightPointLines.self, products, planeCount: planeCount, rowStride: rowStride,
                                tileOffset: tileOffset, tilesY: tilesY, tilesX: tilesX, into: planes, scratch: scratch)
        default: transformOutput(SixPointLines.self, products, planeCount: planeCount, rowStride: rowStride,
                                 tileOffset: tileOffset, tilesY: tilesY, tilesX: tilesX, into: planes, scratch: scratch)
        }
    }

    // MARK: The kernels, one copy per line size

    private func transformInput<Lines: TileLines>(
        _ lines: Lines.Type, _ planes: UnsafePointer<Lanes>, planeCount: Int, height: Int, width: Int, origin: Int,
        tilesY: Int, tilesX: Int, into out: UnsafeMutablePointer<Lanes>, rowStride: Int, tileOffset: Int,
        scratch: UnsafeMutablePointer<Lanes>
    ) {
        let (m, alpha) = (outputTile, Lines.size)
        let lineCount = (tilesY - 1) * m + alpha
        for plane in 0..<planeCount {
            let source = planes + plane * height * width + origin * width + origin
            // Rows, once per input row: scratch[y][tx][j] = (Bᵀ row window)[j]
            for y in 0..<lineCount {
                let row = source + y * width
                for tx in 0..<tilesX {
                    Lines.input(row + tx * m, stride: 1, into: scratch + (y * tilesX + tx) * alpha, outStride: 1)
                }
            }
            // Columns, per tile: out[i][j] = (Bᵀ column)[i]
            let target = out + plane * alpha * alpha * rowStride + tileOffset
            let step = tilesX * alpha
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let tile = target + ty * tilesX + tx
                    let column = scratch + (ty * m * tilesX + tx) * alpha
                    for j in 0..<alpha {
                        Lines.input(column + j, stride: step, into: tile + j * rowStride, outStride: alpha * rowStride)
                    }
                }
            }
        }
    }

    private func transformGradient<Lines: TileLines>(
        _ lines: Lines.Type, _ planes: UnsafePointer<Lanes>, planeCount: Int, height: Int, width: Int, origin: Int,
        tilesY: Int, tilesX: Int, into out: UnsafeMutablePointer<Lanes>, rowStride: Int, tileOffset: Int,
        scratch: UnsafeMutablePointer<Lanes>
    ) {
        let (m, alpha) = (outputTile, Lines.size)
        for plane in 0..<planeCount {
            let source = planes + plane * height * width + origin * width + origin
            let target = out + plane * alpha * alpha * rowStride + tileOffset
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let corner = source + ty * m * width + tx * m
                    // Rows: scratch[k][j] = (A row k)[j]
                    for k in 0..<m {
                        Lines.gradient(corner + k * width, stride: 1, outputTile: m, into: scratch + k * alpha, outStride: 1)
                    }
                    // Columns: out[i][j] = (A column j)[i]
                    let tile = target + ty * tilesX + tx
                    for j in 0..<alpha {
                        Lines.gradient(scratch + j, stride: alpha, outputTile: m, into: tile + j * rowStride,
                                       outStride: alpha * rowStride)
                    }
                }
            }
        }
    }

    private func transformOutput<Lines: TileLines>(
        _ lines: Lines.Type, _ products: UnsafePointer<Lanes>, planeCount: Int, rowStride: Int, tileOffset: Int,
        tilesY: Int, tilesX: Int, into planes: UnsafeMutablePointer<Lanes>, scratch: UnsafeMutablePointer<Lanes>
    ) {
        let (m, alpha) = (outputTile, Lines.size)
        let width = tilesX * m
        for plane in 0..<planeCount {
            let source = products + plane * alpha * alpha * rowStride + tileOffset
            let target = planes + plane * tilesY * m * width
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let tile = source + ty * tilesX + tx
                    // Rows: scratch[i][b] = (Aᵀ row i)[b]
                    for i in 0..<alpha {
                        Lines.output(tile + i * alpha * rowStride, stride: rowStride, outputTile: m, into: scratch + i * m,
                                     outStride: 1)
                    }
                    // Columns: Y[a][b] = (Aᵀ column b)[a]
                    let corner = target + ty * m * width + tx * m
                    for b in 0..<m {
                        Lines.output(scratch + b, stride: m, outputTile: m, into: corner + b, outStride: width)
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
