// mnist-eval: evaluates a trained model on an IDX image/label pair, or on a folder of labelled PNG
// and JPEG images (DIR/0/*.png … DIR/9/*.jpg), and reports accuracy, loss,
// per-class scores, the confusion matrix, the most frequent confusions and calibration, as a
// terminal table, JSON or Markdown, and optionally as a self-contained HTML page.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet
import Reports

@main
struct MNISTEval: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-eval",
        abstract: "Evaluate a digit classifier and report where it fails.",
        discussion: """
            Runs the model over a labelled IDX image/label pair (by default the bundled MNIST test \
            set), or with --images-dir DIR on your own PNG and JPEG images sorted into subfolders \
            DIR/0 … DIR/9 (torchvision's ImageFolder layout; each image preprocessed as \
            mnist-predict does; what else the folder holds is listed as skipped), and reports \
            overall accuracy and loss; precision, recall, F1 and support per class; the \
            confusion matrix; the most frequent confusions; and calibration (mean confidence \
            against accuracy, expected calibration error over 10 bins).

            The report goes to standard output as an aligned table, or with --json as one JSON \
            document (keys documented in docs/report-json.md), or with --markdown as Markdown. \
            --html DIR also writes DIR/index.html: a page with no scripts and no external files, \
            showing the confusion heat map, the training curves stored in the model, and the \
            most confident mistakes (for --images-dir, each image as drawn beside the 28×28 the \
            network saw). Images that cannot be read are listed in the report and left out of \
            its figures.

            Examples:
              mnist-eval --model model.safetensors --html report
              mnist-eval --images-dir my-digits --html my-report
            """,
        version: ToolVersion.text)

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("An IDX images file to evaluate on instead of the test set in --data (needs --labels).", valueName: "path"))
    var images: String?

    @Option(help: ArgumentHelp("The IDX labels file that goes with --images.", valueName: "path"))
    var labels: String?

    @Option(help: ArgumentHelp("A folder of labelled images to evaluate on: subfolders 0 … 9, each holding PNG or JPEG images of that digit.", valueName: "dir"))
    var imagesDir: String?

    @Flag(help: "With --images-dir: skip preprocessing, the images are already 28×28, white ink on black.")
    var raw = false

    @Flag(help: "Print the report as one JSON document.")
    var json = false

    @Flag(help: "Print the report as Markdown.")
    var markdown = false

    @Option(help: ArgumentHelp("Also write the report as DIR/index.html (the directory is created if needed).", valueName: "dir"))
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
        guard imagesDir == nil || images == nil else {
            throw ValidationError("choose one of --images-dir and --images/--labels")
        }
        guard !raw || imagesDir != nil else { throw ValidationError("--raw applies to --images-dir only") }
    }

    func run() throws {
        Terminal.lineBufferStandardOutput()
        // Before the evaluation, so that an unusable --html directory costs nothing.
        if let html {
            do {
                try OutputDirectory.make(html)
            } catch {
                throw EvalError.htmlDirectory(path: html, reason: error.reason)
            }
        }
        let (network, metadata) = try modelOptions.load(pool: ComputePool(threadCount: threads))
        let (dataset, dataDescription, folder) = try loadData()
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
            network: network.architecture.layerSizes == nil ? network.architecture.description : nil,
            history: ModelMetadata.history(from: metadata) ?? [],
            sampleFiles: folder?.files, unreadableFiles: folder?.failures ?? [])
        reportUnreadable(report.unreadableFiles, consequence: "not counted")
        for entry in folder?.skipped ?? [] {
            FileHandle.standardError.write(Data("skipped \(entry)\n".utf8))
        }

        if json {
            print(report.json())
        } else if markdown {
            print(report.markdown(), terminator: "")
        } else {
            print(report.text(), terminator: "")
        }
        if let html {
            let path = try report.loadingSourcePictures().writeHTML(toDirectory: html)
            // On stderr, so that standard output stays one document with --json and --markdown.
            FileHandle.standardError.write(Data("HTML report written to \(path)\n".utf8))
        }
    }

    /// The labelled samples, a description of where they came from, and for --images-dir the
    /// folder's files.
    private func loadData() throws -> (Dataset, String, LabelledImageFolder?) {
        if let imagesDir {
            let folder = try LabelledImageFolder(directory: imagesDir, raw: raw)
            return (folder.dataset, imagesDir, folder)
        }
        if let images, let labels {
            return (try MNISTDataset.loadPair(images: images, labels: labels, classCount: MNISTDataset.classCount), images, nil)
        }
        let (dataset, imagesPath) = try MNISTDataset.loadTestSet(directory: data)
        return (dataset, imagesPath, nil)
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
