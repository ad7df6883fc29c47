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
        probabilitiesAndSaliency(of: input, classIndex: classIndex).saliency
    }

    /// One sample's class probabilities and the saliency of class `classIndex` (by default the most
    /// probable one), from one forward pass and one backward pass.
    public func probabilitiesAndSaliency(of input: [Float], classIndex: Int? = nil) -> (probabilities: [Float], saliency: [Float]) {
        precondition(input.count == inputSize, "the network takes \(inputSize) inputs, got \(input.count)")
        let probabilities = self.probabilities(Matrix(rows: 1, columns: inputSize, elements: input)).row(0)
        let chosen = classIndex ?? probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        precondition((0..<classCount).contains(chosen), "class \(chosen) is not in 0..<\(classCount)")
        return (probabilities, inputGradient(ofLogit: chosen))
    }
}
