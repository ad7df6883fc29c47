// The compact grammar for networks, after the notation of Cireșan et al. (2012) and Deotte's
// MNIST study ("32C5-P2-64C5-P2-128-10"), written with commas so that a plain layer list such as
// 784,128,64,10 keeps its meaning:
//
//   1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,D0.3,10
//
//   784 | 28x28 | 1x28x28   the input: features, or an image (channels x height x width); first
//   32C5                    a convolution: 32 channels, 5×5 kernel, stride 1, "same" padding (k/2)
//   32C5S2  32C3P0          … with stride 2; with padding 0 (any P<n> below the kernel)
//   MP2                     max pooling over 2×2 windows, stride 2
//   128                     a dense (linear) layer of 128 units; the first one flattens the image
//   BN                      batch norm; straight after a convolution or dense layer it comes
//                           before that layer's ReLU, and the layer then has no bias
//   D0.3                    dropout with probability 0.3
//
// Every convolution and dense layer but the last is followed by a ReLU; the last dense layer gives
// the class scores. Tokens are case-insensitive.

import Foundation

extension Architecture: CustomStringConvertible {
    /// Parses a network written in the grammar above, checking every shape.
    /// - Throws: `ArchitectureError` naming the token or module at fault.
    public init(parsing text: String) throws(ArchitectureError) {
        let tokens = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = tokens.first, !first.isEmpty else { throw .emptyInput }
        let input = try Self.parseInput(first)
        let entries = try tokens.dropFirst().map { token throws(ArchitectureError) in try Self.parseEntry(token) }
        guard !entries.isEmpty else { throw .tooFewSizes(1) }
        guard let last = entries.indices.last(where: { entries[$0].isWeighted }) else { throw .lastIsNotDense }

        var modules: [Module] = []
        var shape = input
        func add(_ module: Module) throws(ArchitectureError) {
            let image = Self.isImage(input, before: modules[...])
            shape = try Self.shape(after: module, at: modules.count, given: shape, isImage: image)
            modules.append(module)
        }
        var index = 0
        while index < entries.count {
            let entry = entries[index]
            let normalized = index + 1 < entries.count && entries[index + 1] == .batchNorm
            switch entry {
            case .convolution(let channels, let kernel, let stride, let padding, _):
                try add(.convolution(channels: channels, kernel: kernel, stride: stride, padding: padding, bias: !normalized))
            case .dense(let outputs, _):
                if Self.isImage(input, before: modules[...]) { try add(.flatten) }
                try add(.dense(outputs: outputs, bias: !normalized))
            case .batchNorm:
                if index > 0, entries[index - 1] == .batchNorm { throw .misplacedBatchNorm("twice in a row") }
                try add(.batchNorm)
            default:
                try add(entry)
            }
            if entry.isWeighted {
                if index == last && normalized {
                    throw .misplacedBatchNorm("after the output layer: the class scores are not normalised")
                }
                if normalized {
                    try add(.batchNorm)
                    index += 1
                }
                if index < last { try add(.relu) }
            }
            index += 1
        }
        guard last == entries.count - 1, case .dense = entries[last] else { throw .lastIsNotDense }
        try self.init(input: input, modules: modules)
    }

    /// The network in the grammar: `784,128,64,10`, `1x28x28,32C5,BN,MP2,…,10`.
    public var description: String {
        ([input.description] + modules.compactMap(Self.grammarToken)).joined(separator: ",")
    }

    /// The grammar's token for `module` (the implied ReLU and flatten have none of their own, and
    /// are named as PyTorch names them).
    public static func token(for module: Module) -> String {
        grammarToken(module) ?? (module == .relu ? "ReLU" : "Flatten")
    }

    private static func grammarToken(_ module: Module) -> String? {
        switch module {
        case .convolution(let channels, let kernel, let stride, let padding, _):
            return "\(channels)C\(kernel)" + (stride == 1 ? "" : "S\(stride)") + (padding == kernel / 2 ? "" : "P\(padding)")
        case .maxPool(let size): return "MP\(size)"
        case .batchNorm: return "BN"
        case .dropout(let p): return "D\(p)"
        case .dense(let outputs, _): return "\(outputs)"
        case .relu, .flatten: return nil
        }
    }

    /// `784`, `28x28` (one channel) or `1x28x28`.
    private static func parseInput(_ token: String) throws(ArchitectureError) -> ImageShape {
        let parts = token.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.allSatisfy({ $0 != nil }) else {
            throw .badToken(token, reason: "the first entry is the input: a size such as 784, or an image such as 1x28x28")
        }
        let sizes = parts.map { $0! }
        guard sizes.allSatisfy({ $0 > 0 }) else { throw .badToken(token, reason: "input sizes must be positive") }
        switch sizes.count {
        case 1: return ImageShape(features: sizes[0])
        case 2: return ImageShape(channels: 1, height: sizes[0], width: sizes[1])
        case 3: return ImageShape(channels: sizes[0], height: sizes[1], width: sizes[2])
        default: throw .badToken(token, reason: "an image is channels x height x width, such as 1x28x28")
        }
    }

    /// One entry after the input, as the module it names (bias decided later).
    private static func parseEntry(_ token: String) throws(ArchitectureError) -> Module {
        let upper = token.uppercased()
        if upper.isEmpty { throw .badToken(token, reason: "an empty entry (two commas in a row?)") }
        if upper == "BN" { return .batchNorm }
        if upper.hasPrefix("MP") {
            guard let size = Int(upper.dropFirst(2)), size > 0 else {
                throw .badToken(token, reason: "max pooling is MP followed by the window size, such as MP2")
            }
            return .maxPool(size: size)
        }
        if upper.hasPrefix("D") {
            guard let p = Float(upper.dropFirst()), (0..<1).contains(p) else {
                throw .badToken(token, reason: "dropout is D followed by a probability in 0..<1, such as D0.25")
            }
            return .dropout(p)
        }
        if let size = Int(upper) {
            guard size > 0 else { throw .badToken(token, reason: "a layer size must be a positive whole number") }
            return .dense(outputs: size, bias: true)
        }
        return try parseConvolution(token, upper)
    }

    /// `32C5`, `32C5S2`, `32C3P0`, `64C3S2P1`.
    private static func parseConvolution(_ token: String, _ upper: String) throws(ArchitectureError) -> Module {
        let usage = "not a layer; expected a size (128), a convolution (32C5, 32C5S2, 32C3P0), MP2, BN or D0.25"
        var fields: [Character: Int] = [:]
        var letter: Character = "N"
        var digits = ""
        for character in upper + "$" {
            if character.isASCII && character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits), fields[letter] == nil else { throw .badToken(token, reason: usage) }
            fields[letter] = value
            digits = ""
            letter = character
        }
        guard let channels = fields["N"], let kernel = fields["C"],
              Set(fields.keys).isSubset(of: ["N", "C", "S", "P"]) else { throw .badToken(token, reason: usage) }
        let stride = fields["S"] ?? 1, padding = fields["P"] ?? kernel / 2
        guard channels > 0, kernel > 0, stride > 0, padding < kernel else {
            throw .badToken(token, reason: "channels, kernel and stride must be positive and the padding below the kernel")
        }
        return .convolution(channels: channels, kernel: kernel, stride: stride, padding: padding, bias: true)
    }
}

extension Architecture.Module {
    /// A convolution or dense layer: one that a ReLU follows (but the last).
    var isWeighted: Bool {
        switch self {
        case .convolution, .dense: return true
        default: return false
        }
    }
}

extension Architecture: Codable {
    /// Decodes the grammar's text, or (as older checkpoints stored it) an array of layer sizes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let sizes = try? container.decode([Int].self) {
            self = try Architecture(layerSizes: sizes)
        } else {
            self = try Architecture(parsing: container.decode(String.self))
        }
    }

    /// Encodes the grammar's text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
