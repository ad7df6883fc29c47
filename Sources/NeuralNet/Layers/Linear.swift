// A fully connected layer, z = x · Wᵀ + b, with W stored as (out × in) like PyTorch's nn.Linear.

/// A fully connected layer: `z = x · Wᵀ + b`.
///
/// The weight is stored `outputSize × inputSize` (PyTorch's layout), so a model file holds it as
/// is. Products go through `gemm` (CBLAS) with transpose flags. `update` forms the parameter
/// gradients from the input and output gradient it is given and applies them
/// (Linear+Update.swift); `weightGradient(input:outputGradient:)` forms them on request.
public final class Linear: OptimizedLayer, InputGradientSwitch {
    public let inputSize: Int
    public let outputSize: Int
    /// W: (outputSize × inputSize).
    public let weight: Matrix
    /// b: (1 × outputSize); all zero, and untouched, without a bias.
    public let bias: Matrix
    /// Whether there is a bias (a layer followed by batch norm needs none).
    public let hasBias: Bool
    /// Whether `backward` computes dL/dx. False for a network's first layer.
    public internal(set) var computesInputGradient: Bool
    public let output: Matrix
    public var inputGradient: Matrix? { computesInputGradient ? inputGradientBuffer : nil }
    public var workPerSample: Int { inputSize * outputSize }
    public var tensors: [LayerTensor] {
        let weightTensor = LayerTensor(name: "weight", shape: [outputSize, inputSize], values: weight)
        return hasBias ? [weightTensor, LayerTensor(name: "bias", shape: [outputSize], values: bias)] : [weightTensor]
    }

    private let inputGradientBuffer: Matrix
    /// dL/db while `update` applies it.
    let biasGradientBuffer: Matrix
    /// What the optimizer keeps for this layer from step to step.
    let optimizerState: OptimizerState

    /// Creates a layer with zero parameters; see `initializeHe(using:)`.
    public init(inputSize: Int, outputSize: Int, bias hasBias: Bool = true, computesInputGradient: Bool = true) {
        self.hasBias = hasBias
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.computesInputGradient = computesInputGradient
        weight = Matrix(rows: outputSize, columns: inputSize)
        bias = Matrix(rows: 1, columns: outputSize)
        output = Matrix(rows: 0, columns: outputSize)
        inputGradientBuffer = Matrix(rows: 0, columns: inputSize)
        biasGradientBuffer = Matrix(rows: 1, columns: outputSize)
        optimizerState = OptimizerState(weightShape: (outputSize, inputSize), biasShape: (1, outputSize))
    }

    /// He initialisation for a ReLU network: W ~ N(0, 2 / inputSize), b = 0.
    public func initializeHe(using generator: inout SeededGenerator) {
        let standardDeviation = (2.0 / Double(inputSize)).squareRoot()
        for i in 0..<weight.count {
            weight.storage[i] = Float(generator.nextGaussian() * standardDeviation)
        }
        bias.fill(0)
    }

    public func prepare(batchSize: Int, parts: Int) {
        output.resize(rows: batchSize)
        if computesInputGradient { inputGradientBuffer.resize(rows: batchSize) }
    }

    // x[rows]: (rows × in) → z[rows] = b + x[rows] · Wᵀ: (rows × out)
    public func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {
        guard !rows.isEmpty else { return }
        // Start every row from the bias, then accumulate the product onto it (beta = 1).
        for row in rows {
            output.pointer(row: row).update(from: bias.pointer(), count: outputSize)
        }
        gemm(.normal, .transposed, m: rows.count, n: outputSize, k: inputSize,
             a: x.pointer(row: rows.lowerBound), lda: inputSize, b: weight.pointer(), ldb: inputSize,
             beta: 1, c: output.pointer(row: rows.lowerBound), ldc: outputSize)
    }

    // dL/dz[rows]: (rows × out) → dL/dx[rows] = dz[rows] · W: (rows × in)
    public func backward(_ dz: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        guard computesInputGradient, !rows.isEmpty else { return }
        gemm(.normal, .normal, m: rows.count, n: inputSize, k: outputSize,
             a: dz.pointer(row: rows.lowerBound), lda: outputSize, b: weight.pointer(), ldb: inputSize,
             beta: 0, c: inputGradientBuffer.pointer(row: rows.lowerBound), ldc: inputSize)
    }

    /// dL/dW = dzᵀ · x for a batch with input `x` and output gradient `dz`, shaped like `weight`
    /// (a new matrix).
    public func weightGradient(input x: Matrix, outputGradient dz: Matrix) -> Matrix {
        let gradient = Matrix(rows: outputSize, columns: inputSize)
        gemm(.transposed, .normal, m: outputSize, n: inputSize, k: x.rows,
             a: dz.pointer(), lda: outputSize, b: x.pointer(), ldb: inputSize,
             beta: 0, c: gradient.pointer(), ldc: inputSize)
        return gradient
    }

    public func parameterGradients(input x: Matrix, outputGradient dz: Matrix) -> [Matrix] {
        let weight = weightGradient(input: x, outputGradient: dz)
        return hasBias ? [weight, biasGradient(outputGradient: dz)] : [weight]
    }

    /// dL/db = Σ_rows dz, shaped like `bias` (a new matrix).
    public func biasGradient(outputGradient dz: Matrix) -> Matrix {
        let gradient = Matrix(rows: 1, columns: outputSize)
        columnSums(of: dz, columns: 0..<outputSize, into: gradient.pointer())
        return gradient
    }
}
