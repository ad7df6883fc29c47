// Saliency: which inputs push one class's score up or down. For an MLP the gradient of a logit
// with respect to the input is exact and cheap: a forward pass that remembers which ReLUs were
// open, then the transposed weights applied from that class's row back to the input
// (Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks", 2014, §3).
//
// It uses only the public parameters (`linearLayers`' weights and biases) and its own buffers, so
// it never touches the workspaces that `forward` and training reuse.

import CBLAS

extension Network {
    /// The gradient of class `classIndex`'s score (its logit, before the softmax) with respect to
    /// each of the `inputSize` inputs of one sample.
    ///
    /// A positive value means that more of that input would raise the class's score; a negative
    /// one that it would lower it. The gradient is exact for this network, whose only
    /// non-linearity is ReLU between the Linear layers.
    /// - Parameters:
    ///   - input: one sample, `inputSize` values (for MNIST: pixel levels / 255, row-major).
    ///   - classIndex: the class whose score is differentiated, `0..<classCount`.
    /// - Returns: `inputSize` values, in the order of `input`.
    public func saliency(of input: [Float], classIndex: Int) -> [Float] {
        precondition(input.count == inputSize, "the network takes \(inputSize) inputs, got \(input.count)")
        precondition((0..<classCount).contains(classIndex), "class \(classIndex) is not in 0..<\(classCount)")

        // Forward, one sample: z = W·a + b for each layer (W is out × in, row-major), a = max(z, 0)
        // between layers. Only whether each hidden unit was open matters for the gradient.
        var open: [[Bool]] = []
        var activation = input
        for (index, layer) in linearLayers.enumerated() where index < linearLayers.count - 1 {
            var z = layer.bias.elements
            matrixVector(layer.weight, transposed: false, activation, into: &z)
            open.append(z.map { $0 > 0 })
            activation = z.map { max($0, 0) }
        }

        // Backward from the one-hot gradient of the chosen logit: g ← Wᵀ·g, masked by each ReLU.
        var gradient = [Float](repeating: 0, count: classCount)
        gradient[classIndex] = 1
        for (index, layer) in linearLayers.enumerated().reversed() {
            var previous = [Float](repeating: 0, count: layer.inputSize)
            matrixVector(layer.weight, transposed: true, gradient, into: &previous)
            if index > 0 {
                for unit in previous.indices where !open[index - 1][unit] { previous[unit] = 0 }
            }
            gradient = previous
        }
        return gradient
    }
}

/// `y += op(W)·x` for a row-major matrix `W`, with `op` the identity or the transpose.
private func matrixVector(_ weight: Matrix, transposed: Bool, _ x: [Float], into y: inout [Float]) {
    precondition(x.count == (transposed ? weight.rows : weight.columns), "vector does not fit the matrix")
    precondition(y.count == (transposed ? weight.columns : weight.rows), "result does not fit the matrix")
    cblas_sgemv(
        CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(weight.rows), Int32(weight.columns),
        1, weight.pointer(), Int32(weight.columns), x, 1, 1, &y, 1)
}
