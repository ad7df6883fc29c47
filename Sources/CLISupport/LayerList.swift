// A network as a command-line value: a layer-size list such as 784,128,64,10, or any network in
// NeuralNet's grammar (Architecture+Grammar.swift), such as 1x28x28,32C5,BN,MP2,128,10.

import ArgumentParser
import NeuralNet

/// A network given on the command line, checked shape by shape as it is parsed.
public struct LayerList: ExpressibleByArgument, Equatable, Sendable {
    /// The network.
    public var architecture: Architecture

    /// A known network, such as a default.
    public init(_ architecture: Architecture) {
        self.architecture = architecture
    }

    /// Parses the grammar; nil when it cannot (see `parse(_:)` for the reason, which options
    /// declared with `transform: LayerList.parse` report).
    public init?(argument: String) {
        guard let architecture = try? Architecture(parsing: argument) else { return nil }
        self.architecture = architecture
    }

    /// Parses the grammar, or throws a `ValidationError` that says what is wrong.
    public static func parse(_ argument: String) throws -> LayerList {
        do {
            return LayerList(try Architecture(parsing: argument))
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The network in the grammar, as written on the command line.
    public var description: String { architecture.description }

    public var defaultValueDescription: String { description }

    /// The grammar, for `--help`.
    public static let grammarHelp = """
        Sizes such as 784,128,64,10 (a ReLU between dense layers), or a network in the grammar: \
        an input (784, or an image 1x28x28), then 32C5 (a convolution: 32 channels, 5×5, \
        stride 1, same padding; 32C5S2 stride 2, 32C3P0 no padding), MP2 (2×2 max pooling), \
        BN (batch norm, before the ReLU), D0.25 (dropout), 128 (a dense layer), ending with \
        the classes, e.g. 1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10.
        """
}
