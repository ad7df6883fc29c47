// A fully connected layer, z = x · Wᵀ + b, with W stored as (out × in) like PyTorch's nn.Linear.

import CBLAS

/// A fully connected layer: `z = x · Wᵀ + b`.
///
/// The weight is stored `outputSize × inputSize` (PyTorch's layout), so a model file holds it as
/// is. Products go through `cblas_sgemm` with transpose flags. With a pool of several threads each
/// product is split into parts by output columns or rows, computed side by side; the split depends
/// only on the thread count, so results are reproducible for a given count.
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
    /// The last forward's input, kept for backward.
    private var input: Matrix?
    /// The last backward's incoming gradient.
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
        input = x
        output.resize(rows: x.rows)
        phase = .forward
        pool.run(self, work: x.rows * inputSize * outputSize)
        return output
    }

    // dL/dz: (batch × out) → dL/dx: (batch × in); also dL/dW = dzᵀ · x and dL/db = Σ_rows dz.
    public func backward(_ dz: Matrix) -> Matrix? {
        guard let x = input else { preconditionFailure("Linear.backward called before forward") }
        precondition(dz.rows == x.rows && dz.columns == outputSize, "gradient shape does not match the last forward")
        outputGradient = dz
        if computesInputGradient { inputGradient.resize(rows: x.rows) }
        phase = .backward
        pool.run(self, work: x.rows * inputSize * outputSize)
        return computesInputGradient ? inputGradient : nil
    }

    public func update(learningRate: Float) {
        self.learningRate = learningRate
        phase = .update
        pool.run(self, work: weight.count * 16)
    }
}

extension Linear: ParallelTask {
    /// One part of the current phase's work; part `p` of `n` touches only its own columns or rows.
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
        gemm(.normal, .transposed, m: batch, n: columns.count, k: inputSize,
             a: x.pointer(), lda: inputSize, b: weight.pointer(row: columns.lowerBound), ldb: inputSize,
             beta: 1, c: z, ldc: outputSize)
    }

    // dW[:, cols] = dzᵀ · x[:, cols],  dx[:, cols] = dz · W[:, cols],  db[rows] = Σ dz[:, rows].
    // All of it only reads dz, x and W, so one parallel region computes everything. Splitting dW
    // by input columns keeps each part's product wide (out × in/parts), which OpenBLAS runs faster
    // than the same work split by rows.
    private func backwardPart(_ part: Int, of parts: Int) {
        let x = input!, dz = outputGradient!, batch = x.rows
        let columns = share(of: inputSize, part: part, parts: parts, granule: 16)
        if !columns.isEmpty {
            gemm(.transposed, .normal, m: outputSize, n: columns.count, k: batch,
                 a: dz.pointer(), lda: outputSize, b: x.pointer() + columns.lowerBound, ldb: inputSize,
                 beta: 0, c: weightGradient.pointer() + columns.lowerBound, ldc: inputSize)
            if computesInputGradient {
                gemm(.normal, .normal, m: batch, n: columns.count, k: outputSize,
                     a: dz.pointer(), lda: outputSize, b: weight.pointer() + columns.lowerBound, ldb: inputSize,
                     beta: 0, c: inputGradient.pointer() + columns.lowerBound, ldc: inputSize)
            }
        }
        let rows = share(of: outputSize, part: part, parts: parts)
        if !rows.isEmpty {
            let db = biasGradient.pointer() + rows.lowerBound
            db.update(repeating: 0, count: rows.count)
            for row in 0..<batch {
                let dzRow = dz.pointer(row: row) + rows.lowerBound
                for o in 0..<rows.count { db[o] += dzRow[o] }
            }
        }
    }

    // W[rows, :] -= η · dW[rows, :],  b[rows] -= η · db[rows]
    private func updatePart(_ part: Int, of parts: Int) {
        let rows = share(of: outputSize, part: part, parts: parts, granule: 8)
        guard !rows.isEmpty else { return }
        cblas_saxpy(Int32(rows.count * inputSize), -learningRate,
                    weightGradient.pointer(row: rows.lowerBound), 1, weight.pointer(row: rows.lowerBound), 1)
        cblas_saxpy(Int32(rows.count), -learningRate,
                    biasGradient.pointer() + rows.lowerBound, 1, bias.pointer() + rows.lowerBound, 1)
    }
}
