// Filters into the Winograd domain and their gradients back out, eight (output, input) channel
// pairs at a time, one per lane.

extension WinogradTransform {
    /// Lanes of scratch the filter transforms need.
    var filterScratchCount: Int { kernel * kernel + inputTile * kernel + inputTile * inputTile }

    /// `u[ξ·pairs + pair] = (G w Gᵀ)[i][j]` for every filter `w = weight[pair·r² …]` (turned by
    /// 180° when `rotated`, as the input gradient's convolution needs), ξ = i·α + j.
    /// - Parameter filterLanes: G broadcast into lanes.
    func transformFilters(
        _ weight: UnsafePointer<Float>, pairs: Int, rotated: Bool, filterLanes: UnsafePointer<Lanes>,
        into u: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Lanes>
    ) {
        let (alpha, r) = (inputTile, kernel)
        let taps = scratch, rows = taps + r * r, out = rows + alpha * r
        var first = 0
        while first < pairs {
            let count = min(laneCount, pairs - first)
            for tap in 0..<(r * r) {
                let source = rotated ? r * r - 1 - tap : tap
                var value = Lanes()
                for lane in 0..<count { value[lane] = weight[(first + lane) * r * r + source] }
                taps[tap] = value
            }
            // rows[i][l] = Σ_k G[i][k] · w[k][l]
            for i in 0..<alpha {
                for l in 0..<r {
                    var sum = filterLanes[i * r] * taps[l]
                    for k in 1..<r { sum += filterLanes[i * r + k] * taps[k * r + l] }
                    rows[i * r + l] = sum
                }
            }
            // out[i][j] = Σ_l rows[i][l] · G[j][l]
            for i in 0..<alpha {
                for j in 0..<alpha {
                    var sum = rows[i * r] * filterLanes[j * r]
                    for l in 1..<r { sum += rows[i * r + l] * filterLanes[j * r + l] }
                    out[i * alpha + j] = sum
                }
            }
            for xi in 0..<(alpha * alpha) {
                for lane in 0..<count { u[xi * pairs + first + lane] = out[xi][lane] }
            }
            first += count
        }
    }

    /// The filter gradient of pairs `range` from the Winograd domain's, `du` (laid out as
    /// `transformFilters`' output): `dw[pair·r² + a·r + b] = Σ_{i,j} G[i][a] · du[ξ·pairs + pair] · G[j][b]`.
    func filterGradient(
        _ du: UnsafePointer<Float>, pairs: Int, range: Range<Int>, filterLanes: UnsafePointer<Lanes>,
        into dw: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Lanes>
    ) {
        let (alpha, r) = (inputTile, kernel)
        let products = scratch, rows = products + alpha * alpha, taps = rows + r * alpha
        var first = range.lowerBound
        while first < range.upperBound {
            let count = min(laneCount, range.upperBound - first)
            for xi in 0..<(alpha * alpha) {
                var value = Lanes()
                for lane in 0..<count { value[lane] = du[xi * pairs + first + lane] }
                products[xi] = value
            }
            // rows[a][j] = Σ_i G[i][a] · du[i][j]
            for a in 0..<r {
                for j in 0..<alpha {
                    var sum = filterLanes[a] * products[j]
                    for i in 1..<alpha { sum += filterLanes[i * r + a] * products[i * alpha + j] }
                    rows[a * alpha + j] = sum
                }
            }
            // taps[a][b] = Σ_j rows[a][j] · G[j][b]
            for a in 0..<r {
                for b in 0..<r {
                    var sum = rows[a * alpha] * filterLanes[b]
                    for j in 1..<alpha { sum += rows[a * alpha + j] * filterLanes[j * r + b] }
                    taps[a * r + b] = sum
                }
            }
            for tap in 0..<(r * r) {
                for lane in 0..<count { dw[(first + lane) * r * r + tap] = taps[tap][lane] }
            }
            first += count
        }
    }
}
