// mnist-model pytorch: a self-contained Python module defining the model as a PyTorch
// nn.Sequential whose state dict is the file's, so that a strict load_state_dict takes it as is.

import ArgumentParser
import CLISupport
import Foundation
import NeuralNet

struct PyTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pytorch",
        abstract: "Print a Python module that defines the model in PyTorch and loads its weights.",
        discussion: """
            The module defines `model = nn.Sequential(...)` with the file's layers; its \
            load_state_dict(safetensors.torch.load_file(MODEL)) is strict, and model.eval() then \
            gives the same probabilities as mnist-predict (within 1e-4) on the same input: grey \
            levels from 0.0 (background) to 1.0 (ink), the pixel byte / 255, no normalisation. \
            Run as a script, it loads the weights from the path given (or the model's own path).

            Example:
              mnist-model pytorch model.safetensors > model.py
              python3 model.py model.safetensors
            """)

    @Argument(help: ArgumentHelp("The model file (safetensors).", valueName: "model"))
    var model: String

    func run() throws {
        let (network, _) = try loadModel(model)
        print(Self.source(for: network.architecture, path: model))
    }

    /// The Python source for `architecture`, loading `path` when run as a script.
    static func source(for architecture: Architecture, path: String) -> String {
        let modules = architecture.pytorchModules.enumerated().map { "    \($1),  # \($0)" }
        return """
            \"\"\"\(architecture): a model trained by mnist-swift, as a PyTorch nn.Sequential.

            Input: float32 \(architecture.pytorchInputShape), grey levels from 0.0 (background) to 1.0 (ink),
            the pixel byte / 255 of a 28x28 MNIST-style image, row by row; no mean/std normalisation.
            Output: \(architecture.classCount) logits per sample (softmax gives the probabilities).
            \"\"\"

            import sys

            from torch import nn

            model = nn.Sequential(
            \(modules.joined(separator: "\n"))
            )


            def load(path: str = \(pythonString(path))) -> nn.Sequential:
                \"\"\"The model with the weights of `path`, in eval mode.\"\"\"
                import safetensors.torch

                model.load_state_dict(safetensors.torch.load_file(path), strict=True)
                return model.eval()


            if __name__ == "__main__":
                print(load(*sys.argv[1:2]))
            """
    }

    /// `text` as a Python string literal.
    private static func pythonString(_ text: String) -> String {
        jsonString(text)
    }
}
