// One small exporter per kind of layer. To export a new kind, add a case to `add(_:index:)` and a
// function beside the others that appends its nodes and weights and states the shape it leaves.
// Names follow the layer's index in `Network.layers`: "0.weight", "2.bias", as PyTorch's
// nn.Sequential names them.

extension ONNXGraphBuilder {
    /// Adds the nodes of layer `index` of the network.
    /// - Throws: `ONNXExportError.unsupportedLayer` for a kind of layer without an exporter.
    mutating func add(_ layer: any Layer, index: Int) throws(ONNXExportError) {
        switch layer {
        case let linear as Linear: addLinear(linear, index: index)
        case is ReLU: addReLU(index: index)
        case is Dropout: break  // the identity at inference
        default: throw .unsupportedLayer(index: index, kind: String(describing: type(of: layer)))
        }
    }

    // x: (N × in) → Gemm(x, W, b, transB = 1) = x · Wᵀ + b: (N × out); W stored (out × in).
    private mutating func addLinear(_ linear: Linear, index: Int) {
        flatten(index: index)
        let weight = addInitializer(ONNXTensor(name: "\(index).weight", dims: [linear.outputSize, linear.inputSize],
                                               values: linear.weight.elements))
        let bias = addInitializer(ONNXTensor(name: "\(index).bias", dims: [linear.outputSize], values: linear.bias.elements))
        let node = ONNXNode("Gemm", name: "\(index).gemm", inputs: [current, weight, bias], outputs: ["\(index).out"],
                            attributes: [ONNXAttribute("transB", .int(1))])
        append(node, shape: [linear.outputSize])
    }

    // x → max(x, 0), any shape.
    private mutating func addReLU(index: Int) {
        append(ONNXNode("Relu", name: "\(index).relu", inputs: [current], outputs: ["\(index).out"]), shape: shape)
    }
}
