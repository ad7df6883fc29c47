// A fully connected layer, z = x · Wᵀ + b, with W stored as (out × in) like PyTorch's nn.Linear.

import CBLAS

/// A fully connected layer: `z = x · Wᵀ + b`.
///
/// The weight is stored `outputSize × inputSize` (PyTorch's layout), so a model file holds it as
/// is. Products go through `cblas_sgemm` with transpose flags and are split across the pool.
public final class Linear: Layer {
    public let inputSize: Int
    public let outputSize: Int
    /// W: (outputSize × inputSize).
    public let weight: Matrix
    /// b: (1 × outputSize).
    public let bias: Matrix
    /// dL/dW from the last `backward`, same shape as `weight`.
    public let weightGradient: Matrix
    /// dL/db from the last `backward`, same shape as `bias`.
    public let biasGradient: Matrix
    /// Whether `backward` returns dL/dx. False for a network's first layer.
    public let computesInputGradient: Bool

    private let pool: ComputePool
    private let output: Matrix
    private let inputGradient: Matrix
    private var input: Matrix?

    /// Creates a layer with zero parameters; see `initializeHe(using:)`.
    public init(inputSize: Int, outputSize: Int, computesInputGradient: Bool = true, pool: ComputePool = .serial) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.computesInputGradient = computesInputGradient
        self.pool = pool
        weight = Matrix(rows: outputSize, columns: inputSize)
        bias = Matrix(rows: 1, columns: outputSize)
        weightGradient = Matrix(rows: outputSize, columns: inputSize)
        biasGradient = Matrix(rows: 1, columns: outputSize)
        output = Matrix(rows: 0, columns: outputSize)
        inputGradient = Matrix(rows: 0, columns: inputSize)
    }

    /// He initialisation for a ReLU network: W ~ N(0, 2 / inputSize), b = 0.
    public func initializeHe(using generator: inout SeededGenerator) {
        let standardDeviation = (2.0 / Double(inputSize)).squareRoot()
        for i in 0..<weight.count {
            weight.storage[i] = Float(generator.nextGaussian() * standardDeviation)
        }
        bias.fill(0)
    }

    // x: (batch × in) → z: (batch × out)
    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "Linear expects \(inputSize) features, got \(x.columns)")
        let batch = x.rows
        input = x
        output.resize(rows: batch)
        let z = output.pointer(), w = weight.pointer(), b = bias.pointer(), xp = x.pointer()
        let (inSize, outSize) = (inputSize, outputSize)
        split(work: batch * inSize * outSize, count: outSize) { columns in
            // Start every row from the bias, then accumulate x · Wᵀ onto it (beta = 1).
            for row in 0..<batch {
                (z + row * outSize + columns.lowerBound).update(from: b + columns.lowerBound, count: columns.count)
            }
            gemm(.normal, .transposed, m: batch, n: columns.count, k: inSize,
                 a: xp, lda: inSize, b: w + columns.lowerBound * inSize, ldb: inSize,
                 beta: 1, c: z + columns.lowerBound, ldc: outSize)
        }
        return output
    }

    // dL/dz: (batch × out) → dL/dx: (batch × in); also dL/dW = dzᵀ · x and dL/db = Σ_rows dz.
    public func backward(_ dz: Matrix) -> Matrix? {
        guard let x = input else { preconditionFailure("Linear.backward called before forward") }
        precondition(dz.rows == x.rows && dz.columns == outputSize, "gradient shape does not match the last forward")
        let batch = x.rows
        let (inSize, outSize) = (inputSize, outputSize)
        let dzp = dz.pointer(), xp = x.pointer(), w = weight.pointer()
        let dw = weightGradient.pointer(), db = biasGradient.pointer()
        let dx: UnsafeMutablePointer<Float>?
        if computesInputGradient {
            inputGradient.resize(rows: batch)
            dx = inputGradient.pointer()
        } else {
            dx = nil
        }
        // Part p computes its share of dW's rows (with db) and its share of dx's columns: both only
        // read dz, x and W, so one parallel region does all of it.
        let parts = batch * inSize * outSize < parallelProductThreshold ? 1 : pool.threadCount
        let body = { (part: Int) in
            let rows = share(of: outSize, part: part, parts: parts, granule: 8)
            if !rows.isEmpty {
                gemm(.transposed, .normal, m: rows.count, n: inSize, k: batch,
                     a: dzp + rows.lowerBound, lda: outSize, b: xp, ldb: inSize,
                     beta: 0, c: dw + rows.lowerBound * inSize, ldc: inSize)
                let dbPart = db + rows.lowerBound
                dbPart.update(repeating: 0, count: rows.count)
                for row in 0..<batch {
                    let dzPart = dzp + row * outSize + rows.lowerBound
                    for o in 0..<rows.count { dbPart[o] += dzPart[o] }
                }
            }
            if let dx {
                let columns = share(of: inSize, part: part, parts: parts, granule: 16)
                if !columns.isEmpty {
                    gemm(.normal, .normal, m: batch, n: columns.count, k: outSize,
                         a: dzp, lda: outSize, b: w + columns.lowerBound, ldb: inSize,
                         beta: 0, c: dx + columns.lowerBound, ldc: inSize)
                }
            }
        }
        if parts == 1 { body(0) } else { pool.run(body) }
        return computesInputGradient ? inputGradient : nil
    }

    public func update(learningRate: Float) {
        let w = weight.pointer(), dw = weightGradient.pointer()
        let inSize = inputSize
        split(work: weight.count * 64, count: outputSize) { rows in
            let start = rows.lowerBound * inSize
            cblas_saxpy(Int32(rows.count * inSize), -learningRate, dw + start, 1, w + start, 1)
        }
        cblas_saxpy(Int32(outputSize), -learningRate, biasGradient.pointer(), 1, bias.pointer(), 1)
    }

    /// Runs `body` over `0..<count`, split across the pool when `work` (multiply-adds) is worth it.
    private func split(work: Int, count: Int, _ body: (Range<Int>) -> Void) {
        if work < parallelProductThreshold || pool.threadCount == 1 {
            body(0..<count)
        } else {
            pool.forEachRange(count: count, granule: 16, body)
        }
    }
}

/// Part `part` of `0..<count` cut into `parts` contiguous pieces whose bounds are multiples of
/// `granule` (all of it for part 0 when `parts` is 1).
func share(of count: Int, part: Int, parts: Int, granule: Int) -> Range<Int> {
    let granules = (count + granule - 1) / granule
    let start = min(count, granules * part / parts * granule)
    let end = min(count, granules * (part + 1) / parts * granule)
    return start..<end
}
