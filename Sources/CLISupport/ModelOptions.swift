// `--model`: the safetensors model file a tool reads.

import ArgumentParser

/// The `--model` option of the tools that use a trained model.
public struct ModelOptions: ParsableArguments {
    /// Where mnist-train writes its model unless told otherwise.
    public static let defaultPath = "model.safetensors"

    @Option(help: ArgumentHelp("The model file, as written by mnist-train (safetensors).", valueName: "path"))
    public var model: String = ModelOptions.defaultPath

    public init() {}
}
