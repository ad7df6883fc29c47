// What can be wrong with a model file, in words that say what was found.

/// Why a model file could not be turned into a network.
public indirect enum ModelError: Error, Equatable, CustomStringConvertible {
    case file(FileError)
    case inFile(String, ModelError)
    case format(SafeTensorsError)
    case invalidLayers(String)
    case invalidArchitecture(String, ArchitectureError)
    case unsupportedActivation(String)
    case missingTensor(String)
    case unexpectedTensor(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case nonFiniteValues(String)
    case notAModel(String)
    case noTensors
    case notSequentialName(String)
    case notLinearReLUAlternation([Int])
    case notLinearWeight(name: String, shape: [Int])
    case layersDoNotChain(name: String, inputs: Int, previousOutputs: Int)
    case missingBias(String)

    public var description: String {
        switch self {
        case .file(let error): return error.description
        case .inFile(let path, let error): return "\(path): \(error)"
        case .format(let error): return error.description
        case .invalidLayers(let list): return "metadata \"layers\" is \"\(list)\"; expected a network such as 784,128,64,10 or 1x28x28,32C5,MP2,128,10"
        case .invalidArchitecture(let list, let error): return "metadata \"layers\" is \"\(list)\": \(error)"
        case .unsupportedActivation(let name): return "activation \"\(name)\" is not supported; only relu"
        case .missingTensor(let name): return "tensor \"\(name)\" is missing"
        case .unexpectedTensor(let name): return "tensor \"\(name)\" does not belong to this layer list"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor \"\(name)\" has shape \(found); the layer list needs \(expected)"
        case .nonFiniteValues(let name): return "tensor \"\(name)\" holds NaN or infinite values"
        case .notAModel(let kind): return "this is \(kind), not a model (a safetensors file)"
        case .noTensors: return "the file holds no tensors"
        case .notSequentialName(let name):
            return "tensor \"\(name)\" is not named like a layer of an nn.Sequential (N.weight, N.bias), and the file has no \"layers\" metadata"
        case .notLinearReLUAlternation(let positions):
            let list = positions.map(String.init).joined(separator: ", ")
            return "weights at positions \(list); an nn.Sequential(Linear, ReLU, Linear, …) has its Linear layers at 0, 2, 4, …"
        case .notLinearWeight(let name, let shape) where shape.count == 4:
            return "tensor \"\(name)\" has shape \(shape): a convolution's weight; without \"layers\" metadata only Linear layers are read off the shapes. Save the state dict with the network in metadata, e.g. metadata={\"layers\": \"1x28x28,32C5,MP2,128,10\"} (see the README's network grammar)"
        case .notLinearWeight(let name, let shape):
            return "tensor \"\(name)\" has shape \(shape); a Linear layer's weight is 2-D (out × in)"
        case .layersDoNotChain(let name, let inputs, let previousOutputs):
            return "tensor \"\(name)\" takes \(inputs) inputs but the layer before gives \(previousOutputs)"
        case .missingBias(let name):
            return "tensor \"\(name)\" has no bias beside it; Linear layers without bias (bias=False) are not supported"
        }
    }
}
