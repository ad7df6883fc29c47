// `--model`: the safetensors model file a tool reads, and loading it with one message for a
// missing file in every tool.

import ArgumentParser
import Foundation
import MNIST
import NeuralNet

/// The `--model` option of the tools that use a trained model.
public struct ModelOptions: ParsableArguments {
    /// Where mnist-train writes its model unless told otherwise.
    public static let defaultPath = "model.safetensors"

    @Option(help: ArgumentHelp("The model file: from mnist-train, or a PyTorch nn.Sequential(Linear, ReLU, …) state dict (safetensors).", valueName: "path"))
    public var model: String = ModelOptions.defaultPath

    public init() {}

    /// The model and its file's metadata.
    /// - Throws: `RunFailure` with a hint when there is no file, `ModelError` when it is not a model.
    public func load(pool: ComputePool = .serial) throws -> (network: Network, metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: model) else {
            throw RunFailure("no model at \(model): run mnist-train first to train one, or pass --model <path>")
        }
        return try Network.load(from: model, pool: pool)
    }

    /// The model, checked to take 28×28 images and tell the 10 digits apart.
    /// - Throws: as `load(pool:)`, and `RunFailure` for a model of other sizes.
    public func loadDigitClassifier(pool: ComputePool = .serial) throws -> (network: Network, metadata: [String: String]) {
        let loaded = try load(pool: pool)
        let network = loaded.network
        guard network.inputSize == MNISTDataset.side * MNISTDataset.side, network.classCount == MNISTDataset.classCount else {
            throw RunFailure("\(model): the model takes \(network.inputSize) inputs and tells \(network.classCount) classes apart; digit images need 784 and 10")
        }
        return loaded
    }
}
