// mnist-model info: what a model file holds, in words or as JSON.

import ArgumentParser
import CLISupport
import Foundation
import NeuralNet

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's layers, output shapes, parameter counts, metadata and training history.",
        discussion: """
            The layers are the modules of the PyTorch nn.Sequential the file is a state dict of, \
            numbered as PyTorch numbers them (the tensors are named "<number>.weight" and so on). \
            The network is also given in mnist-train's --layers grammar.

            Examples:
              mnist-model info model.safetensors
              mnist-model info --json model.safetensors | python3 -m json.tool
            """)

    @Argument(help: ArgumentHelp("The model file (safetensors).", valueName: "model"))
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let (network, metadata) = try loadModel(model)
        let summary = ModelSummary(file: model, network: network, metadata: metadata)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.text)
        }
    }
}

/// The model at `path`, with a hint when there is no file there.
func loadModel(_ path: String) throws -> (network: Network, metadata: [String: String]) {
    guard FileManager.default.fileExists(atPath: path) else {
        throw RunFailure("no model at \(path): name a model file from mnist-train (or a PyTorch state dict in safetensors)")
    }
    return try Network.load(from: path)
}
