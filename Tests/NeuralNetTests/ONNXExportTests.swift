// The ONNX exporter: the graph a network becomes (nodes, weights, inputs and outputs), the bytes
// of its parts, and the networks it refuses. scripts/verify_onnx.py and CLITests/ONNXTests run
// exported files in onnxruntime.

@testable import NeuralNet
import Testing

@Suite struct ONNXExportTests {
    static func network(dropout: Float = 0) throws -> Network {
        try Network(layerSizes: [784, 16, 12, 10], dropout: dropout, seed: 7)
    }

    @Test func anMLPBecomesFlattenGemmReluAndSoftmax() throws {
        let network = try Self.network()
        let graph = try network.onnxModel(inputShape: [1, 28, 28]).graph
        #expect(graph.nodes.map(\.opType) == ["Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax"])
        #expect(graph.summary == "Flatten, Gemm [16×784], Relu, Gemm [12×16], Relu, Gemm [10×12], Softmax")
        #expect(graph.inputs == [ONNXValueInfo(name: "input", shape: [.parameter("N"), .value(1), .value(28), .value(28)])])
        #expect(graph.outputs == [
            ONNXValueInfo(name: "probabilities", shape: [.parameter("N"), .value(10)]),
            ONNXValueInfo(name: "logits", shape: [.parameter("N"), .value(10)]),
        ])
        // Each node reads what the one before it wrote; the last Gemm writes the logits.
        for (previous, node) in zip(graph.nodes, graph.nodes.dropFirst()) {
            #expect(node.inputs.first == previous.outputs.first)
        }
        #expect(graph.nodes[0].inputs == ["input"])
        #expect(graph.nodes[5].outputs == ["logits"])
        #expect(graph.nodes[6].outputs == ["probabilities"])
        #expect(graph.nodes[6].attributes == [ONNXAttribute("axis", .int(1))])
        for gemm in graph.nodes where gemm.opType == "Gemm" {
            #expect(gemm.attributes == [ONNXAttribute("transB", .int(1))])
        }
    }

    @Test func theWeightsAreTheLinearLayersOwnNamedLikePyTorch() throws {
        let network = try Self.network()
        let graph = try network.onnxModel(inputShape: [1, 28, 28]).graph
        #expect(graph.initializers.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
        for (index, linear) in network.linearLayers.enumerated() {
            let weight = graph.initializers[2 * index], bias = graph.initializers[2 * index + 1]
            #expect(weight.dims == [linear.outputSize, linear.inputSize])
            #expect(weight.values == linear.weight.elements)
            #expect(bias.dims == [linear.outputSize])
            #expect(bias.values == linear.bias.elements)
        }
        let gemms = graph.nodes.filter { $0.opType == "Gemm" }
        #expect(gemms.map { Array($0.inputs.dropFirst()) } == [["0.weight", "0.bias"], ["2.weight", "2.bias"], ["4.weight", "4.bias"]])
    }

    @Test func dropoutIsLeftOutAndAFlatInputNeedsNoFlatten() throws {
        let withDropout = try Self.network(dropout: 0.5)
        #expect(withDropout.layers.contains { $0 is Dropout })
        let graph = try withDropout.onnxModel(inputShape: [784]).graph
        #expect(graph.nodes.map(\.opType) == ["Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax"])
        #expect(graph.inputs[0].shape == [.parameter("N"), .value(784)])
    }

    @Test(arguments: [[1, 28, 27], [785], [0, 784], [-1, -784]])
    func anInputShapeThatDoesNotHoldTheInputsIsRefused(shape: [Int]) throws {
        #expect(throws: ONNXExportError.inputShapeMismatch(shape: shape, inputSize: 784)) {
            try Self.network().onnxModel(inputShape: shape)
        }
    }

    @Test func aLayerWithoutAnExporterIsRefusedWithItsPlaceAndKind() {
        let layers: [any Layer] = [Linear(inputSize: 4, outputSize: 3), Squarer(size: 3), Linear(inputSize: 3, outputSize: 2)]
        #expect(throws: ONNXExportError.unsupportedLayer(index: 1, kind: "Squarer")) {
            try ONNXGraphBuilder.graph(name: "test", layers: layers, inputShape: [4])
        }
        let error = ONNXExportError.unsupportedLayer(index: 1, kind: "Squarer")
        #expect(error.description == "layer 1 is a Squarer, which the ONNX exporter cannot write yet")
        #expect(throws: ONNXExportError.noLayers) { try ONNXGraphBuilder.graph(name: "test", layers: [], inputShape: [4]) }
        #expect(throws: ONNXExportError.noLayers) {
            try ONNXGraphBuilder.graph(name: "test", layers: [Dropout(size: 4, probability: 0.5)], inputShape: [4])
        }
    }

    @Test func aValueInfoEncodesItsNameTypeAndShape() {
        var writer = ProtobufWriter()
        ONNXValueInfo(name: "x", shape: [.parameter("N"), .value(3)]).encode(into: &writer)
        // name "x"; type { tensor_type { elem_type FLOAT; shape { dim { dim_param "N" } dim { dim_value 3 } } } }
        #expect(writer.bytes == [
            0x0A, 0x01, 0x78,
            0x12, 0x0F, 0x0A, 0x0D, 0x08, 0x01, 0x12, 0x09,
            0x0A, 0x03, 0x12, 0x01, 0x4E,
            0x0A, 0x02, 0x08, 0x03,
        ])
    }

    @Test func aNodeAndAnAttributeEncodeInFieldOrder() {
        var writer = ProtobufWriter()
        ONNXNode("Relu", name: "r", inputs: ["a"], outputs: ["b"], attributes: [ONNXAttribute("k", .int(1))]).encode(into: &writer)
        // input "a", output "b", name "r", op_type "Relu", attribute { name "k", i 1, type INT }
        #expect(writer.bytes == [
            0x0A, 0x01, 0x61, 0x12, 0x01, 0x62, 0x1A, 0x01, 0x72, 0x22, 0x04, 0x52, 0x65, 0x6C, 0x75,
            0x2A, 0x08, 0x0A, 0x01, 0x6B, 0x18, 0x01, 0xA0, 0x01, 0x02,
        ])
    }

    @Test func theModelStartsWithItsIRVersionAndEncodesTheSameWayEveryTime() throws {
        let model = try Self.network().onnxModel(inputShape: [1, 28, 28], metadata: ["b": "2", "a": "1"])
        let bytes = model.encoded()
        #expect(Array(bytes.prefix(2)) == [0x08, 0x07])
        #expect(bytes == model.encoded())
        // The opset: field 8 holding domain "" and version 13.
        #expect(contains(bytes, [0x42, 0x04, 0x0A, 0x00, 0x10, 0x0D]))
        // Metadata in key order, each a field-14 entry of key and value.
        let a: [UInt8] = [0x72, 0x06, 0x0A, 0x01, 0x61, 0x12, 0x01, 0x31]
        let b: [UInt8] = [0x72, 0x06, 0x0A, 0x01, 0x62, 0x12, 0x01, 0x32]
        #expect(Array(bytes.suffix(16)) == a + b)
        // Weights dominate: 4 bytes per parameter and little else.
        let parameters = try Self.network().parameterCount
        #expect(bytes.count > 4 * parameters && bytes.count < 4 * parameters + 2_000)
    }

    private func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        bytes.indices.dropLast(part.count - 1).contains { Array(bytes[$0..<($0 + part.count)]) == part }
    }
}

/// A layer kind the exporter does not know: y = x².
private final class Squarer: Layer {
    let inputSize: Int
    var outputSize: Int { inputSize }
    let output: Matrix
    var inputGradient: Matrix? { nil }

    init(size: Int) {
        inputSize = size
        output = Matrix(rows: 0, columns: size)
    }

    func prepare(batchSize: Int, parts: Int) { output.resize(rows: batchSize) }
    func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {}
    func backward(_ outputGradient: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {}
}
