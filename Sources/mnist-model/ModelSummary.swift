// What `mnist-model info` shows of a model file: its modules with their output shapes and
// parameter counts, its metadata, and a summary of its training history.

import Foundation
import MNIST
import NeuralNet

/// One module of a model as `info` lists it.
struct ModuleRow: Encodable {
    var index: Int
    var module: String
    var output: [Int]
    var parameters: Int
}

/// A model file's structure and history, ready to print as text or JSON.
struct ModelSummary: Encodable {
    var file: String
    var network: String
    var input: [Int]
    var parameters: Int
    var modules: [ModuleRow]
    var metadata: [String: String]
    var epochs: Int?
    var finalTestAccuracy: Double?
    var bestValidationAccuracy: Double?
    var bestEpoch: Int?

    enum CodingKeys: String, CodingKey {
        case file, network, input, parameters, modules, metadata, epochs
        case finalTestAccuracy = "final_test_accuracy"
        case bestValidationAccuracy = "best_validation_accuracy"
        case bestEpoch = "best_epoch"
    }

    init(file: String, network: Network, metadata: [String: String]) {
        let architecture = network.architecture
        self.file = file
        self.network = architecture.description
        input = Self.dimensions(architecture.input)
        parameters = network.parameterCount
        let learned = Dictionary(grouping: architecture.tensorSpecs.filter { !Self.isStatistic($0.name) }) {
            Int($0.name.prefix { $0 != "." })!
        }
        modules = architecture.pytorchModules.enumerated().map { index, module in
            ModuleRow(index: index, module: String(module.dropFirst("nn.".count)),
                      output: Self.dimensions(architecture.shapes[index]),
                      parameters: learned[index, default: []].reduce(0) { $0 + $1.shape.reduce(1, *) })
        }
        var shown = metadata
        shown["history"] = nil
        self.metadata = shown
        let history = ModelMetadata.history(from: metadata) ?? []
        epochs = history.isEmpty ? nil : history.count
        finalTestAccuracy = metadata["test_accuracy"].flatMap(Double.init) ?? history.last?.testAccuracy
        let best = history.filter { $0.validationAccuracy != nil }.max { $0.validationAccuracy! < $1.validationAccuracy! }
        bestValidationAccuracy = best?.validationAccuracy
        bestEpoch = metadata["best_epoch"].flatMap(Int.init) ?? best?.epoch
    }

    /// The summary as lines of text.
    var text: String {
        var lines = ["\(file): \(network)", "input \(input.map(String.init).joined(separator: "x")), \(parameters.formatted()) learned parameters", ""]
        let width = max(modules.map(\.module.count).max() ?? 0, 6)
        lines.append("  #  " + "module".padding(toLength: width, withPad: " ", startingAt: 0) + "  output        parameters")
        for row in modules {
            let output = row.output.map(String.init).joined(separator: "x")
            let count = row.parameters == 0 ? "" : row.parameters.formatted()
            lines.append(String(format: "%3d  ", row.index) + row.module.padding(toLength: width, withPad: " ", startingAt: 0)
                         + "  " + output.padding(toLength: 12, withPad: " ", startingAt: 0) + String(repeating: " ", count: max(0, 12 - count.count)) + count)
        }
        if let epochs {
            var history = "trained \(epochs) epoch\(epochs == 1 ? "" : "s")"
            if let bestValidationAccuracy, let bestEpoch {
                history += "; best validation \(String(format: "%.2f%%", 100 * bestValidationAccuracy)) at epoch \(bestEpoch)"
            }
            if let finalTestAccuracy { history += "; test \(String(format: "%.2f%%", 100 * finalTestAccuracy))" }
            lines += ["", history]
        }
        if !metadata.isEmpty {
            lines += ["", "metadata:"]
            lines += metadata.keys.sorted().map { "  \($0): \(metadata[$0]!)" }
        }
        return lines.joined(separator: "\n")
    }

    private static func isStatistic(_ name: String) -> Bool {
        name.hasSuffix(".running_mean") || name.hasSuffix(".running_var") || name.hasSuffix(".num_batches_tracked")
    }

    private static func dimensions(_ shape: ImageShape) -> [Int] {
        shape.isSpatial ? [shape.channels, shape.height, shape.width] : [shape.count]
    }
}
