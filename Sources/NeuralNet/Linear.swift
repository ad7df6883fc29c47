// A fully connected layer, z = x · Wᵀ + b, with W stored as (out × in) like PyTorch's nn.Linear.

import CBLAS

/// A fully connected layer: `z = x · Wᵀ + b`.
///
/// The weight is stored `outputSize × inputSize` (PyTorch's layout), so a model file holds it as
/// is. Products go through `cblas_sgemm` with transpose flags. With a pool of several threads the
/// forward and input-gradient products are split by rows (samples), the update by input columns;
/// the split depends only on the thread count, so results are reproducible for a given count.
///
/// `backward` computes dL/dx and keeps x and dL/dz; `update` then forms the parameter gradients
/// and applies them (Linear+Update.swift). `weightGradient` and `biasGradient` form the gradients
/// on request.
public final class Linear: Layer {
    public let inputSize: Int
    public let outputSize: Int
    /// W: (outputSize × inputSize).
    public let weight: Matrix
    /// b: (1 × outputSize).
    public let bias: Matrix
    /// Whether `backward` returns dL/dx. False for a network's first layer.
    public let computesInputGradient: Bool

    private let pool: ComputePool
    private let output: Matrix
    private let inputGradient: Matrix
    /// dL/db while `update` applies it.
    let biasStep: Matrix
    /// The last forward's input, kept for update.
    var input: Matrix?
    /// The last backward's incoming gradient, kept for update.
    var outputGradient: Matrix?
    /// Which computation `run(part:of:)` performs: the one being split across the pool.
    private var phase = Phase.forward
    /// The update rule of the current and past steps, and how many steps it has taken.
    var optimizer = Optimizer.sgd(learningRate: 0)
    var optimizerStep = 0
    /// The optimizer's state (see `Optimizer.stateCount`), shaped like `weight` and like `bias`.
    var weightState: [Matrix] = []
    var biasState: [Matrix] = []
    /// dL/dW while an optimizer other than plain SGD applies it.
    var gradientBuffer: Matrix?

    private enum Phase { case forward, backward, update }

    /// Creates a layer with zero parameters; see `initializeHe(using:)`.
    public init(inputSize: Int, outputSize: Int, computesInputGradient: Bool = true, pool: ComputePool = .serial) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.computesInputGradient = computesInputGradient
        self.pool = pool
        weight = Matrix(rows: outputSize, columns: inputSize)
        bias = Matrix(rows: 1, columns: outputSize)
        output = Matrix(rows: 0, columns: outputSize)
        inputGradient = Matrix(rows: 0, columns: inputSize)
        biasStep = Matrix(rows: 1, columns: outputSize)
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
        let (x, dz) = gradientOperands()
        let gradient = Matrix(rows: outputSize, columns: inputSize)
        gemm(.transposed, .normal, m: outputSize, n: inputSize, k: x.rows,
             a: dz.pointer(), lda: outputSize, b: x.pointer(), ldb: inputSize,
             beta: 0, c: gradient.pointer(), ldc: inputSize)
        return gradient
    }

    /// dL/db = Σ_rows dz for the last `backward`, same shape as `bias` (a new matrix). Available
    /// until the next `forward`.
    public var biasGradient: Matrix {
        let (_, dz) = gradientOperands()
        let gradient = Matrix(rows: 1, columns: outputSize)
        columnSums(of: dz, columns: 0..<outputSize, into: gradient.pointer())
        return gradient
    }

    // x: (batch × in) → z: (batch × out)
    public func forward(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "Linear expects \(inputSize) features, got \(x.columns)")
        bind(input: x, outputGradient: nil)
        prepare(batchSize: x.rows)
        phase = .forward
        pool.run(self, work: x.rows * inputSize * outputSize)
        return output
    }

    // dL/dz: (batch × out) → dL/dx: (batch × in). The parameter gradients wait for update.
    public func backward(_ dz: Matrix) -> Matrix? {
        guard let x = input else { preconditionFailure("Linear.backward called before forward") }
        precondition(dz.rows == x.rows && dz.columns == outputSize, "gradient shape does not match the last forward")
        outputGradient = dz
        guard computesInputGradient else { return nil }
        phase = .backward
        pool.run(self, work: x.rows * inputSize * outputSize)
        return inputGradient
    }

    /// `W ← W − η · dzᵀ · x`, `b ← b − η · Σ dz`, from the last `backward`. No `forward` may come
    /// between the two: it replaces the x and dz the update reads.
    public func update(learningRate: Float) {
        update(using: .sgd(learningRate: learningRate))
    }

    /// Applies the gradients of the last `backward` with `optimizer`, whose state (momentum,
    /// Adam's moments) this layer keeps from step to step; changing the kind of optimizer starts
    /// that state afresh.
    public func update(using optimizer: Optimizer) {
        let (x, _) = gradientOperands()
        prepare(optimizer: optimizer)
        phase = .update
        pool.run(self, work: x.rows * inputSize * outputSize)
    }

    func gradientOperands() -> (x: Matrix, dz: Matrix) {
        guard let x = input, let dz = outputGradient else {
            preconditionFailure("the gradients exist between a backward and the next forward")
        }
        return (x, dz)
    }
}

extension Linear: ParallelTask {
    /// One part of the current phase's work.
    public func run(part: Int, of parts: Int) {
        switch phase {
        case .forward: forward(input!, rows: share(of: output.rows, part: part, parts: parts))
        case .backward: backward(outputGradient!, rows: share(of: output.rows, part: part, parts: parts))
        case .update: update(part: part, of: parts)
        }
    }
}

extension Linear: RowParallelLayer {
    var outputBuffer: Matrix { output }
    var inputGradientBuffer: Matrix? { computesInputGradient ? inputGradient : nil }

    func prepare(batchSize: Int) {
        output.resize(rows: batchSize)
        if computesInputGradient { inputGradient.resize(rows: batchSize) }
    }

    /// Remembers the matrices `update` reads: this layer's input and the gradient of its output.
    func bind(input: Matrix, outputGradient: Matrix?) {
        self.input = input
        self.outputGradient = outputGradient
    }

    // z[rows] = b + x[rows] · Wᵀ
    func forward(_ x: Matrix, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        // Start every row from the bias, then accumulate the product onto it (beta = 1).
        for row in rows {
            output.pointer(row: row).update(from: bias.pointer(), count: outputSize)
        }
        forEachColumnBlock(0..<outputSize, m: rows.count, k: inputSize) { block in
            gemm(.normal, .transposed, m: rows.count, n: block.count, k: inputSize,
                 a: x.pointer(row: rows.lowerBound), lda: inputSize,
                 b: weight.pointer(row: block.lowerBound), ldb: inputSize,
                 beta: 1, c: output.pointer(row: rows.lowerBound) + block.lowerBound, ldc: outputSize)
        }
    }

    // dx[rows] = dz[rows] · W
    func backward(_ dz: Matrix, rows: Range<Int>) {
        guard computesInputGradient, !rows.isEmpty else { return }
        gemm(.normal, .normal, m: rows.count, n: inputSize, k: outputSize,
             a: dz.pointer(row: rows.lowerBound), lda: outputSize, b: weight.pointer(), ldb: inputSize,
             beta: 0, c: inputGradient.pointer(row: rows.lowerBound), ldc: inputSize)
    }
}
