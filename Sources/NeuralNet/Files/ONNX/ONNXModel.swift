// An ONNX model file (onnx.proto: ModelProto, OperatorSetIdProto, StringStringEntryProto): the
// graph with the format's version, the operator set it uses, and free-form metadata.

/// A complete ONNX model, ready to encode.
public struct ONNXModel: Equatable, Sendable {
    /// IR version 7 and opset 13: what every onnxruntime since 1.6 loads.
    public static let irVersion = 7
    public static let opsetVersion = 13

    public var graph: ONNXGraph
    /// Key–value pairs a reader finds in `metadata_props` (onnxruntime:
    /// `session.get_modelmeta().custom_metadata_map`).
    public var metadata: [String: String]
    public var producerName: String
    public var producerVersion: String

    public init(graph: ONNXGraph, metadata: [String: String] = [:], producerName: String = "mnist-swift", producerVersion: String = "") {
        self.graph = graph
        self.metadata = metadata
        self.producerName = producerName
        self.producerVersion = producerVersion
    }

    /// The model in protobuf's wire format: the bytes of a `.onnx` file. Metadata entries are
    /// written in key order, so the same model always gives the same bytes.
    // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7,
    // opset_import = 8, metadata_props = 14. OperatorSetIdProto: domain = 1, version = 2
    // (the empty domain is the standard ai.onnx one). StringStringEntryProto: key = 1, value = 2.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.int(1, Self.irVersion)
        writer.string(2, producerName)
        if !producerVersion.isEmpty { writer.string(3, producerVersion) }
        writer.message(7) { graph.encode(into: &$0) }
        writer.message(8) { opset in
            opset.string(1, "")
            opset.int(2, Self.opsetVersion)
        }
        for key in metadata.keys.sorted() {
            writer.message(14) { entry in
                entry.string(1, key)
                entry.string(2, metadata[key]!)
            }
        }
        return writer.bytes
    }
}
