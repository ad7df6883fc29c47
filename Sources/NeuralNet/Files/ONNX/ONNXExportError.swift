// Why a network cannot be written as ONNX, in words that say what to change.

/// A network, or a request, that the ONNX exporter refuses.
public enum ONNXExportError: Error, Equatable, CustomStringConvertible {
    /// Layer `index` (0-based in `Network.layers`) is of a kind with no exporter yet.
    case unsupportedLayer(index: Int, kind: String)
    /// The per-sample input shape asked for does not hold the network's input features.
    case inputShapeMismatch(shape: [Int], inputSize: Int)
    /// The network has no layer that computes anything.
    case noLayers

    public var description: String {
        switch self {
        case .unsupportedLayer(let index, let kind):
            return "layer \(index) is a \(kind), which the ONNX exporter cannot write yet"
        case .inputShapeMismatch(let shape, let inputSize):
            let dims = shape.map(String.init).joined(separator: "×")
            return "an input of shape \(dims) per sample does not give the network's \(inputSize) input features"
        case .noLayers:
            return "the network has no layer that computes anything, so there is no graph to write"
        }
    }
}
