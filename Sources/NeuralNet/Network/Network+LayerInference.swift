// Where a model file's layer list comes from: our "layers" metadata when present, otherwise the
// tensors themselves. A PyTorch state dict of nn.Sequential(Linear, ReLU, Linear, …) names its
// Linear layers by their position in the Sequential, "0.weight" (out × in) and "0.bias" (out),
// then "2.…", "4.…" (the ReLUs at 1, 3, … hold no tensors). Anything else is refused with what
// was found: a convolution's 4-D weight, a Linear without bias, positions that skip a layer.

extension Network {
    /// The architecture of the network stored in `document`: its "layers" metadata in the network
    /// grammar, or, without it, the Linear/ReLU stack its tensors' shapes describe.
    /// - Throws: `ModelError` when the metadata's network is malformed, or, without metadata, when
    ///   the tensors are not those of an `nn.Sequential` of Linear layers with ReLUs between them.
    static func architecture(of document: SafeTensors) throws(ModelError) -> Architecture {
        if let layerList = document.metadata[MetadataKey.layers] {
            do {
                return try Architecture(parsing: layerList)
            } catch {
                throw .invalidArchitecture(layerList, error)
            }
        }
        let sizes = try inferredLayerSizes(of: document.tensors)
        do {
            return try Architecture(layerSizes: sizes)
        } catch {
            throw .invalidLayers(sizes.map(String.init).joined(separator: ","))
        }
    }

    /// The layer sizes read off the shapes of `N.weight` and `N.bias` tensors.
    static func inferredLayerSizes(of tensors: [Tensor]) throws(ModelError) -> [Int] {
        guard !tensors.isEmpty else { throw .noTensors }
        var weights: [Int: Tensor] = [:]
        var biases: [Int: Tensor] = [:]
        for tensor in tensors {
            guard let (position, kind) = sequentialName(tensor.name) else { throw .notSequentialName(tensor.name) }
            if kind == "weight" { weights[position] = tensor } else { biases[position] = tensor }
        }
        for (position, bias) in biases where weights[position] == nil {
            throw .missingTensor("\(position).weight (for \(bias.name))")
        }
        let positions = weights.keys.sorted()
        // Linear layers sit at 0, 2, 4, …: a ReLU between each pair, nothing else.
        guard positions == Array(stride(from: 0, to: 2 * positions.count, by: 2)) else {
            throw .notLinearReLUAlternation(positions)
        }
        var sizes: [Int] = []
        for position in positions {
            let weight = weights[position]!
            guard weight.shape.count == 2 else { throw .notLinearWeight(name: weight.name, shape: weight.shape) }
            let (outputs, inputs) = (weight.shape[0], weight.shape[1])
            guard outputs > 0, inputs > 0 else { throw .notLinearWeight(name: weight.name, shape: weight.shape) }
            if let previous = sizes.last, previous != inputs {
                throw .layersDoNotChain(name: weight.name, inputs: inputs, previousOutputs: previous)
            }
            guard biases[position] != nil else { throw .missingBias(weight.name) }
            if sizes.isEmpty { sizes.append(inputs) }
            sizes.append(outputs)
        }
        return sizes
    }

    /// `(2, "weight")` for `"2.weight"`; nil for any other name.
    private static func sequentialName(_ name: String) -> (Int, String)? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let position = Int(parts[0]), position >= 0, String(position) == parts[0],
              parts[1] == "weight" || parts[1] == "bias"
        else { return nil }
        return (position, String(parts[1]))
    }
}
