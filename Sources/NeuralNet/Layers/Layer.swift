// The contract every layer of a Network keeps: forward, backward and update, each over a part of
// the batch so that a step can be split across cores without the layers knowing about threads.

/// One stage of a network: it maps a batch of inputs to a batch of outputs, maps the gradient of
/// the loss with respect to its outputs back to its inputs, and updates its own parameters.
///
/// Shapes are `(batch × inputSize) → (batch × outputSize)`. A layer owns its output and gradient
/// buffers and reuses them from step to step (`prepare(batchSize:)` sizes them), so a training
/// step allocates nothing. Every operand a method reads is passed to it; a layer remembers only
/// what it computed itself.
///
/// The requirements work on a range of rows (samples) or a part of the parameters, because
/// `Network` runs each core over its own rows and then splits the updates. The whole-batch
/// `forward(_:)`, `backward(_:input:)` and `update(input:outputGradient:using:)` of the extension
/// below are the same calls over everything.
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

    /// Sizes `output` and `inputGradient` for batches of `batchSize` rows, allocating only when
    /// the batch grows.
    func prepare(batchSize: Int)

    /// x[rows]: (rows × inputSize) → y[rows]: (rows × outputSize). Rows are independent.
    func forward(_ x: Matrix, rows: Range<Int>, mode: ForwardMode)

    /// dL/dy[rows] → dL/dx[rows], for the rows of the last `forward` of `x`.
    func backward(_ outputGradient: Matrix, input x: Matrix, rows: Range<Int>)

    /// Gets ready to apply the coming update with `optimizer` (allocating its state on first
    /// use). Runs on one thread before the parallel `update`.
    func prepareUpdate(using optimizer: Optimizer)

    /// Part `part` of `parts` of the parameter update, from the whole batch's input `x` and
    /// output gradient. Parts touch disjoint parameters, so they run side by side.
    func update(input x: Matrix, outputGradient: Matrix, part: Int, of parts: Int)
}

/// Whether a forward pass is part of training (where dropout drops) or of inference.
public enum ForwardMode: Sendable, Equatable {
    /// Predictions: every stochastic layer is the identity.
    case inference
    /// A training step. `seed` is the step's own; a stochastic layer derives each row's random
    /// choices from it and the row's index, so they do not depend on how rows are split.
    case training(seed: UInt64)
}

extension Layer {
    /// A layer without parameters has nothing to get ready.
    public func prepareUpdate(using optimizer: Optimizer) {}

    /// A layer without parameters has nothing to update.
    public func update(input x: Matrix, outputGradient: Matrix, part: Int, of parts: Int) {}

    // x: (batch × inputSize) → y: (batch × outputSize)
    /// The whole batch forward; returns `output` (valid until the next forward).
    @discardableResult
    public func forward(_ x: Matrix, mode: ForwardMode = .inference) -> Matrix {
        precondition(x.columns == inputSize, "the layer takes \(inputSize) features, got \(x.columns)")
        prepare(batchSize: x.rows)
        forward(x, rows: 0..<x.rows, mode: mode)
        return output
    }

    // dL/dy: (batch × outputSize) → dL/dx: (batch × inputSize)
    /// The whole batch backward after `forward(x)`; returns `inputGradient`.
    @discardableResult
    public func backward(_ outputGradient: Matrix, input x: Matrix) -> Matrix? {
        precondition(outputGradient.rows == x.rows && outputGradient.columns == outputSize,
                     "the gradient's shape does not match the last forward")
        backward(outputGradient, input: x, rows: 0..<x.rows)
        return inputGradient
    }

    /// Applies the gradients of the last backward (input `x`, output gradient `outputGradient`)
    /// with `optimizer`, in one part.
    public func update(input x: Matrix, outputGradient: Matrix, using optimizer: Optimizer) {
        prepareUpdate(using: optimizer)
        update(input: x, outputGradient: outputGradient, part: 0, of: 1)
    }
}
