// Saliency: which inputs push one class's score up or down (Simonyan, Vedaldi and Zisserman,
// "Deep Inside Convolutional Networks", 2014, §3): the gradient of that class's logit with respect
// to the input, exact for any network of these layers. It is the step's own backward in inference
// mode (batch norm with its running statistics), started from the one-hot gradient of the logit
// instead of the loss's, with the first layer asked for the input gradient it usually skips.

extension Network {
    /// The gradient of class `classIndex`'s score (its logit, before the softmax) with respect to
    /// each of the `inputSize` inputs of one sample.
    ///
    /// A positive value means that more of that input would raise the class's score; a negative
    /// one that it would lower it. Uses the network's workspaces, like `forward`.
    /// - Parameters:
    ///   - input: one sample, `inputSize` values (for MNIST: pixel levels / 255, row-major).
    ///   - classIndex: the class whose score is differentiated, `0..<classCount`.
    /// - Returns: `inputSize` values, in the order of `input`.
    public func saliency(of input: [Float], classIndex: Int) -> [Float] {
        precondition((0..<classCount).contains(classIndex), "class \(classIndex) is not in 0..<\(classCount)")
        _ = probabilities(Matrix([checked(input)]))
        return inputGradient(ofLogit: classIndex)
    }

    /// One sample's class probabilities, the most likely class, and that class's saliency
    /// (`saliency(of:classIndex:)`), from a single forward pass and one backward pass.
    /// - Parameter input: one sample, `inputSize` values.
    /// - Returns: `classCount` probabilities (equal to `probabilities(_:)`'s row), the index of
    ///   the largest (the first on a tie), and `inputSize` gradient values.
    public func probabilitiesAndSaliency(of input: [Float]) -> (probabilities: [Float], classIndex: Int, saliency: [Float]) {
        let probabilities = probabilities(Matrix([checked(input)]))
        let classIndex = probabilities.argmaxPerRow()[0]
        return (probabilities.row(0), classIndex, inputGradient(ofLogit: classIndex))
    }

    private func checked(_ input: [Float]) -> [Float] {
        precondition(input.count == inputSize, "the network takes \(inputSize) inputs, got \(input.count)")
        return input
    }
}
