// What an optimizer remembers about one layer's parameters from step to step.

/// An optimizer's memory for one layer: the update rule in force, how many steps it has taken,
/// its per-parameter buffers (momentum, or Adam's two moments) and a gradient buffer.
///
/// Plain SGD needs none of the buffers; they are allocated the first time an optimizer that needs
/// them is used, and started afresh when the kind of optimizer changes.
final class OptimizerState {
    /// The rule of the current step (its step size already scheduled).
    private(set) var optimizer = Optimizer.sgd(learningRate: 0)
    /// Steps taken with this kind of optimizer, counting the current one from 1.
    var step = 0
    /// The optimizer's buffers shaped like the weight, and like the bias (`stateCount` of each).
    private(set) var weightBuffers: [Matrix] = []
    private(set) var biasBuffers: [Matrix] = []
    /// dL/dW, for optimizers that need the gradient on its own rather than inside a product.
    private(set) var weightGradient: Matrix?

    private let weightShape: (rows: Int, columns: Int)
    private let biasShape: (rows: Int, columns: Int)
    /// Whether weight decay applies to the weight (never to the bias): not to batch norm's scale.
    private let weightDecays: Bool

    init(weightShape: (Int, Int), biasShape: (Int, Int), weightDecays: Bool = true) {
        self.weightShape = weightShape
        self.biasShape = biasShape
        self.weightDecays = weightDecays
    }

    /// Makes `optimizer` the rule of the coming step and counts the step. Runs on one thread.
    func begin(_ optimizer: Optimizer) {
        if optimizer.name != self.optimizer.name || weightBuffers.count != optimizer.stateCount {
            weightBuffers = (0..<optimizer.stateCount).map { _ in Matrix(rows: weightShape.rows, columns: weightShape.columns) }
            biasBuffers = (0..<optimizer.stateCount).map { _ in Matrix(rows: biasShape.rows, columns: biasShape.columns) }
            weightGradient = optimizer.stateCount > 0 ? Matrix(rows: weightShape.rows, columns: weightShape.columns) : nil
            step = 0
        }
        self.optimizer = optimizer
        step += 1
    }

    /// Sets the rule and the step count a saved run had reached, with fresh (zero) buffers for
    /// the caller to fill.
    func restore(optimizer: Optimizer, step: Int) {
        self.optimizer = .sgd(learningRate: 0)
        weightBuffers = []
        begin(optimizer)
        self.step = step
    }

    /// Applies the current step to `count` parameters at `parameter`, which sit at `offset` in
    /// the weight (or, with `ofBias`, in the bias), with gradient `gradient`.
    func apply(to parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, count: Int,
               offset: Int, ofBias: Bool = false) {
        let buffers = ofBias ? biasBuffers : weightBuffers
        optimizer.apply(
            to: parameter, gradient: gradient, count: count,
            first: buffers.first.map { $0.pointer() + offset },
            second: buffers.count > 1 ? buffers[1].pointer() + offset : nil,
            step: step, decays: !ofBias && weightDecays)
    }
}
