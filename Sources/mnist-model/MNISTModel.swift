// mnist-model: tools for a trained model file. Each subcommand lives in its own file; `onnx`
// writes the model as ONNX for other runtimes.

import ArgumentParser
import CLISupport

@main
struct MNISTModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-model",
        abstract: "Work with a trained model file: inspect it, or write it for PyTorch and other runtimes.",
        discussion: """
            Each subcommand takes a model file written by mnist-train (or a PyTorch nn.Sequential \
            state dict saved as safetensors, with the network in its "layers" metadata when it \
            is more than Linear and ReLU layers). \
            Run `mnist-model help SUBCOMMAND` for a subcommand's options.

            Examples:
              mnist-model info model.safetensors
              mnist-model pytorch model.safetensors > model.py
              mnist-model onnx model.safetensors -o model.onnx
            """,
        version: ToolVersion.text,
        subcommands: [InfoCommand.self, PyTorchCommand.self, ONNXCommand.self])
}
