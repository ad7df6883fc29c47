// The Winograd path of Conv2d: its matrices compute a correlation, its tile kernels are those
// matrices, and a layer taking the path
// (enough rows per part) gives what the unfolded path gives (too few rows per part) for the output,
// the input gradient and the parameter gradients, and trains to the same weights.

@testable import NeuralNet
import Testing

@Suite struct WinogradTests {
    @Test(arguments: [(2, 3), (4, 3), (2, 5), (3, 3), (5, 2), (2, 7)])
    func matricesComputeACorrelation(outputTile: Int, kernel: Int) {
        let transform = WinogradTransform(outputTile: outputTile, kernel: kernel)
        let alpha = transform.inputTile
        var generator = SeededGenerator(seed: UInt64(outputTile * 10 + kernel))
        let g = (0..<kernel).map { _ in Double(generator.nextUnitFloat() - 0.5) }
        let d = (0..<alpha).map { _ in Double(generator.nextUnitFloat() - 0.5) }
        let filter = (0..<alpha).map { k in (0..<kernel).reduce(0.0) { $0 + Double(transform.filterMatrix[k * kernel + $1]) * g[$1] } }
        let window = (0..<alpha).map { k in (0..<alpha).reduce(0.0) { $0 + Double(transform.inputMatrix[k * alpha + $1]) * d[$1] } }
        for i in 0..<outputTile {
            let winograd = (0..<alpha).reduce(0.0) { $0 + Double(transform.outputMatrix[i * alpha + $1]) * filter[$1] * window[$1] }
            let direct = (0..<kernel).reduce(0.0) { $0 + g[$1] * d[i + $1] }
            #expect(abs(winograd - direct) < 1e-6, "F(\(outputTile), \(kernel)) output \(i): \(winograd) vs \(direct)")
        }
    }

    /// The tile kernels spell out Bᵀ, Aᵀ and A for 6×6 and 8×8 tiles: they must be those matrices.
    @Test(arguments: [(6, 2), (6, 3), (6, 4), (6, 5), (8, 3), (8, 4), (8, 5), (8, 6)])
    func spelledOutTransformsAreTheMatrices(alpha: Int, kernel: Int) {
        let transform = WinogradTransform(outputTile: alpha + 1 - kernel, kernel: kernel)
        let lines: any TileLines.Type = alpha == 8 ? EightPointLines.self : SixPointLines.self
        #expect(lines.size == alpha)
        let m = transform.outputTile
        var generator = SeededGenerator(seed: UInt64(alpha * 10 + kernel))
        // Every value two strides apart, to check that the strides are honoured.
        let values = (0..<(2 * alpha)).map { _ in Lanes((0..<8).map { _ in generator.nextUnitFloat() - 0.5 }) }
        func times(_ matrix: [Float], rows: Int, columns: Int, transposed: Bool = false) -> [Float] {
            (0..<rows).map { i in
                (0..<columns).reduce(0) { $0 + (transposed ? matrix[$1 * rows + i] : matrix[i * columns + $1]) * values[2 * $1][3] }
            }
        }
        func apply(_ count: Int, _ body: (UnsafePointer<Lanes>, UnsafeMutablePointer<Lanes>) -> Void) -> [Float] {
            var out = [Lanes](repeating: Lanes(), count: 3 * count)
            values.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { body(source.baseAddress!, $0.baseAddress!) }
            }
            return (0..<count).map { out[3 * $0][3] }
        }
        let input = apply(alpha) { lines.input($0, stride: 2, into: $1, outStride: 3) }
        expectClose(input, times(transform.inputMatrix, rows: alpha, columns: alpha), "Bᵀd")
        let output = apply(m) { lines.output($0, stride: 2, outputTile: m, into: $1, outStride: 3) }
        expectClose(output, times(transform.outputMatrix, rows: m, columns: alpha), "Aᵀp")
        let gradient = apply(alpha) { lines.gradient($0, stride: 2, outputTile: m, into: $1, outStride: 3) }
        expectClose(gradient, times(transform.outputMatrix, rows: alpha, columns: m, transposed: true), "A d")
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var input: ImageShape, channels: Int, kernel: Int, padding: Int, bias: Bool, rows: Int
        var testDescription: String { "\(rows) × \(input) → \(channels)C\(kernel)P\(padding)\(bias ? "" : " no bias")" }
    }

    static let cases = [
        // The recipe's second convolution (8×8 tiles), two lane groups in each of two parts.
        Case(input: ImageShape(channels: 32, height: 14, width: 14), channels: 64, kernel: 5, padding: 2, bias: false, rows: 32),
        // 3×3 (4×4 output tiles on 6×6) on sizes that are no multiple of the tile, a lane group part full.
        Case(input: ImageShape(channels: 8, height: 9, width: 11), channels: 5, kernel: 3, padding: 1, bias: true, rows: 21),
        // No padding, and padding as large as it gets; several chunks in one part.
        Case(input: ImageShape(channels: 9, height: 7, width: 8), channels: 3, kernel: 3, padding: 0, bias: true, rows: 40),
        Case(input: ImageShape(channels: 8, height: 6, width: 6), channels: 4, kernel: 5, padding: 4, bias: true, rows: 17),
        // 4×4 on 8×8 tiles (5×5 outputs a tile), and 2×2 on 6×6 tiles, even kernels with uneven padding.
        Case(input: ImageShape(channels: 10, height: 12, width: 9), channels: 6, kernel: 4, padding: 2, bias: true, rows: 24),
        Case(input: ImageShape(channels: 8, height: 11, width: 7), channels: 3, kernel: 2, padding: 1, bias: false, rows: 16),
    ]

    @Test(arguments: cases)
    func agreesWithTheUnfoldedPath(testCase: Case) {
        var generator = SeededGenerator(seed: 17)
        let layer = Conv2d(input: testCase.input, outputChannels: testCase.channels, kernel: testCase.kernel,
                           padding: testCase.padding, bias: testCase.bias)
        layer.initializeHe(using: &generator)
        for i in 0..<layer.bias.count where testCase.bias { layer.bias.storage[i] = generator.nextUnitFloat() - 0.5 }
        let x = GradientCheck.randomMatrix(rows: testCase.rows, columns: testCase.input.count, using: &generator)
        let dy = GradientCheck.randomMatrix(rows: testCase.rows, columns: layer.outputSize, using: &generator)

        // Two parts of ≥ 8 rows take the Winograd path; as many parts as rows take the unfolded one.
        // An inference forward keeps no transforms: backward then makes its own.
        func run(parts: Int, mode: ForwardMode = .training(seed: 1)) -> (y: [Float], dx: [Float], gradients: [[Float]], winograd: Bool) {
            let y = PartRunner.forward(layer, x, parts: parts, mode: mode).elements
            let winograd = layer.usesWinograd
            PartRunner.backward(layer, dy, input: x, parts: parts)
            return (y, layer.inputGradient!.elements, layer.parameterGradients(input: x, outputGradient: dy).map(\.elements), winograd)
        }
        let fast = run(parts: 2), unfolded = run(parts: testCase.rows), afterInference = run(parts: 2, mode: .inference)
        #expect(fast.winograd && !unfolded.winograd)
        #expect(afterInference.dx == fast.dx && afterInference.gradients == fast.gradients)
        expectClose(fast.y, unfolded.y, "y")
        expectClose(fast.dx, unfolded.dx, "dx")
        for (index, (a, b)) in zip(fast.gradients, unfolded.gradients).enumerated() { expectClose(a, b, "gradient \(index)") }
    }

    @Test func aOneChannelInputOrAStrideKeepsTheUnfoldedPath() {
        let first = Conv2d(input: ImageShape(channels: 1, height: 28, width: 28), outputChannels: 32, kernel: 5, padding: 2)
        let strided = Conv2d(input: ImageShape(channels: 16, height: 14, width: 14), outputChannels: 16, kernel: 3,
                             stride: 2, padding: 1)
        let second = Conv2d(input: ImageShape(channels: 32, height: 14, width: 14), outputChannels: 64, kernel: 5, padding: 2)
        #expect(first.winograd == nil && strided.winograd == nil && second.winograd != nil)
        second.prepare(batchSize: 7, parts: 1)
        #expect(!second.usesWinograd, "a lone sample or a few take the unfolded path")
        second.prepare(batchSize: 128, parts: 8)
        #expect(second.usesWinograd)
    }

    /// Elements agree to within 1e-4 of the larger of the two or of the array's largest element.
    private func expectClose(_ a: [Float], _ b: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count)
        let scale = max(b.map(abs).max() ?? 0, 1e-6)
        let worst = zip(a, b).map { abs($0 - $1) / max(abs($1), scale) }.max() ?? 0
        #expect(worst < 1e-4, "\(what): worst relative difference \(worst)", sourceLocation: sourceLocation)
    }
}
