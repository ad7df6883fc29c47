// Saving and loading a Network as safetensors, named like PyTorch's
// nn.Sequential(Linear, ReLU, Linear, ReLU, …, Linear): "0.weight" (out × in), "0.bias", "2.weight", …
// so that `Sequential(...).load_state_dict(safetensors.torch.load_file(path))` works as is. The
// other way round, a state dict saved by PyTorch loads too: without our "layers" metadata the
// layer list is read off the tensors' shapes (Network+LayerInference.swift).

import Foundation

extension Network {
    /// Metadata keys this library writes and reads.
    public enum MetadataKey {
        /// Comma-separated layer sizes, such as `"784,128,64,10"`.
        public static let layers = "layers"
        /// The hidden activation: always `"relu"`.
        public static let activation = "activation"
        /// The format's name and version.
        public static let format = "format"
    }

    /// The value of `MetadataKey.format` in files this version writes.
    public static let formatName = "mnist-swift-mlp/1"

    /// The tensor names of Linear layer `index` (0-based among the Linear layers).
    public static func tensorNames(linearIndex index: Int) -> (weight: String, bias: String) {
        ("\(2 * index).weight", "\(2 * index).bias")
    }

    /// The network's parameters as a safetensors document, with `metadata` added to the
    /// library's own keys (`layers`, `activation`, `format`).
    public func safeTensors(metadata: [String: String] = [:]) -> SafeTensors {
        var all = metadata
        all[MetadataKey.layers] = layerSizes.map(String.init).joined(separator: ",")
        all[MetadataKey.activation] = "relu"
        all[MetadataKey.format] = Self.formatName
        var tensors: [Tensor] = []
        for (index, layer) in linearLayers.enumerated() {
            let names = Self.tensorNames(linearIndex: index)
            tensors.append(Tensor(name: names.weight, shape: [layer.outputSize, layer.inputSize], values: layer.weight.elements))
            tensors.append(Tensor(name: names.bias, shape: [layer.outputSize], values: layer.bias.elements))
        }
        return SafeTensors(metadata: all, tensors: tensors)
    }

    /// Writes the model atomically to `path`.
    /// - Throws: `FileError` if the file cannot be written; an older file at `path` is then untouched.
    public func save(to path: String, metadata: [String: String] = [:]) throws(FileError) {
        try writeFileAtomically(safeTensors(metadata: metadata).encoded(), to: path)
    }

    /// Rebuilds a network from a safetensors document written by `safeTensors(metadata:)`, or by
    /// PyTorch from an `nn.Sequential(Linear, ReLU, …, Linear)` state dict with or without our
    /// metadata, checking that every tensor fits the layer list.
    /// - Throws: `ModelError` naming the missing key, tensor or mismatched shape.
    public convenience init(safeTensors document: SafeTensors, pool: ComputePool = .serial) throws(ModelError) {
        let sizes = try Self.layerSizes(of: document)
        if let activation = document.metadata[MetadataKey.activation], activation != "relu" {
            throw .unsupportedActivation(activation)
        }
        // Every tensor is checked against the layer list before the network is built: the list
        // alone may declare layers of billions of units, which only the tensors present refute.
        let expected = (0..<(sizes.count - 1)).flatMap { index in
            let names = Self.tensorNames(linearIndex: index)
            return [(names.weight, [sizes[index + 1], sizes[index]]), (names.bias, [sizes[index + 1]])]
        }
        let expectedNames = Set(expected.map(\.0))
        for tensor in document.tensors where !expectedNames.contains(tensor.name) {
            throw .unexpectedTensor(tensor.name)
        }
        for (name, shape) in expected {
            guard let tensor = document[name] else { throw .missingTensor(name) }
            guard tensor.shape == shape else { throw .shapeMismatch(name: name, expected: shape, found: tensor.shape) }
            guard tensor.values.allSatisfy({ $0.isFinite }) else { throw .nonFiniteValues(name) }
        }
        do {
            try self.init(layerSizes: sizes, pool: pool)
        } catch {
            throw .invalidLayers(sizes.map(String.init).joined(separator: ","))
        }
        for (index, layer) in linearLayers.enumerated() {
            let names = Self.tensorNames(linearIndex: index)
            _ = layer.weight.storage.update(fromContentsOf: document[names.weight]!.values)
            _ = layer.bias.storage.update(fromContentsOf: document[names.bias]!.values)
        }
    }

    /// Loads a model file written by `save(to:metadata:)` or by PyTorch (see `init(safeTensors:pool:)`).
    /// - Returns: the network and the file's metadata.
    /// - Throws: `ModelError` saying what is wrong with the file, with its path.
    public static func load(from path: String, pool: ComputePool = .serial) throws(ModelError) -> (network: Network, metadata: [String: String]) {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw .file(error)
        }
        do {
            let document = try SafeTensors(decoding: bytes)
            return (try Network(safeTensors: document, pool: pool), document.metadata)
        } catch let error as SafeTensorsError {
            // A PNG given as --model fails on its "header length"; say what the file is instead.
            if let kind = FileSignature.kind(of: bytes) { throw .inFile(path, .notAModel(kind)) }
            throw .inFile(path, .format(error))
        } catch let error as ModelError {
            throw .inFile(path, error)
        } catch {
            throw .inFile(path, .invalidLayers("\(error)"))
        }
    }
}
