// Saving and loading a Network as safetensors, named like the state dict of the PyTorch
// nn.Sequential with the same modules: "0.weight" (out × in), "0.bias", "2.weight", … for
// Linear, ReLU, Linear, …; "0.weight" (out × in × kh × kw) for a convolution; "1.running_mean" for
// a batch norm. So `Sequential(...).load_state_dict(safetensors.torch.load_file(path))` works as is.
// The other way round, a state dict saved by PyTorch loads too: with our "layers" metadata (the
// network grammar) for any network, and without it for Linear/ReLU stacks, whose layer list is
// read off the tensors' shapes (Network+LayerInference.swift).

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

    /// The value of `MetadataKey.format` in the files of multilayer perceptrons.
    public static let formatName = "mnist-swift-mlp/1"
    /// The value of `MetadataKey.format` in the files of other networks (convolutions, batch norm).
    public static let sequentialFormatName = "mnist-swift-sequential/1"

    /// The tensor names of Linear layer `index` (0-based among the Linear layers) of a multilayer
    /// perceptron without dropout.
    public static func tensorNames(linearIndex index: Int) -> (weight: String, bias: String) {
        ("\(2 * index).weight", "\(2 * index).bias")
    }

    /// The network's tensors as a safetensors document, with `metadata` added to the library's
    /// own keys (`layers` in the network grammar, `activation`, `format`). Each tensor is named
    /// `<layer position>.<name>`, as in PyTorch's state dict of the equivalent `nn.Sequential`.
    public func safeTensors(metadata: [String: String] = [:]) -> SafeTensors {
        var all = metadata
        all[MetadataKey.layers] = architecture.description
        all[MetadataKey.activation] = "relu"
        all[MetadataKey.format] = architecture.layerSizes == nil ? Self.sequentialFormatName : Self.formatName
        var tensors: [Tensor] = []
        for (index, layer) in parameterizedLayers {
            for tensor in layer.tensors {
                tensors.append(Tensor(name: "\(index).\(tensor.name)", shape: tensor.shape, values: tensor.values.elements))
            }
        }
        return SafeTensors(metadata: all, tensors: tensors)
    }

    /// Writes the model atomically to `path`.
    /// - Throws: `FileError` if the file cannot be written; an older file at `path` is then untouched.
    public func save(to path: String, metadata: [String: String] = [:]) throws(FileError) {
        try writeFileAtomically(safeTensors(metadata: metadata).encoded(), to: path)
    }

    /// Rebuilds a network from a safetensors document written by `safeTensors(metadata:)`, or by
    /// PyTorch from an `nn.Sequential` state dict: of Linear and ReLU layers with or without our
    /// metadata, of any network the grammar describes with it. Every tensor is checked against the
    /// architecture before the network is built.
    /// - Throws: `ModelError` naming the missing key, tensor or mismatched shape.
    public convenience init(safeTensors document: SafeTensors, pool: ComputePool = .serial) throws(ModelError) {
        let architecture = try Self.architecture(of: document)
        if let activation = document.metadata[MetadataKey.activation], activation != "relu" {
            throw .unsupportedActivation(activation)
        }
        let specs = architecture.tensorSpecs
        let expectedNames = Set(specs.map(\.name))
        for tensor in document.tensors where !expectedNames.contains(tensor.name) {
            throw .unexpectedTensor(tensor.name)
        }
        for spec in specs {
            guard let tensor = document[spec.name] else {
                if spec.isOptional { continue }
                throw .missingTensor(spec.name)
            }
            guard tensor.shape == spec.shape else { throw .shapeMismatch(name: spec.name, expected: spec.shape, found: tensor.shape) }
            guard tensor.values.allSatisfy({ $0.isFinite }) else { throw .nonFiniteValues(spec.name) }
        }
        self.init(architecture: architecture, pool: pool)
        for (index, layer) in parameterizedLayers {
            for tensor in layer.tensors {
                guard let stored = document["\(index).\(tensor.name)"] else { continue }
                _ = tensor.values.storage.update(fromContentsOf: stored.values)
            }
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
