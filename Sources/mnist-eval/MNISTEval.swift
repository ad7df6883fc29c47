// mnist-eval: evaluates a trained model on an IDX image/label pair and reports accuracy, loss,
// per-class scores, the confusion matrix, the most frequent confusions and calibration, as a
// terminal table, JSON or Markdown, and optionally as a self-contained HTML page.

import ArgumentParser
import Foundation
import MNIST
import NeuralNet

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

    @Option(help: "The model file to evaluate (safetensors, as written by mnist-train).")
    var model: String = "model.safetensors"

    @Option(help: "Directory holding t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (gzip or raw).")
    var data: String = MNIST.bundledDataDirectory

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

    @Option(help: "Threads for the matrix products.")
    var threads: Int = ComputePool.availableCores

    func validate() throws {
        guard !(json && markdown) else { throw ValidationError("choose one of --json and --markdown") }
        guard (images == nil) == (labels == nil) else {
            throw ValidationError("--images and --labels go together: give both or neither")
        }
        guard (1...255).contains(threads) else { throw ValidationError("--threads must be 1 to 255, got \(threads)") }
    }

    func run() throws {
        // Before the evaluation, so that an unusable --html directory costs nothing.
        if let html { try Self.makeDirectory(html) }
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

    /// Creates `path` (and its parents) unless it is already a directory.
    private static func makeDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw EvalError.htmlDirectory(path: path, reason: "is a file, not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw EvalError.htmlDirectory(path: path, reason: "cannot be created (\(String(cString: strerror(errno))))")
        }
    }

    /// The labelled samples and a description of where they came from.
    private func loadData() throws -> (Dataset, String) {
        if let images, let labels {
            return (try MNIST.loadPair(images: images, labels: labels, classCount: MNIST.classCount), images)
        }
        let (dataset, imagesPath) = try MNIST.loadTestSet(directory: data)
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
