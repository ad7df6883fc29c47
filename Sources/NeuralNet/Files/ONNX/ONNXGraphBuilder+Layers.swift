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
        case let convolution as Conv2d: addConvolution(convolution, index: index)
        case let pooling as MaxPool2d: addMaxPool(pooling, index: index)
        case let normalization as BatchNorm: addBatchNorm(normalization, index: index)
        case is Flatten: flatten(index: index)
        case is ReLU: addReLU(index: index)
        case is Dropout: break  // the identity at inference
        default: throw .unsupportedLayer(index: index, kind: String(describing: type(of: layer)))
        }
    }

    // x: (N × in) → Gemm(x, W, b, transB = 1) = x · Wᵀ + b: (N × out); W stored (out × in).
    private mutating func addLinear(_ linear: Linear, index: Int) {
        flatten(index: index)
        var inputs = [current]
        inputs.append(addInitializer(ONNXTensor(name: "\(index).weight", dims: [linear.outputSize, linear.inputSize],
                                                values: linear.weight.elements)))
        if linear.hasBias {
            inputs.append(addInitializer(ONNXTensor(name: "\(index).bias", dims: [linear.outputSize], values: linear.bias.elements)))
        }
        let node = ONNXNode("Gemm", name: "\(index).gemm", inputs: inputs, outputs: ["\(index).out"],
                            attributes: [ONNXAttribute("transB", .int(1))])
        append(node, shape: [linear.outputSize])
    }

    // x: (N × C × H × W) → Conv(x, W[, b]): (N × C' × H' × W'); W stored (C' × C × k × k).
    private mutating func addConvolution(_ convolution: Conv2d, index: Int) {
        let input = convolution.inputShape, output = convolution.outputShape
        var inputs = [current]
        inputs.append(addInitializer(ONNXTensor(
            name: "\(index).weight", dims: [output.channels, input.channels, convolution.kernel, convolution.kernel],
            values: convolution.weight.elements)))
        if convolution.hasBias {
            inputs.append(addInitializer(ONNXTensor(name: "\(index).bias", dims: [output.channels], values: convolution.bias.elements)))
        }
        let (k, s, p) = (convolution.kernel, convolution.stride, convolution.padding)
        let node = ONNXNode("Conv", name: "\(index).conv", inputs: inputs, outputs: ["\(index).out"], attributes: [
            ONNXAttribute("kernel_shape", .ints([k, k])), ONNXAttribute("strides", .ints([s, s])),
            ONNXAttribute("pads", .ints([p, p, p, p])),
        ])
        append(node, shape: [output.channels, output.height, output.width])
    }

    // x: (N × C × H × W) → MaxPool(size, stride size): (N × C × H/size × W/size)
    private mutating func addMaxPool(_ pooling: MaxPool2d, index: Int) {
        let output = pooling.outputShape
        let node = ONNXNode("MaxPool", name: "\(index).pool", inputs: [current], outputs: ["\(index).out"], attributes: [
            ONNXAttribute("kernel_shape", .ints([pooling.size, pooling.size])),
            ONNXAttribute("strides", .ints([pooling.size, pooling.size])),
        ])
        append(node, shape: [output.channels, output.height, output.width])
    }

    // x: (N × C [× H × W]) → γ·(x − running mean)/√(running var + ε) + β, per channel (axis 1).
    private mutating func addBatchNorm(_ normalization: BatchNorm, index: Int) {
        let channels = normalization.channels
        let inputs = [current] + [("weight", normalization.scale), ("bias", normalization.shift),
                                  ("running_mean", normalization.runningMean), ("running_var", normalization.runningVariance)]
            .map { name, values in addInitializer(ONNXTensor(name: "\(index).\(name)", dims: [channels], values: values.elements)) }
        let node = ONNXNode("BatchNormalization", name: "\(index).batchnorm", inputs: inputs, outputs: ["\(index).out"],
                            attributes: [ONNXAttribute("epsilon", .float(normalization.epsilon))])
        append(node, shape: shape)
    }

    // x → max(x, 0), any shape.
    private mutating func addReLU(index: Int) {
        append(ONNXNode("Relu", name: "\(index).relu", inputs: [current], outputs: ["\(index).out"]), shape: shape)
    }
}
