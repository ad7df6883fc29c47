// A layer-size list as a command-line value, read by NeuralNet's `parseLayerSizes`.

import ArgumentParser
import NeuralNet

/// A comma-separated list of two or more positive layer sizes, from inputs to classes.
public struct LayerList: ExpressibleByArgument, Equatable, Sendable {
    /// The sizes, inputs first.
    public var sizes: [Int]

    /// A list of known sizes, such as a default.
    public init(_ sizes: [Int]) {
        self.sizes = sizes
    }

    /// Parses `784,128,64,10`; spaces around a size are allowed. Nil for fewer than two sizes, a
    /// size that is not a positive integer, or an empty entry (`784,,10` is a typo, not `784,10`).
    public init?(argument: String) {
        guard let sizes = parseLayerSizes(argument) else { return nil }
        self.sizes = sizes
    }

    /// `784,128,64,10`, as written on the command line.
    public var description: String {
        sizes.map(String.init).joined(separator: ",")
    }

    public var defaultValueDescription: String { description }
}
