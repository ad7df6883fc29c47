// A layer-size list as a command-line value, read by NeuralNet's `parseLayerSizes`.

import ArgumentParser
import NeuralNet

/// A comma-separated list of two or more positive layer sizes, from inputs to classes.
public struct LayerList: ExpressibleByArgument, CustomStringConvertible, Equatable, Sendable {
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

    /// Parses as `init?(argument:)` does, for an option's `transform:`, so that a refused list
    /// is answered with what is wrong (`--layers 784`: a network needs at least two sizes…)
    /// rather than ArgumentParser's bare "is invalid".
    /// - Throws: `ValidationError` with `LayerSizesError`'s description.
    public static func parse(_ argument: String) throws -> LayerList {
        do {
            return LayerList(try layerSizes(parsing: argument))
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `784,128,64,10`, as written on the command line.
    public var description: String {
        sizes.map(String.init).joined(separator: ",")
    }

    public var defaultValueDescription: String { description }
}
