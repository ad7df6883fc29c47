// Batch normalisation (Ioffe and Szegedy 2015), PyTorch's nn.BatchNorm2d after a convolution and
// nn.BatchNorm1d after a linear layer: each channel is normalised by the batch's mean and variance
// while training and by running averages of them at inference, then scaled by γ and shifted by β.
//
// Its sums cross the rows that the step gives each part, so it keeps the contract's batch-statistics
// hooks (Layer.swift): parts add their rows into their own slots, one thread combines the slots in
// part order. Sums are kept in Double, so E[x²] − E[x]² loses nothing that matters at these sizes.

import Foundation

/// Batch normalisation over `channels` channels of `spatial` values each (1 after a linear layer).
///
/// Training: `y = γ·(x − μ)/√(σ² + ε) + β` with μ and σ² (biased) over the batch and the spatial
/// positions, and the running statistics moved by `momentum` toward μ and the unbiased variance.
/// Inference: the running statistics instead. PyTorch's defaults: momentum 0.1, ε 1e-5.
public final class BatchNorm: OptimizedLayer {
    /// Channels (features after a linear layer).
    public let channels: Int
    /// Values per channel in a sample: H·W after a convolution, 1 after a linear layer.
    public let spatial: Int
    /// How far each training batch moves the running statistics.
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// γ: `1 × channels`, starting at 1.
    public let scale: Matrix
    /// β: `1 × channels`, starting at 0.
    public let shift: Matrix
    /// The running mean and (unbiased) variance: `1 × channels` each.
    public let runningMean: Matrix
    public let runningVariance: Matrix
    /// Training batches seen, PyTorch's `num_batches_tracked` (kept so that its strict loading finds it).
    public let batchesTracked: Matrix
    public let output: Matrix
    public var inputGradient: Matrix? { inputGradientBuffer }
    public var inputSize: Int { channels * spatial }
    public var outputSize: Int { channels * spatial }
    public var usesBatchStatistics: Bool { true }

    let optimizerState: OptimizerState
    private let inputGradientBuffer: Matrix
    /// Per part: Σx and Σx² per channel over its rows, then Σdy and Σdy·x̂ (2 · channels Doubles).
    private var slots: UnsafeMutablePointer<Double>
    private var slotParts = 0
    /// The batch's mean and 1/√(σ² + ε), valid while `usesBatch`.
    private let batchMean: Matrix
    private let batchInverseDeviation: Matrix
    /// dL/dγ = Σ dy·x̂ and dL/dβ = Σ dy over the batch, from `combineGradientStatistics`.
    private let scaleGradient: Matrix
    private let shiftGradient: Matrix
    /// Whether the current batch's forward used its own statistics (set when they are combined,
    /// cleared by `prepare`), so that backward knows which formula holds.
    private var usesBatch = false
    /// Values per channel in the current batch: rows · spatial.
    private var batchCount = 0

    /// Batch normalisation of `channels` channels of `spatial` values, with γ = 1, β = 0 and
    /// running statistics of a standard normal.
    public init(channels: Int, spatial: Int = 1, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(channels > 0 && spatial > 0, "batch norm needs channels")
        self.channels = channels
        self.spatial = spatial
        self.momentum = momentum
        self.epsilon = epsilon
        scale = Matrix(rows: 1, columns: channels)
        scale.fill(1)
        shift = Matrix(rows: 1, columns: channels)
        runningMean = Matrix(rows: 1, columns: channels)
        runningVariance = Matrix(rows: 1, columns: channels)
        runningVariance.fill(1)
        batchesTracked = Matrix(rows: 1, columns: 1)
        output = Matrix(rows: 0, columns: channels * spatial)
        inputGradientBuffer = Matrix(rows: 0, columns: channels * spatial)
        batchMean = Matrix(rows: 1, columns: channels)
        batchInverseDeviation = Matrix(rows: 1, columns: channels)
        scaleGradient = Matrix(rows: 1, columns: channels)
        shiftGradient = Matrix(rows: 1, columns: channels)
        optimizerState = OptimizerState(weightShape: (1, channels), biasShape: (1, channels), weightDecays: false)
        slots = .allocate(capacity: 1)
    }

    deinit {
        slots.deallocate()
    }

    public var tensors: [LayerTensor] {
        [LayerTensor(name: "weight", shape: [channels], values: scale),
         LayerTensor(name: "bias", shape: [channels], values: shift),
         LayerTensor(name: "running_mean", shape: [channels], values: runningMean, isLearned: false),
         LayerTensor(name: "running_var", shape: [channels], values: runningVariance, isLearned: false),
         LayerTensor(name: "num_batches_tracked", shape: [], values: batchesTracked, isLearned: false)]
    }

    public func prepare(batchSize: Int, parts: Int) {
        output.resize(rows: batchSize)
        inputGradientBuffer.resize(rows: batchSize)
        if parts > slotParts {
            slots.deallocate()
            slots = .allocate(capacity: parts * 2 * channels)
            slotParts = parts
        }
        usesBatch = false
        batchCount = batchSize * spatial
    }

    // MARK: Forward

    // x[rows] → part's slot: Σx, Σx² per channel
    public func accumulateStatistics(_ x: Matrix, rows: Range<Int>, part: Int) {
        let sums = slots + part * 2 * channels, squares = sums + channels
        sums.update(repeating: 0, count: 2 * channels)
        for row in rows {
            for c in 0..<channels {
                let (sum, square) = Self.sumAndSquares(x.pointer(row: row) + c * spatial, count: spatial)
                sums[c] += Double(sum)
                squares[c] += Double(square)
            }
        }
    }

    // slots → μ, 1/√(σ² + ε); running statistics moved toward μ and the unbiased σ²
    public func combineStatistics(parts: Int) {
        let count = Double(batchCount)
        for c in 0..<channels {
            var sum = 0.0, square = 0.0
            for part in 0..<parts {
                sum += slots[part * 2 * channels + c]
                square += slots[part * 2 * channels + channels + c]
            }
            let mean = sum / count
            let variance = max(square / count - mean * mean, 0)
            batchMean.storage[c] = Float(mean)
            batchInverseDeviation.storage[c] = Float(1 / (variance + Double(epsilon)).squareRoot())
            let unbiased = count > 1 ? variance * count / (count - 1) : variance
            runningMean.storage[c] = (1 - momentum) * runningMean.storage[c] + momentum * Float(mean)
            runningVariance.storage[c] = (1 - momentum) * runningVariance.storage[c] + momentum * Float(unbiased)
        }
        batchesTracked.storage[0] += 1
        usesBatch = true
    }

    // x[rows] → y[rows] = a·x + b per channel, a = γ/√(σ² + ε), b = β − a·μ
    public func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {
        for row in rows {
            for c in 0..<channels {
                let (a, b) = coefficients(channel: c)
                let values = x.pointer(row: row) + c * spatial, y = output.pointer(row: row) + c * spatial
                for i in 0..<spatial { y[i] = a * values[i] + b }
            }
        }
    }

    /// The channel's affine map: from the batch's statistics after they were combined, else from
    /// the running ones.
    @inline(__always)
    private func coefficients(channel c: Int) -> (Float, Float) {
        let (mean, inverseDeviation) = usesBatch
            ? (batchMean.storage[c], batchInverseDeviation.storage[c])
            : (runningMean.storage[c], 1 / (runningVariance.storage[c] + epsilon).squareRoot())
        let a = scale.storage[c] * inverseDeviation
        return (a, shift.storage[c] - a * mean)
    }

    // MARK: Backward

    // dy[rows], x[rows] → part's slot: Σdy, Σdy·x̂ per channel
    public func accumulateGradientStatistics(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        guard usesBatch else { return }
        let sums = slots + part * 2 * channels, products = sums + channels
        sums.update(repeating: 0, count: 2 * channels)
        for row in rows {
            for c in 0..<channels {
                let (sum, product) = Self.sumAndProducts(
                    dy.pointer(row: row) + c * spatial, x.pointer(row: row) + c * spatial, count: spatial,
                    mean: batchMean.storage[c], inverseDeviation: batchInverseDeviation.storage[c])
                sums[c] += Double(sum)
                products[c] += Double(product)
            }
        }
    }

    // slots → dL/dβ = Σdy, dL/dγ = Σdy·x̂
    public func combineGradientStatistics(parts: Int) {
        guard usesBatch else { return }
        for c in 0..<channels {
            var sum = 0.0, product = 0.0
            for part in 0..<parts {
                sum += slots[part * 2 * channels + c]
                product += slots[part * 2 * channels + channels + c]
            }
            shiftGradient.storage[c] = Float(sum)
            scaleGradient.storage[c] = Float(product)
        }
    }

    // dL/dy[rows] → dL/dx[rows] = γ/√(σ²+ε) · (dy − Σdy/M − x̂·Σdy·x̂/M) over the batch's M values
    // per channel; after an inference forward, simply γ/√(σ²+ε) · dy with the running σ².
    public func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        let count = Float(max(batchCount, 1))
        for row in rows {
            for c in 0..<channels {
                let values = x.pointer(row: row) + c * spatial, gradient = dy.pointer(row: row) + c * spatial
                let dx = inputGradientBuffer.pointer(row: row) + c * spatial
                guard usesBatch else {
                    let a = scale.storage[c] / (runningVariance.storage[c] + epsilon).squareRoot()
                    for i in 0..<spatial { dx[i] = a * gradient[i] }
                    continue
                }
                let (mean, inverseDeviation) = (batchMean.storage[c], batchInverseDeviation.storage[c])
                let a = scale.storage[c] * inverseDeviation
                let meanGradient = shiftGradient.storage[c] / count
                let meanProduct = scaleGradient.storage[c] / count
                for i in 0..<spatial {
                    let normalized = (values[i] - mean) * inverseDeviation
                    dx[i] = a * (gradient[i] - meanGradient - normalized * meanProduct)
                }
            }
        }
    }

    // MARK: Sums over a channel's values in one sample

    // Eight running sums, one per lane, added across at the end: the adds do not wait on each
    // other as one Float's would, so a channel's values go by at vector speed.
    private typealias Sums = SIMD8<Float>

    /// Σx and Σx² of `count` values.
    @inline(__always)
    private static func sumAndSquares(_ values: UnsafePointer<Float>, count: Int) -> (Float, Float) {
        var (sums, squares) = (Sums(), Sums())
        var i = 0
        while i + Sums.scalarCount <= count {
            let x = UnsafeRawPointer(values + i).loadUnaligned(as: Sums.self)
            sums += x
            squares += x * x
            i += Sums.scalarCount
        }
        var (sum, square) = (sums.sum(), squares.sum())
        while i < count {
            sum += values[i]
            square += values[i] * values[i]
            i += 1
        }
        return (sum, square)
    }

    /// Σdy and Σdy·x̂ of `count` values, x̂ = (x − mean)·inverseDeviation.
    @inline(__always)
    private static func sumAndProducts(_ gradient: UnsafePointer<Float>, _ values: UnsafePointer<Float>, count: Int,
                                       mean: Float, inverseDeviation: Float) -> (Float, Float) {
        var (sums, products) = (Sums(), Sums())
        var i = 0
        while i + Sums.scalarCount <= count {
            let dy = UnsafeRawPointer(gradient + i).loadUnaligned(as: Sums.self)
            let x = UnsafeRawPointer(values + i).loadUnaligned(as: Sums.self)
            sums += dy
            products += dy * ((x - mean) * inverseDeviation)
            i += Sums.scalarCount
        }
        var (sum, product) = (sums.sum(), products.sum())
        while i < count {
            sum += gradient[i]
            product += gradient[i] * ((values[i] - mean) * inverseDeviation)
            i += 1
        }
        return (sum, product)
    }

    // MARK: Parameters

    public func parameterGradients(input x: Matrix, outputGradient: Matrix) -> [Matrix] {
        [scaleGradient.copy(), shiftGradient.copy()]
    }

    public func prepareUpdate(using optimizer: Optimizer) {
        optimizerState.begin(optimizer)
    }

    // γ and β of this part's channels, with the gradients combined after backward
    public func update(input x: Matrix, outputGradient: Matrix, part: Int, of parts: Int) {
        let range = share(of: channels, part: part, parts: parts)
        guard usesBatch, !range.isEmpty else { return }
        let start = range.lowerBound
        optimizerState.apply(to: scale.pointer() + start, gradient: scaleGradient.pointer() + start,
                             count: range.count, offset: start)
        optimizerState.apply(to: shift.pointer() + start, gradient: shiftGradient.pointer() + start,
                             count: range.count, offset: start, ofBias: true)
    }
}
