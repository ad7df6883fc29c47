// ONNX's computation graph (onnx.proto: GraphProto, NodeProto, AttributeProto): operator nodes in
// topological order, the weights they read, and the graph's inputs and outputs.

/// An operator's attribute: an integer, a float or a list of integers.
public struct ONNXAttribute: Equatable, Sendable {
    public enum Value: Equatable, Sendable {
        case int(Int)
        case float(Float)
        case ints([Int])
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    // AttributeProto: name = 1, f = 2, i = 3, ints = 8, type = 20
    // (AttributeType: FLOAT = 1, INT = 2, INTS = 7).
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        switch value {
        case .float(let number):
            writer.float(2, number)
            writer.int(20, 1)
        case .int(let number):
            writer.int(3, number)
            writer.int(20, 2)
        case .ints(let numbers):
            for number in numbers { writer.int(8, number) }
            writer.int(20, 7)
        }
    }
}

/// One operator application: `opType` over the named `inputs`, giving the named `outputs`.
public struct ONNXNode: Equatable, Sendable {
    public var opType: String
    public var name: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [ONNXAttribute]

    public init(_ opType: String, name: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = []) {
        self.opType = opType
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
    func encode(into writer: inout ProtobufWriter) {
        for input in inputs { writer.string(1, input) }
        for output in outputs { writer.string(2, output) }
        writer.string(3, name)
        writer.string(4, opType)
        for attribute in attributes {
            writer.message(5) { attribute.encode(into: &$0) }
        }
    }
}

/// A graph: nodes in an order where every input is produced before it is read.
public struct ONNXGraph: Equatable, Sendable {
    public var name: String
    public var nodes: [ONNXNode] = []
    /// The weights, read by the nodes by name.
    public var initializers: [ONNXTensor] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []

    public init(name: String) {
        self.name = name
    }

    /// The operators in order, each with the shape of the weight it reads, such as
    /// `Flatten, Gemm [128×784], Relu, Gemm [10×128], Softmax`: a one-line description of the network.
    public var summary: String {
        let shapes = Dictionary(initializers.map { ($0.name, $0.dims) }, uniquingKeysWith: { first, _ in first })
        return nodes.map { node in
            guard let weight = node.inputs.dropFirst().first, let dims = shapes[weight] else { return node.opType }
            return "\(node.opType) [\(dims.map(String.init).joined(separator: "×"))]"
        }.joined(separator: ", ")
    }

    // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
    func encode(into writer: inout ProtobufWriter) {
        for node in nodes {
            writer.message(1) { node.encode(into: &$0) }
        }
        writer.string(2, name)
        for tensor in initializers {
            writer.message(5) { tensor.encode(into: &$0) }
        }
        for input in inputs {
            writer.message(11) { input.encode(into: &$0) }
        }
        for output in outputs {
            writer.message(12) { output.encode(into: &$0) }
        }
    }
}
