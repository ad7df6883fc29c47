// A 2-D convolution, PyTorch's nn.Conv2d: each of the output channels is a k×k×C window of
// weights slid over the input with a stride and zero padding. Computed two ways:
// - unfolded, as darknet does: each sample's windows become columns (im2col), then one product
//   with the weights. Any size, any batch.
// - by Winograd's minimal filtering (WinogradConvolution.swift), for stride 1, kernels of 2 to 5
//   and 8 or more input channels, when every part of the batch has a lane group of 8 rows: a
//   5×5 filter then costs 64 products per 16 outputs instead of 400. The two paths agree within
//   1e-4 of the largest value (WinogradTests); which one a batch takes depends only on its size
//   and part count, so a seed and thread count still give the same bits.

/// A 2-D convolution over C×H×W samples: `y[o] = b[o] + Σ_c W[o, c] ⋆ x[c]`.
///
/// The weight is stored `out × (in·k·k)`, which is PyTorch's `[out, in, kh, kw]` read row-major,
/// so a model file holds it as is. Forward and backward run on each part's rows, sample by sample
/// (unfolded) or eight at a time (Winograd), in that part's own scratch; the weight gradient is
/// summed in each part's own slot during backward and the slots are added in part order by
/// `update` (Conv2d+Update.swift).
public final class Conv2d: OptimizedLayer, InputGradientSwitch {
    /// The shape of one input sample.
    public let inputShape: ImageShape
    /// The shape of one output sample.
    public let outputShape: ImageShape
    /// The side of the square window.
    public let kernel: Int
    /// The step between windows, in pixels.
    public let stride: Int
    /// Zeros added on each side of the input.
    public let padding: Int
    /// Whether there is a bias (a convolution followed by batch norm needs none).
    public let hasBias: Bool
    /// W: `out × (in·k·k)`.
    public let weight: Matrix
    /// b: `1 × out` (all zero, and untouched, without a bias).
    public let bias: Matrix
    /// Whether `backward` computes dL/dx. False for a network's first layer.
    public internal(set) var computesInputGradient: Bool
    public let output: Matrix
    public var inputGradient: Matrix? { computesInputGradient ? inputGradientBuffer : nil }
    public var inputSize: Int { inputShape.count }
    public var outputSize: Int { outputShape.count }
    public var workPerSample: Int { outputShape.count * geometry.patchSize }

    let geometry: ConvolutionGeometry
    let optimizerState: OptimizerState
    /// The Winograd path, for sizes where it pays (`WinogradConvolution.applies`).
    let winograd: WinogradConvolution?
    /// Whether the current batch goes through `winograd`: it does when every part has at least
    /// a lane group's worth of rows (`winogradRowsPerPart`). The choice depends only on the batch
    /// size and part count, so a seed and thread count still give the same bits.
    private(set) var usesWinograd = false
    /// Rows per part from which a batch takes the Winograd path.
    static let winogradRowsPerPart = 8
    private let inputGradientBuffer: Matrix
    /// Per part: the unfolded windows of the sample in hand, `(in·k·k) × (H'·W')`.
    private var patches: [Matrix] = []
    /// Per part: their gradient, for the input gradient.
    private var patchGradients: [Matrix] = []
    /// Per part: the part's share of dL/dW and dL/db, summed over its rows in `backward`.
    var weightGradientSlots: [Matrix] = []
    var biasGradientSlots: [Matrix] = []
    /// The parts the current batch is split into.
    private(set) var partCount = 1
    /// dL/dW and dL/db for the whole batch, added up from the slots by `update`.
    let weightGradient: Matrix
    let biasGradient: Matrix

    /// A convolution with zero weights; see `initializeHe(using:)`.
    /// - Parameters:
    ///   - input: the shape of one input sample.
    ///   - outputChannels: how many output channels (filters).
    ///   - kernel: the side of the square window.
    ///   - stride: the step between windows.
    ///   - padding: zeros on each side (`kernel / 2` keeps the size at stride 1).
    public init(input: ImageShape, outputChannels: Int, kernel: Int, stride: Int = 1, padding: Int,
                bias hasBias: Bool = true, computesInputGradient: Bool = true) {
        let geometry = ConvolutionGeometry(input: input, kernel: kernel, stride: stride, padding: padding)
        precondition(outputChannels > 0 && kernel > 0 && stride > 0 && padding >= 0, "a convolution's sizes are positive")
        precondition(geometry.outputHeight > 0 && geometry.outputWidth > 0, "the window does not fit the input")
        self.geometry = geometry
        inputShape = input
        outputShape = ImageShape(channels: outputChannels, height: geometry.outputHeight, width: geometry.outputWidth)
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.hasBias = hasBias
        self.computesInputGradient = computesInputGradient
        weight = Matrix(rows: outputChannels, columns: geometry.patchSize)
        bias = Matrix(rows: 1, columns: outputChannels)
        weightGradient = Matrix(rows: outputChannels, columns: geometry.patchSize)
        biasGradient = Matrix(rows: 1, columns: outputChannels)
        output = Matrix(rows: 0, columns: outputShape.count)
        inputGradientBuffer = Matrix(rows: 0, columns: input.count)
        optimizerState = OptimizerState(weightShape: (outputChannels, geometry.patchSize), biasShape: (1, outputChannels))
        winograd = WinogradConvolution.applies(input: input, kernel: kernel, stride: stride, padding: padding)
            ? WinogradConvolution(input: input, output: outputShape, kernel: kernel, padding: padding) : nil
    }

    /// He initialisation for a ReLU network: W ~ N(0, 2 / (in·k·k)), b = 0.
    public func initializeHe(using generator: inout SeededGenerator) {
        let standardDeviation = (2.0 / Double(geometry.patchSize)).squareRoot()
        for i in 0..<weight.count {
            weight.storage[i] = Float(generator.nextGaussian() * standardDeviation)
        }
        bias.fill(0)
    }

    public var tensors: [LayerTensor] {
        let weightTensor = LayerTensor(
            name: "weight", shape: [outputShape.channels, inputShape.channels, kernel, kernel], values: weight)
        return hasBias ? [weightTensor, LayerTensor(name: "bias", shape: [outputShape.channels], values: bias)] : [weightTensor]
    }

    public func prepare(batchSize: Int, parts: Int) {
        output.resize(rows: batchSize)
        if computesInputGradient { inputGradientBuffer.resize(rows: batchSize) }
        while computesInputGradient && patchGradients.count < parts {
            patchGradients.append(Matrix(rows: geometry.patchSize, columns: geometry.outputPlane))
        }
        while patches.count < parts {
            patches.append(Matrix(rows: geometry.patchSize, columns: geometry.outputPlane))
            weightGradientSlots.append(Matrix(rows: weight.rows, columns: weight.columns))
            biasGradientSlots.append(Matrix(rows: 1, columns: bias.columns))
        }
        partCount = parts
        usesWinograd = winograd != nil && batchSize >= Self.winogradRowsPerPart * parts
        if usesWinograd, let winograd {
            winograd.prepare(parts: parts)
            winograd.transformFilters(weight)
        }
    }

    // x[rows]: rows × (C·H·W) → y[rows]: rows × (C'·H'·W'); per sample y = W · im2col(x) + b
    public func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {
        let (channels, plane, patch) = (outputShape.channels, geometry.outputPlane, geometry.patchSize)
        if usesWinograd, let winograd {
            winograd.forward(x, rows: rows, part: part, keepsTransforms: mode.isTraining, into: output)
            guard hasBias else { return }
            for row in rows {
                let y = output.pointer(row: row)
                for c in 0..<channels {
                    let channel = y + c * plane, value = bias.storage[c]
                    for i in 0..<plane { channel[i] += value }
                }
            }
            return
        }
        for row in rows {
            let y = output.pointer(row: row)
            let columns = unfold(x, row: row, part: part)
            if hasBias {
                for c in 0..<channels { (y + c * plane).update(repeating: bias.storage[c], count: plane) }
            }
            // (C' × C·k·k) · (C·k·k × H'·W') → (C' × H'·W')
            sgemm(.normal, .normal, m: channels, n: plane, k: patch, alpha: 1, a: weight.pointer(), lda: patch,
                 b: columns, ldb: plane, beta: hasBias ? 1 : 0, c: y, ldc: plane)
        }
    }

    // dL/dy[rows] → dL/dx[rows] = col2im(Wᵀ · dy); this part's dL/dW += dy · im2col(x)ᵀ, dL/db += Σ dy
    public func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        let (channels, plane, patch) = (outputShape.channels, geometry.outputPlane, geometry.patchSize)
        let dW = weightGradientSlots[part], db = biasGradientSlots[part]
        dW.fill(0)
        db.fill(0)
        if hasBias {
            for row in rows {
                let gradient = dy.pointer(row: row)
                for c in 0..<channels {
                    let channel = gradient + c * plane
                    var sum: Float = 0
                    for i in 0..<plane { sum += channel[i] }
                    db.storage[c] += sum
                }
            }
        }
        if usesWinograd, let winograd {
            winograd.backward(dy, input: x, rows: rows, part: part, inputGradient: computesInputGradient ? inputGradientBuffer : nil)
            return
        }
        for row in rows {
            let gradient = dy.pointer(row: row)
            let columns = unfold(x, row: row, part: part)
            // (C' × H'·W') · (H'·W' × C·k·k), added to the slot
            sgemm(.normal, .transposed, m: channels, n: patch, k: plane, alpha: 1, a: gradient, lda: plane,
                 b: columns, ldb: plane, beta: 1, c: dW.pointer(), ldc: patch)
            guard computesInputGradient else { continue }
            let patchGradient = patchGradients[part].pointer()
            // (C·k·k × C') · (C' × H'·W') → (C·k·k × H'·W')
            sgemm(.transposed, .normal, m: patch, n: plane, k: channels, alpha: 1, a: weight.pointer(), lda: patch,
                 b: gradient, ldb: plane, beta: 0, c: patchGradient, ldc: plane)
            geometry.col2im(patchGradient, into: inputGradientBuffer.pointer(row: row))
        }
    }

    /// Sample `row`'s windows as `(C·k·k) × (H'·W')` columns: the input itself for a 1×1 kernel,
    /// else unfolded into part `part`'s scratch.
    private func unfold(_ x: Matrix, row: Int, part: Int) -> UnsafePointer<Float> {
        if geometry.unfoldsToInput { return UnsafePointer(x.pointer(row: row)) }
        let columns = patches[part].pointer()
        geometry.im2col(x.pointer(row: row), into: columns)
        return UnsafePointer(columns)
    }

    public func parameterGradients(input x: Matrix, outputGradient: Matrix) -> [Matrix] {
        let dW = Matrix(rows: weight.rows, columns: weight.columns)
        let db = Matrix(rows: 1, columns: bias.columns)
        for part in 0..<partCount {
            for i in 0..<db.count { db.storage[i] += biasGradientSlots[part].storage[i] }
        }
        if usesWinograd, let winograd {
            winograd.filterGradient(pairs: 0..<winograd.pairs, partCount: partCount, part: 0, into: dW.pointer())
        } else {
            for part in 0..<partCount {
                for i in 0..<dW.count { dW.storage[i] += weightGradientSlots[part].storage[i] }
            }
        }
        return hasBias ? [dW, db] : [dW]
    }
}
