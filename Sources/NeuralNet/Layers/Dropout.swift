// Dropout (Srivastava et al. 2014): while training, each feature is zeroed with probability p
// and the survivors are scaled by 1 / (1 − p), so inference needs no rescaling and is the identity.

/// Inverted dropout over `size` features.
///
/// In a training pass each row's mask comes from the step's seed and the row's index alone, so
/// the same step drops the same features however the rows are split across threads.
public final class Dropout: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    /// The probability that a feature is dropped while training, in `0..<1`.
    public let probability: Float
    public let output: Matrix
    public var inputGradient: Matrix? { inputGradientBuffer }

    private let inputGradientBuffer: Matrix
    /// The last forward's factors: 0 for a dropped feature, 1 / (1 − p) for a kept one (all 1
    /// after an inference pass).
    private let mask: Matrix

    /// Dropout over `size` features with drop probability `probability` (`0 <= p < 1`).
    public init(size: Int, probability: Float) {
        precondition((0..<1).contains(probability), "a dropout probability lies in 0..<1")
        inputSize = size
        self.probability = probability
        output = Matrix(rows: 0, columns: size)
        inputGradientBuffer = Matrix(rows: 0, columns: size)
        mask = Matrix(rows: 0, columns: size)
    }

    public func prepare(batchSize: Int, parts: Int) {
        output.resize(rows: batchSize)
        inputGradientBuffer.resize(rows: batchSize)
        mask.resize(rows: batchSize)
    }

    // x[rows]: (rows × n) → y[rows] = x[rows] ⊙ mask[rows]
    public func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {
        for row in rows {
            let m = mask.pointer(row: row)
            if case .training(let seed) = mode {
                fillMask(m, seed: seed, row: row)
            } else {
                m.update(repeating: 1, count: inputSize)
            }
            let xp = x.pointer(row: row), y = output.pointer(row: row)
            for i in 0..<inputSize { y[i] = xp[i] * m[i] }
        }
    }

    // dL/dy[rows] → dL/dx[rows] = dL/dy[rows] ⊙ mask[rows]
    public func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        for row in rows {
            let m = mask.pointer(row: row), dyp = dy.pointer(row: row), dx = inputGradientBuffer.pointer(row: row)
            for i in 0..<inputSize { dx[i] = dyp[i] * m[i] }
        }
    }

    /// Row `row`'s training mask for the step seeded `seed`.
    private func fillMask(_ m: UnsafeMutablePointer<Float>, seed: UInt64, row: Int) {
        var generator = SeededGenerator(seed: seed ^ (UInt64(row) &* 0x9E37_79B9_7F4A_7C15))
        // A feature is dropped when 32 random bits fall below p · 2³².
        let threshold = UInt64((Double(probability) * 4_294_967_296).rounded(.down))
        let kept = 1 / (1 - probability)
        var i = 0
        while i < inputSize {
            let bits = generator.next()
            m[i] = bits & 0xFFFF_FFFF < threshold ? 0 : kept
            if i + 1 < inputSize { m[i + 1] = bits >> 32 < threshold ? 0 : kept }
            i += 2
        }
    }
}
