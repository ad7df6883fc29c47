// The tile kernels of a Winograd convolution. Eight samples travel side by side, one in each
// lane of a SIMD8<Float>, so every transform is plain vector arithmetic with no gathers: a batch is
// first interleaved into "lane planes" (C planes of H×W vectors, zero-padded), transformed tile by
// tile, multiplied channel against channel by sgemm, and transformed back.

/// Eight samples' values at one position, one sample per lane.
typealias Lanes = SIMD8<Float>

/// Samples per lane group.
let laneCount = 8

extension WinogradTransform {
    /// Windows of lane planes, transformed on both sides by `matrix`:
    /// `out[ξ = i·α + j][plane][tile] = Σ_{k,l} M[i][k] · window[k][l] · M[j][l]`.
    ///
    /// - Parameters:
    ///   - planes: `planeCount` planes of `height × width` lanes.
    ///   - origin: the row and column of tile (0, 0)'s window; tile (ty, tx)'s starts
    ///     `outputTile` rows and columns further per step.
    ///   - window: the window's side; `matrix` is `inputTile × window`, broadcast into lanes.
    ///   - out: row `ξ·planeCount + plane` starts at `ξ·planeCount + plane) · rowStride`; its
    ///     tiles follow from `tileOffset`, row-major.
    ///   - scratch: room for `window · inputTile` lanes.
    func transformWindows(
        _ planes: UnsafePointer<Lanes>, planeCount: Int, height: Int, width: Int, origin: Int,
        window: Int, matrix: UnsafePointer<Lanes>, tilesY: Int, tilesX: Int,
        into out: UnsafeMutablePointer<Lanes>, rowStride: Int, tileOffset: Int, scratch: UnsafeMutablePointer<Lanes>
    ) {
        let alpha = inputTile
        let xiStride = planeCount * rowStride
        for plane in 0..<planeCount {
            let source = planes + plane * height * width
            let target = out + plane * rowStride + tileOffset
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let corner = source + (origin + ty * outputTile) * width + origin + tx * outputTile
                    // Rows: scratch[k][j] = Σ_l window[k][l] · M[j][l]
                    for k in 0..<window {
                        let row = corner + k * width
                        for j in 0..<alpha {
                            let coefficients = matrix + j * window
                            var sum = row[0] * coefficients[0]
                            for l in 1..<window { sum += row[l] * coefficients[l] }
                            scratch[k * alpha + j] = sum
                        }
                    }
                    // Columns: out[i][j] = Σ_k M[i][k] · scratch[k][j]
                    let tile = target + ty * tilesX + tx
                    for i in 0..<alpha {
                        let coefficients = matrix + i * window
                        for j in 0..<alpha {
                            var sum = scratch[j] * coefficients[0]
                            for k in 1..<window { sum += scratch[k * alpha + j] * coefficients[k] }
                            tile[(i * alpha + j) * xiStride] = sum
                        }
                    }
                }
            }
        }
    }

    /// Products back to output tiles: `planes[plane][ty·m + a][tx·m + b] = Σ_{i,j} Aᵀ[a][i] ·
    /// products[ξ = i·α + j][plane][tile] · Aᵀ[b][j]`, the inverse of `transformWindows`' layout.
    ///
    /// - Parameters:
    ///   - planes: `planeCount` planes of `(tilesY·m) × (tilesX·m)` lanes.
    ///   - matrix: Aᵀ broadcast into lanes.
    ///   - scratch: room for `inputTile · outputTile` lanes.
    func untransformTiles(
        _ products: UnsafePointer<Lanes>, planeCount: Int, rowStride: Int, tileOffset: Int,
        tilesY: Int, tilesX: Int, matrix: UnsafePointer<Lanes>,
        into planes: UnsafeMutablePointer<Lanes>, scratch: UnsafeMutablePointer<Lanes>
    ) {
        let (alpha, m) = (inputTile, outputTile)
        let xiStride = planeCount * rowStride
        let width = tilesX * m
        for plane in 0..<planeCount {
            let source = products + plane * rowStride + tileOffset
            let target = planes + plane * tilesY * m * width
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let tile = source + ty * tilesX + tx
                    // Rows: scratch[i][b] = Σ_j P[i][j] · Aᵀ[b][j]
                    for i in 0..<alpha {
                        let row = tile + i * alpha * xiStride
                        for b in 0..<m {
                            let coefficients = matrix + b * alpha
                            var sum = row[0] * coefficients[0]
                            for j in 1..<alpha { sum += row[j * xiStride] * coefficients[j] }
                            scratch[i * m + b] = sum
                        }
                    }
                    // Columns: Y[a][b] = Σ_i Aᵀ[a][i] · scratch[i][b]
                    let corner = target + ty * m * width + tx * m
                    for a in 0..<m {
                        let coefficients = matrix + a * alpha
                        for b in 0..<m {
                            var sum = scratch[b] * coefficients[0]
                            for i in 1..<alpha { sum += scratch[i * m + b] * coefficients[i] }
                            corner[a * width + b] = sum
                        }
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
