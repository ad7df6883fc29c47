// Winograd's minimal filtering (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): m outputs of an r-tap correlation from α = m + r − 1 products instead of m·r.
// In one dimension, y = Aᵀ[(G g) ⊙ (Bᵀ d)] for a filter g of r taps and an input window d of α;
// nested, a 2-D tile is Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A. The matrices come from Toom–Cook: multiply
// polynomials by evaluating them at α − 1 points and at infinity, then interpolate. By the
// transposition principle the correlation's matrices are the convolution's transposed:
//   G  (α × r): row k evaluates the filter at point k (the leading tap at infinity), divided by
//               the Lagrange denominator Π_{l≠k}(p_k − p_l), so that Bᵀ stays in integers;
//   Bᵀ (α × α): row k holds the coefficients of Π_{l≠k}(x − p_l), the last row those of Π_l(x − p_l);
//   Aᵀ (m × α): column k holds the powers p_k⁰ … p_k^(m−1); infinity's column is (0, …, 0, 1).
// The points are 0, ±1, ±2, ±½ in that order, as many as needed: small, so the transforms stay
// well conditioned in Float32 for the tiles used here (α = 6 and 8; with 8, a 5×5 convolution of
// 32 channels is off by 8e-6 of its largest output, against 1.4e-6 with 6 and 1.5e-7 summed
// directly).

/// The three matrices of one Winograd algorithm F(m, r), row-major, in Float32.
struct WinogradTransform: Sendable {
    /// Outputs per tile side.
    let outputTile: Int
    /// Taps per filter side.
    let kernel: Int
    /// Products per tile side: `outputTile + kernel − 1`.
    let inputTile: Int
    /// Bᵀ: `inputTile × inputTile`, applied to input windows.
    let inputMatrix: [Float]
    /// G: `inputTile × kernel`, applied to filters.
    let filterMatrix: [Float]
    /// Aᵀ: `outputTile × inputTile`, applied to products to give outputs.
    let outputMatrix: [Float]

    /// The evaluation points, in the order they are taken.
    static let points: [Double] = [0, 1, -1, 2, -2, 0.5, -0.5]

    /// F(`outputTile`, `kernel`); needs `outputTile + kernel − 2` finite points (at most 7).
    init(outputTile: Int, kernel: Int) {
        let alpha = outputTile + kernel - 1
        precondition(outputTile >= 1 && kernel >= 1 && alpha - 1 <= Self.points.count, "no points for F(\(outputTile), \(kernel))")
        self.outputTile = outputTile
        self.kernel = kernel
        inputTile = alpha
        let points = Array(Self.points.prefix(alpha - 1))

        var input = [Double](repeating: 0, count: alpha * alpha)
        var filter = [Double](repeating: 0, count: alpha * kernel)
        var output = [Double](repeating: 0, count: outputTile * alpha)
        for (k, point) in points.enumerated() {
            let others = points.indices.filter { $0 != k }.map { points[$0] }
            let coefficients = Self.coefficients(ofProductOver: others)
            for (power, value) in coefficients.enumerated() { input[k * alpha + power] = value }
            let denominator = others.reduce(1) { $0 * (point - $1) }
            for j in 0..<kernel { filter[k * kernel + j] = Self.power(point, j) / denominator }
            for i in 0..<outputTile { output[i * alpha + k] = Self.power(point, i) }
        }
        let last = alpha - 1
        for (power, value) in Self.coefficients(ofProductOver: points).enumerated() { input[last * alpha + power] = value }
        filter[last * kernel + kernel - 1] = 1
        output[(outputTile - 1) * alpha + last] = 1

        inputMatrix = input.map { Float($0) }
        filterMatrix = filter.map { Float($0) }
        outputMatrix = output.map { Float($0) }
    }

    /// The coefficients, constant term first, of Π (x − root) over `roots`.
    private static func coefficients(ofProductOver roots: [Double]) -> [Double] {
        var product: [Double] = [1]
        for root in roots {
            var next = [Double](repeating: 0, count: product.count + 1)
            for (power, value) in product.enumerated() {
                next[power + 1] += value
                next[power] -= root * value
            }
            product = next
        }
        return product
    }

    private static func power(_ base: Double, _ exponent: Int) -> Double {
        (0..<exponent).reduce(1) { value, _ in value * base }
    }
}
