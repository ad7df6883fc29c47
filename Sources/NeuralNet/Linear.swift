// A fully connected layer, z = x · Wᵀ + b, with W stored as (out × in) like PyTorch's nn.Linear.

import CBLAS

/// A fully connected layer: `z = x · Wᵀ + b`.
///
/// The weight is stored `outputSize × inputSize` (PyTorch's layout), so a model file holds it as
/// is. Products go through `cblas_sgemm` with transpose flags. With a pool of several threads each
/// product is split into parts by output columns, computed side by side; the split depends only on
/// the thread count, so results are reproducible for a given count.
///
/// `backward` computes dL/dx and dL/db and keeps x and dL/dz; `update` then applies the weight
/// gradient in the same product that forms it, `W ← W − η · dzᵀ · x` (one `sgemm` with β = 1),
/// which saves writing dL/dW out and reading it back. `weightGradient` forms dL/dW on request.
public final class Linear: Layer {
    public let inputSize: Int
    public let outputSize: Int
    /// W: (outputSize × inputSize).
    public let weight: Matrix
    /// b: (1 × outputSize).
    public let bias: Matrix
    /// dL/db from the last `backward`, same shape as `bias`.
    public let biasGradient: Matrix
    /// Whether `backward` returns dL/dx. False for a network's first layer.
    public let computesInputGradient: Bool

    private let pool: ComputePool
    private let output: Matrix
    private let inputGradient: Matrix
    /// The last forward's input, kept for backward and update.
    private var input: Matrix?
    /// The last backward's incoming gradient, kept for update.
    private var outputGradient: Matrix?
    /// Which computation `run(part:of:)` performs: the one being split across the pool.
    private var phase = Phase.forward
    private var learningRate: Float = 0

    private enum Phase { case forward, backward, update }

    /// Creates a layer with zero parameters; see `initializeHe(using:)`.
    public init(inputSize: Int, outputSize: Int, computesInputGradient: Bool = true, pool: ComputePool = .serial) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.computesInputGradient = computesInputGradient
        self.pool = pool
        weight = Matrix(rows: outputSize, columns: inputSize)
        bias = Matrix(rows: 1, columns: outputSize)
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

    /// dL/dW = dzᵀ · x for the last `backward`, same shape as `weight` (a new matrix). Available
    /// until the next `forward`, which replaces the x and dz it is formed from.
    public var weightGradient: Matrix {
        guard let x = input, let dz = outputGradient else { preconditionFailure("the weight gradient exists between a backward and the next forward") }
        let gradient = Matrix(rows: outputSize, columns: inputSize)
        gemm(.transposed, .normal, m: outputSize, n: inputSize, k: x.rows,
             a: dz.pointer(), lda: outputSize, b: x.pointer(), ldb: inputSize,
             beta: 0, c: gradient.pointer(), ldc: inputSize)
        return gradient
    }

    // x: (batch × in) → z: (batch × out)
    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "Linear expects \(inputSize) features, got \(x.columns)")
        input = x
        outputGradient = nil
        output.resize(rows: x.rows)
        phase = .forward
        pool.run(self, work: x.rows * inputSize * outputSize)
        return output
    }

    // dL/dz: (batch × out) → dL/dx: (batch × in); also dL/db = Σ_rows dz. dL/dW waits for update.
    public func backward(_ dz: Matrix) -> Matrix? {
        guard let x = input else { preconditionFailure("Linear.backward called before forward") }
        precondition(dz.rows == x.rows && dz.columns == outputSize, "gradient shape does not match the last forward")
        outputGradient = dz
        if computesInputGradient { inputGradient.resize(rows: x.rows) }
        phase = .backward
        pool.run(self, work: computesInputGradient ? x.rows * inputSize * outputSize : 0)
        return computesInputGradient ? inputGradient : nil
    }

    /// `W ← W − η · dzᵀ · x`, `b ← b − η · db`, from the last `backward`. No `forward` may come
    /// between the two: it replaces the x and dz the update reads.
    public func update(learningRate: Float) {
        guard let x = input, outputGradient != nil else { preconditionFailure("Linear.update called before backward") }
        self.learningRate = learningRate
        phase = .update
        pool.run(self, work: x.rows * inputSize * outputSize)
    }
}

extension Linear: ParallelTask {
    /// One part of the current phase's work; part `p` of `n` touches only its own columns.
    public func run(part: Int, of parts: Int) {
        switch phase {
        case .forward: forwardPart(part, of: parts)
        case .backward: backwardPart(part, of: parts)
        case .update: updatePart(part, of: parts)
        }
    }

    // z[:, cols] = b[cols] + x · W[cols, :]ᵀ
    private func forwardPart(_ part: Int, of parts: Int) {
        let x = input!, batch = x.rows
        let columns = share(of: outputSize, part: part, parts: parts, granule: 16)
        guard !columns.isEmpty else { return }
        let z = output.pointer() + columns.lowerBound
        let b = bias.pointer() + columns.lowerBound
        // Start every row from the bias, then accumulate the product onto it (beta = 1).
        for row in 0..<batch {
            (z + row * outputSize).update(from: b, count: columns.count)
        }
        forEachColumnBlock(columns, m: batch, k: inputSize) { block in
            gemm(.normal, .transposed, m: batch, n: block.count, k: inputSize,
                 a: x.pointer(), lda: inputSize, b: weight.pointer(row: block.lowerBound), ldb: inputSize,
                 beta: 1, c: output.pointer() + block.lowerBound, ldc: outputSize)
        }
    }

    // dx[:, cols] = dz · W[:, cols],  db[rows] = Σ dz[:, rows]
    private func backwardPart(_ part: Int, of parts: Int) {
        let dz = outputGradient!, batch = dz.rows
        if computesInputGradient {
            let columns = share(of: inputSize, part: part, parts: parts, granule: 16)
            if !columns.isEmpty {
                gemm(.normal, .normal, m: batch, n: columns.count, k: outputSize,
                     a: dz.pointer(), lda: outputSize, b: weight.pointer() + columns.lowerBound, ldb: inputSize,
                     beta: 0, c: inputGradient.pointer() + columns.lowerBound, ldc: inputSize)
            }
        }
        let rows = share(of: outputSize, part: part, parts: parts)
        guard !rows.isEmpty else { return }
        let db = biasGradient.pointer() + rows.lowerBound
        db.update(repeating: 0, count: rows.count)
        for row in 0..<batch {
            let dzRow = dz.pointer(row: row) + rows.lowerBound
            for o in 0..<rows.count { db[o] += dzRow[o] }
        }
    }

    // W[:, cols] ← W[:, cols] − η · dzᵀ · x[:, cols],  b[rows] ← b[rows] − η · db[rows].
    // Split by input columns: each part's product stays wide (out × in/parts), which OpenBLAS
    // runs faster than the same work split by rows.
    private func updatePart(_ part: Int, of parts: Int) {
        let x = input!, dz = outputGradient!
        let columns = share(of: inputSize, part: part, parts: parts, granule: 16)
        forEachColumnBlock(columns, m: outputSize, k: x.rows) { block in
            gemm(.transposed, .normal, m: outputSize, n: block.count, k: x.rows, alpha: -learningRate,
                 a: dz.pointer(), lda: outputSize, b: x.pointer() + block.lowerBound, ldb: inputSize,
                 beta: 1, c: weight.pointer() + block.lowerBound, ldc: inputSize)
        }
        let rows = share(of: outputSize, part: part, parts: parts)
        if !rows.isEmpty {
            cblas_saxpy(Int32(rows.count), -learningRate,
                        biasGradient.pointer() + rows.lowerBound, 1, bias.pointer() + rows.lowerBound, 1)
        }
    }
}
