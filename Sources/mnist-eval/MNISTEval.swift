// mnist-eval: evaluates a trained model on an IDX image/label pair and reports accuracy, loss,
// per-class scores, the confusion matrix, the most frequent confusions and calibration, as a
// terminal table, JSON or Markdown, and optionally as a self-contained HTML page.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet
import Reports

@main
struct MNISTEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-eval",
        abstract: "Evaluate a digit classifier and report where it fails.",
        discussion: """
            Runs the model over a labelled IDX image/label pair (by default the bundled MNIST test \
            set) and reports overall accuracy and loss; precision, recall, F1 and support per class; \
            the confusion matrix; the most frequent confusions; and calibration (mean confidence \
            against accuracy, expected calibration error over 10 bins).

            The report goes to standard output as an aligned table, or with --json as one JSON \
            document (keys documented in docs/report-json.md), or with --markdown as Markdown. \
            --html DIR also writes DIR/index.html: a page with no scripts and no external files, \
            showing the confusion heat map, the training curves stored in the model, and the \
            most confident mistakes.

            Example: mnist-eval --model model.safetensors --html report
            """)

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "An IDX images file to evaluate on instead of the test set in --data (needs --labels).")
    var images: String?

    @Option(help: "The IDX labels file that goes with --images.")
    var labels: String?

    @Flag(help: "Print the report as one JSON document.")
    var json = false

    @Flag(help: "Print the report as Markdown.")
    var markdown = false

    @Option(help: ArgumentHelp("Also write the report as DIR/index.html (the directory is created if needed).", valueName: "DIR"))
    var html: String?

    @OptionGroup var threadOptions: ThreadOptions

    var model: String { modelOptions.model }
    var data: String { dataOptions.data }
    var threads: Int { threadOptions.threads }

    func validate() throws {
        guard !(json && markdown) else { throw ValidationError("choose one of --json and --markdown") }
        guard (images == nil) == (labels == nil) else {
            throw ValidationError("--images and --labels go together: give both or neither")
        }
    }

    func run() throws {
        // Before the evaluation, so that an unusable --html directory costs nothing.
        if let html {
            do {
                try OutputDirectory.make(html)
            } catch {
                throw EvalError.htmlDirectory(path: html, reason: error.reason)
            }
        }
        let (network, metadata) = try Network.load(from: model, pool: ComputePool(threadCount: threads))
        let (dataset, dataDescription) = try loadData()
        guard dataset.featureCount == network.inputSize else {
            throw EvalError.shapeMismatch(model: model, inputs: network.inputSize, data: dataDescription, features: dataset.featureCount)
        }
        guard dataset.classCount == network.classCount else {
            throw EvalError.classMismatch(model: model, classes: network.classCount, data: dataDescription, dataClasses: dataset.classCount)
        }
        let probabilities = network.probabilities(on: dataset)
        // Finite but huge weights pass the loader yet overflow Float32 here; the metrics need numbers.
        guard probabilities.storage.allSatisfy(\.isFinite) else { throw EvalError.nonFiniteOutputs(model: model) }
        let report = EvaluationReport(
            metrics: ClassificationMetrics(probabilities: probabilities, labels: dataset.labels), dataset: dataset,
            modelPath: model, dataDescription: dataDescription, layerSizes: network.layerSizes,
            history: ModelMetadata.history(from: metadata) ?? [])

        if json {
            print(report.json())
        } else if markdown {
            print(report.markdown(), terminator: "")
        } else {
            print(report.text(), terminator: "")
        }
        if let html {
            let path = try report.writeHTML(toDirectory: html)
            // On stderr, so that standard output stays one document with --json and --markdown.
            FileHandle.standardError.write(Data("HTML report written to \(path)\n".utf8))
        }
    }

    /// The labelled samples and a description of where they came from.
    private func loadData() throws -> (Dataset, String) {
        if let images, let labels {
            return (try MNISTDataset.loadPair(images: images, labels: labels, classCount: MNISTDataset.classCount), images)
        }
        let (dataset, imagesPath) = try MNISTDataset.loadTestSet(directory: data)
        return (dataset, imagesPath)
    }
}

/// A model and a dataset that do not fit together.
enum EvalError: Error, CustomStringConvertible {
    case shapeMismatch(model: String, inputs: Int, data: String, features: Int)
    case classMismatch(model: String, classes: Int, data: String, dataClasses: Int)
    case nonFiniteOutputs(model: String)
    case htmlDirectory(path: String, reason: String)

    var description: String {
        switch self {
        case .shapeMismatch(let model, let inputs, let data, let features):
            return "\(model) takes \(inputs) inputs per sample but \(data) holds \(features) pixels per image"
        case .classMismatch(let model, let classes, let data, let dataClasses):
            return "\(model) tells \(classes) classes apart but \(data) has \(dataClasses)"
        case .nonFiniteOutputs(let model):
            return "\(model): the model's outputs are not finite numbers (the activations overflow Float32); it does not look like a trained model"
        case .htmlDirectory(let path, let reason):
            return "--html \(path): \(reason)"
        }
    }
}
