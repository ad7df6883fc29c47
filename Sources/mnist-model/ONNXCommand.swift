// mnist-model onnx: a model file as an ONNX model (IR 7, opset 13) that onnxruntime, OpenCV's
// DNN module, onnxruntime-web and the other ONNX runtimes load.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet

struct ONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Write a model as an ONNX file.",
        discussion: """
            The ONNX model (IR version 7, opset 13: any onnxruntime since 1.6 loads it) takes \
            `input`, float32 [N, 1, 28, 28] with the batch N free: grey levels from 0.0 (background) \
            to 1.0 (ink), the pixel byte / 255 of an MNIST image (white ink on black). A model \
            with other than 784 inputs takes [N, inputs]. It gives two outputs, `probabilities` \
            (Softmax) and `logits`, each [N, classes]. The layers become Conv, MaxPool, \
            BatchNormalization (with the running statistics), Flatten, Gemm and Relu nodes; dropout, the identity at inference, is left out. The model's metadata \
            (network, test accuracy, input convention, training options) goes into the file's \
            metadata_props. The file is written atomically: an existing OUT is replaced whole or \
            left as it was.

            scripts/verify_onnx.py OUT checks the file with onnx.checker and runs it in \
            onnxruntime on the MNIST test set.

            Example:
              mnist-model onnx model.safetensors -o model.onnx
            """)

    @Argument(help: ArgumentHelp("The model file (safetensors) to convert.", valueName: "model"))
    var model: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The ONNX file to write.", valueName: "out.onnx"))
    var output: String

    func validate() throws {
        guard !output.isEmpty else { throw ValidationError("-o/--output is empty: name the ONNX file to write") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("\(output) is a directory: name the ONNX file to write, such as \(output)/model.onnx")
        }
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("cannot write \(output): directory \(directory) does not exist")
            }
        }
        let standardized = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        guard standardized(output) != standardized(model) else {
            throw ValidationError("-o \(output) is the model file itself: name another file for the ONNX model")
        }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: model) else {
            throw RunFailure("no model at \(model): name a model file from mnist-train (or a PyTorch state dict in safetensors)")
        }
        let (network, metadata) = try Network.load(from: model)
        let side = MNISTDataset.side
        let inputShape = network.inputSize == side * side ? [1, side, side] : [network.inputSize]
        var onnx: ONNXModel
        do {
            onnx = try network.onnxModel(
                inputShape: inputShape, metadata: Self.metadata(of: network, from: metadata, inputShape: inputShape),
                producerVersion: ToolVersion.text)
        } catch {
            throw RunFailure("\(model): cannot export to ONNX: \(error)")
        }
        onnx.metadata["network"] = onnx.graph.summary
        let bytes = onnx.encoded()
        try writeFileAtomically(bytes, to: output)
        print("wrote \(output): ONNX IR \(ONNXModel.irVersion), opset \(ONNXModel.opsetVersion), network \(network.architecture), \(bytes.count) bytes")
    }

    /// The ONNX file's metadata_props (`network` is added from the graph): the model file's own
    /// entries (the training history, a long JSON list, left out), the input's shape and
    /// convention, and the outputs.
    static func metadata(of network: Network, from metadata: [String: String], inputShape: [Int]) -> [String: String] {
        var result = metadata
        result["history"] = nil
        let shape = (["N"] + inputShape.map(String.init)).joined(separator: ", ")
        let convention = metadata["input"] ?? (network.inputSize == MNISTDataset.side * MNISTDataset.side ? ModelMetadata.inputConvention : nil)
        result["input"] = "float32 [\(shape)]" + (convention.map { ": \($0)" } ?? "")
        result["outputs"] = "probabilities (Softmax), logits: float32 [N, \(network.classCount)]"
        return result
    }
}
