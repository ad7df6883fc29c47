// A trained network as an ONNX model, for onnxruntime, OpenCV's DNN module and the other runtimes
// that read ONNX. The protobuf is written here (ProtobufWriter), not through a library.

extension Network {
    /// The network as an ONNX model (IR 7, opset 13): input `input`, float32 `[N] + inputShape`
    /// with the batch `N` dynamic; outputs `probabilities` (Softmax) and `logits`, `[N, classes]`.
    /// - Parameters:
    ///   - inputShape: the shape of one sample, such as `[1, 28, 28]`; its size must be `inputSize`.
    ///   - metadata: entries for the file's `metadata_props`.
    ///   - producerVersion: the exporting tool's version.
    /// - Throws: `ONNXExportError` for a shape that does not fit or a layer without an exporter.
    public func onnxModel(
        inputShape: [Int], metadata: [String: String] = [:], producerVersion: String = ""
    ) throws(ONNXExportError) -> ONNXModel {
        let graph = try ONNXGraphBuilder.graph(name: "mnist-swift", layers: layers, inputShape: inputShape)
        return ONNXModel(graph: graph, metadata: metadata, producerVersion: producerVersion)
    }
}
