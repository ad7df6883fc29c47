// Turning a network into an ONNX graph: a walk over its layer list, in order, where each kind of
// layer adds its own nodes (ONNXGraphBuilder+Layers.swift) to the tensor the layer before left.
// The graph then ends in the logits and a Softmax over them.

/// Builds an ONNX graph one layer at a time, keeping track of the tensor that flows between
/// layers and of its shape per sample (the batch, `N`, always comes first and is left dynamic).
struct ONNXGraphBuilder {
    /// The name of the dynamic batch dimension.
    static let batchDimension = "N"
    static let inputName = "input"
    static let logitsName = "logits"
    static let probabilitiesName = "probabilities"

    private(set) var graph: ONNXGraph
    /// The tensor the next layer reads.
    private(set) var current: String
    /// Its shape per sample, without the batch.
    private(set) var shape: [Int]

    /// A graph whose input `input` is float32 `[N] + inputShape`.
    init(name: String, inputShape: [Int]) {
        graph = ONNXGraph(name: name)
        current = Self.inputName
        shape = inputShape
        graph.inputs = [ONNXValueInfo(name: Self.inputName, shape: Self.batched(inputShape))]
    }

    /// The graph of `layers` over inputs of `inputShape` per sample: the layers' nodes, then
    /// `logits` and `probabilities` (Softmax over the classes) as the two outputs.
    /// - Throws: `ONNXExportError` for a shape that does not fit or a layer without an exporter.
    static func graph(name: String, layers: [any Layer], inputShape: [Int]) throws(ONNXExportError) -> ONNXGraph {
        guard let first = layers.first else { throw .noLayers }
        guard inputShape.allSatisfy({ $0 > 0 }), inputShape.reduce(1, *) == first.inputSize else {
            throw .inputShapeMismatch(shape: inputShape, inputSize: first.inputSize)
        }
        var builder = ONNXGraphBuilder(name: name, inputShape: inputShape)
        for (index, layer) in layers.enumerated() {
            try builder.add(layer, index: index)
        }
        try builder.finish()
        return builder.graph
    }

    /// Appends `node`, whose single output becomes the tensor the next layer reads, of
    /// `shape` per sample.
    mutating func append(_ node: ONNXNode, shape: [Int]) {
        precondition(node.outputs.count == 1, "a layer's node hands one tensor on")
        graph.nodes.append(node)
        current = node.outputs[0]
        self.shape = shape
    }

    /// Stores a weight tensor and returns its name for a node to read.
    mutating func addInitializer(_ tensor: ONNXTensor) -> String {
        graph.initializers.append(tensor)
        return tensor.name
    }

    /// Makes the current tensor `[N, features]`, with a Flatten node when it has more axes.
    mutating func flatten(index: Int) {
        guard shape.count != 1 else { return }
        let node = ONNXNode("Flatten", name: "\(index).flatten", inputs: [current], outputs: ["\(index).flat"],
                            attributes: [ONNXAttribute("axis", .int(1))])
        append(node, shape: [shape.reduce(1, *)])
    }

    /// Names the last layer's output `logits` and adds the Softmax that gives `probabilities`.
    private mutating func finish() throws(ONNXExportError) {
        guard !graph.nodes.isEmpty else { throw .noLayers }
        flatten(index: graph.nodes.count)
        // Only the last node reads nothing after it, so its output can be renamed in place.
        let last = graph.nodes.count - 1
        graph.nodes[last].outputs = [Self.logitsName]
        current = Self.logitsName
        graph.nodes.append(ONNXNode("Softmax", name: "softmax", inputs: [Self.logitsName], outputs: [Self.probabilitiesName],
                                    attributes: [ONNXAttribute("axis", .int(1))]))
        graph.outputs = [
            ONNXValueInfo(name: Self.probabilitiesName, shape: Self.batched(shape)),
            ONNXValueInfo(name: Self.logitsName, shape: Self.batched(shape)),
        ]
    }

    private static func batched(_ shape: [Int]) -> [ONNXDimension] {
        [.parameter(batchDimension)] + shape.map(ONNXDimension.value)
    }
}
