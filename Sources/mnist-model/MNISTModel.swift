// mnist-model: tools for a trained model file. Each subcommand lives in its own file; `onnx`
// writes the model as ONNX for other runtimes.

import ArgumentParser
import CLISupport

@main
struct MNISTModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-model",
        abstract: "Work with a trained model file: convert it for other runtimes.",
        discussion: """
            Each subcommand takes a model file written by mnist-train (or a PyTorch \
            nn.Sequential(Linear, ReLU, …) state dict saved as safetensors). \
            Run `mnist-model help SUBCOMMAND` for a subcommand's options.

            Examples:
              mnist-model onnx model.safetensors -o model.onnx
            """,
        version: ToolVersion.text,
        subcommands: [ONNXCommand.self])
}
