// Saliency: which inputs push one class's score up or down. For an MLP the gradient of a logit
// with respect to the input is exact and cheap: the forward pass leaves each ReLU's output, which
// says whether it was open, then the transposed weights are applied from that class's row back to
// the input (Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks", 2014, §3).
//
// The forward pass is the network's own (`probabilities`), so one pass gives both the
// probabilities and the saliency of the predicted class. Like every forward pass it uses the
// network's reused buffers: one call at a time per network.

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
        precondition((0..<classCount).contains(classIndex), "class \(classIndex) is not in 0..<\(classCount)")
        _ = probabilities(Matrix([checked(input)]))
        return saliencyOfLastForward(classIndex: classIndex)
    }

    /// One sample's class probabilities, the most likely class, and that class's saliency
    /// (`saliency(of:classIndex:)`), from a single forward pass.
    /// - Parameter input: one sample, `inputSize` values.
    /// - Returns: `classCount` probabilities (equal to `probabilities(_:)`'s row), the index of
    ///   the largest (the first on a tie), and `inputSize` gradient values.
    public func probabilitiesAndSaliency(of input: [Float]) -> (probabilities: [Float], classIndex: Int, saliency: [Float]) {
        let probabilities = probabilities(Matrix([checked(input)]))
        let classIndex = probabilities.argmaxPerRow()[0]
        return (probabilities.row(0), classIndex, saliencyOfLastForward(classIndex: classIndex))
    }

    private func checked(_ input: [Float]) -> [Float] {
        precondition(input.count == inputSize, "the network takes \(inputSize) inputs, got \(input.count)")
        return input
    }

    /// Backward from the one-hot gradient of the chosen logit through the layers of the last
    /// one-sample forward pass: g ← Wᵀ·g across a Linear layer, masked where a ReLU was closed,
    /// unchanged across dropout (the identity in inference).
    private func saliencyOfLastForward(classIndex: Int) -> [Float] {
        var gradient = [Float](repeating: 0, count: classCount)
        gradient[classIndex] = 1
        for layer in layers.reversed() {
            switch layer {
            case let linear as Linear:
                var previous = [Float](repeating: 0, count: linear.inputSize)
                matrixVector(linear.weight, transposed: true, gradient, into: &previous)
                gradient = previous
            case let relu as ReLU:
                let output = relu.output.pointer(row: 0)
                for unit in gradient.indices where output[unit] <= 0 { gradient[unit] = 0 }
            case is Dropout:
                break
            default:
                preconditionFailure("saliency knows Linear, ReLU and Dropout layers, not \(type(of: layer))")
            }
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
