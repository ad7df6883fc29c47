// The contract every layer of a Network keeps: forward, backward and update, each over a part of
// the batch so that a step can be split across cores without the layers knowing about threads.
//
// Batch statistics. Most layers treat rows (samples) independently, so each core can push its own
// rows from the input to the loss and back in one go. Batch normalisation cannot: a row's output
// depends on the mean and variance of the whole batch, and its input gradient on two sums over the
// whole batch. We chose region boundaries over barriers inside a region: a layer that needs batch
// sums says so (`usesBatchStatistics`), and the step ends its parallel region just before it. In
// that region every part has added its rows into its own slot (`accumulateStatistics`); between the
// regions one thread combines the slots in part order (`combineStatistics`); the next region
// starts with the layer's `forward`. Backward is the mirror image. Why regions: the step already
// hands work to the pool in regions, a region boundary is a join that every part reaches without
// spinning on a counter in the middle of a layer, and adding the slots in a fixed order on one
// thread makes the sums, and so the model, the same bits for a given number of parts, however the
// parts were scheduled. A barrier inside the region would save one hand-off per batch-norm layer
// (about a microsecond) at the price of layers that know about threads.
//
// Per-part scratch. A layer may need working memory for each part running at once (a
// convolution's unfolded patches) or a slot per part for partial sums (its weight gradient). The
// step tells each layer how many parts it splits a batch into (`prepare(batchSize:parts:)`) and
// passes the part's index to `forward` and `backward`.

/// One stage of a network: it maps a batch of inputs to a batch of outputs, maps the gradient of
/// the loss with respect to its outputs back to its inputs, and updates its own parameters.
///
/// Shapes are `(batch × inputSize) → (batch × outputSize)`; an image is one row laid out
/// channel by channel, each channel row by row (C×H×W, PyTorch's order), so flattening it needs
/// no copy. A layer owns its output and gradient buffers and reuses them from step to step
/// (`prepare(batchSize:parts:)` sizes them), so a training step allocates nothing. Every operand a
/// method reads is passed to it; a layer remembers only what it computed itself.
///
/// The requirements work on a range of rows or a part of the parameters, because `Network` runs
/// each core over its own rows and then splits the updates. The whole-batch `forward(_:mode:)`,
/// `backward(_:input:)` and `update(input:outputGradient:using:)` of the extension below are the
/// same calls over everything.
public protocol Layer: AnyObject {
    /// Features per sample coming in.
    var inputSize: Int { get }
    /// Features per sample going out.
    var outputSize: Int { get }
    /// y: `(batch × outputSize)`, filled row by row by `forward`.
    var output: Matrix { get }
    /// dL/dx: `(batch × inputSize)`, filled row by row by `backward`; nil for a layer that
    /// computes none (a network's first layer: nothing upstream learns).
    var inputGradient: Matrix? { get }
    /// Multiply-adds (or element operations) of one sample's forward pass: how much a batch's
    /// work is worth splitting.
    var workPerSample: Int { get }

    /// Sizes `output`, `inputGradient` and any per-part scratch for batches of `batchSize` rows
    /// split into `parts` parts, allocating only when the batch or the part count grows.
    func prepare(batchSize: Int, parts: Int)

    /// x[rows]: (rows × inputSize) → y[rows]: (rows × outputSize), as part `part` of the batch.
    func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode)

    /// dL/dy[rows] → dL/dx[rows], for the rows of the last `forward` of `x`. A layer whose
    /// parameter gradient needs its input (a convolution) adds part `part`'s share into its own
    /// slot here; every part's `backward` runs once per step, even over no rows.
    func backward(_ outputGradient: Matrix, input x: Matrix, rows: Range<Int>, part: Int)

    // MARK: Batch statistics (batch normalisation); the defaults do nothing.

    /// Whether a training forward needs sums over the whole batch before any row's output (and
    /// backward, before any row's input gradient). The step then ends its region before the layer.
    var usesBatchStatistics: Bool { get }
    /// Adds x[rows]'s contribution to the batch statistics into part `part`'s slot.
    func accumulateStatistics(_ x: Matrix, rows: Range<Int>, part: Int)
    /// Combines the slots of parts `0..<parts`, in that order, on one thread.
    func combineStatistics(parts: Int)
    /// Adds rows' contribution to the sums the input gradient needs into part `part`'s slot.
    func accumulateGradientStatistics(_ outputGradient: Matrix, input x: Matrix, rows: Range<Int>, part: Int)
    /// Combines the gradient slots of parts `0..<parts`, in that order, on one thread.
    func combineGradientStatistics(parts: Int)

    // MARK: Parameters; the defaults suit a layer without any.

    /// Gets ready to apply the coming update with `optimizer` (allocating its state on first
    /// use). Runs on one thread before the parallel `update`.
    func prepareUpdate(using optimizer: Optimizer)

    /// Part `part` of `parts` of the parameter update, from the whole batch's input `x` and
    /// output gradient. Parts touch disjoint parameters, so they run side by side.
    func update(input x: Matrix, outputGradient: Matrix, part: Int, of parts: Int)
}

/// Whether a forward pass is part of training (where dropout drops and batch norm uses the
/// batch's statistics) or of inference.
public enum ForwardMode: Sendable, Equatable {
    /// Predictions: every stochastic layer is the identity, batch norm uses running statistics.
    case inference
    /// A training step. `seed` is the step's own; a stochastic layer derives each row's random
    /// choices from it and the row's index, so they do not depend on how rows are split.
    case training(seed: UInt64)

    /// Whether this is a training pass.
    public var isTraining: Bool {
        if case .training = self { return true }
        return false
    }
}

extension Layer {
    /// An element-wise layer's cost: one operation per feature.
    public var workPerSample: Int { inputSize }

    public var usesBatchStatistics: Bool { false }
    public func accumulateStatistics(_ x: Matrix, rows: Range<Int>, part: Int) {}
    public func combineStatistics(parts: Int) {}
    public func accumulateGradientStatistics(_ outputGradient: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {}
    public func combineGradientStatistics(parts: Int) {}

    /// A layer without parameters has nothing to get ready.
    public func prepareUpdate(using optimizer: Optimizer) {}

    /// A layer without parameters has nothing to update.
    public func update(input x: Matrix, outputGradient: Matrix, part: Int, of parts: Int) {}

    // x: (batch × inputSize) → y: (batch × outputSize)
    /// The whole batch forward, in one part; returns `output` (valid until the next forward).
    @discardableResult
    public func forward(_ x: Matrix, mode: ForwardMode = .inference) -> Matrix {
        precondition(x.columns == inputSize, "the layer takes \(inputSize) features, got \(x.columns)")
        prepare(batchSize: x.rows, parts: 1)
        let rows = 0..<x.rows
        if usesBatchStatistics && mode.isTraining {
            accumulateStatistics(x, rows: rows, part: 0)
            combineStatistics(parts: 1)
        }
        forward(x, rows: rows, part: 0, mode: mode)
        return output
    }

    // dL/dy: (batch × outputSize) → dL/dx: (batch × inputSize)
    /// The whole batch backward after `forward(x)`, in one part; returns `inputGradient`.
    @discardableResult
    public func backward(_ outputGradient: Matrix, input x: Matrix) -> Matrix? {
        precondition(outputGradient.rows == x.rows && outputGradient.columns == outputSize,
                     "the gradient's shape does not match the last forward")
        let rows = 0..<x.rows
        if usesBatchStatistics {
            accumulateGradientStatistics(outputGradient, input: x, rows: rows, part: 0)
            combineGradientStatistics(parts: 1)
        }
        backward(outputGradient, input: x, rows: rows, part: 0)
        return inputGradient
    }

    /// Applies the gradients of the last backward (input `x`, output gradient `outputGradient`)
    /// with `optimizer`, in one part.
    public func update(input x: Matrix, outputGradient: Matrix, using optimizer: Optimizer) {
        prepareUpdate(using: optimizer)
        update(input: x, outputGradient: outputGradient, part: 0, of: 1)
    }
}
