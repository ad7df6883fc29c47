// The contract every layer of a Network keeps.

/// One stage of a network: it maps a batch of inputs to a batch of outputs, maps the gradient of
/// the loss with respect to its outputs back to its inputs, and updates its own parameters.
///
/// Shapes are `(batch × inputSize) → (batch × outputSize)`. A layer owns its output and gradient
/// buffers and reuses them from step to step, so the matrices it returns are valid until its next
/// call of the same method. `backward` must follow a `forward` on the same batch.
public protocol Layer: AnyObject {
    /// Features per sample coming in.
    var inputSize: Int { get }
    /// Features per sample going out.
    var outputSize: Int { get }

    /// x: (batch × inputSize) → (batch × outputSize).
    func forward(_ input: Matrix) -> Matrix

    /// dL/dy: (batch × outputSize) → dL/dx: (batch × inputSize), or `nil` when this layer is told
    /// not to compute it (the first layer: nothing upstream learns). The parameter gradients come
    /// from this pass's operands and are applied by `update`; nothing accumulates across steps.
    func backward(_ outputGradient: Matrix) -> Matrix?

    /// Applies the last computed gradients with plain SGD, `parameter -= learningRate · gradient`
    /// (`Linear` also takes any `Optimizer` through `update(using:)`).
    func update(learningRate: Float)
}
