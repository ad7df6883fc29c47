// mnist-predict: classifies PNG and JPEG images of handwritten digits with a model from mnist-train (or
// PyTorch).
// Loads the model once, decodes and preprocesses the images in parallel batches, prints one line
// per image, and exits with status 1 if any image could not be classified.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet

@main
struct MNISTPredict: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-predict",
        abstract: "Classify PNG and JPEG images of handwritten digits with a model from mnist-train or PyTorch.",
        discussion: """
            Each image is decoded (any PNG: grey, colour, palette, 16-bit, interlaced, \
            transparency counting as white paper; any JPEG: grey, colour, CMYK, progressive, \
            turned upright by its Exif orientation; the type is told by the content, not the \
            name) and brought into MNIST's form: ink made bright whichever way it was drawn, the \
            background removed, cropped to the ink, scaled to 20 pixels on its longer side and \
            centred by its centre of mass in a 28×28 field. A directory stands for the .png, \
            .jpg and .jpeg files in it, sorted by name.

            Prints one line per image, "digits/seven.png: 7 (98.7%)", or with --json one object \
            per line. A file that cannot be classified gets an error line naming the problem \
            (on standard error, or as {"file": …, "error": …} with --json); the others are \
            still classified, and the exit status is then 1.

            Examples:
              mnist-predict --model model.safetensors --top 3 data/samples
              mnist-predict --recursive my-digits
              mnist-predict - < photo.jpg
            """,
        version: ToolVersion.text)

    @OptionGroup var modelOptions: ModelOptions

    var model: String { modelOptions.model }

    @Option(parsing: .unconditional, help: ArgumentHelp("Show the K most likely digits with their probabilities, 1 to 10.", valueName: "k"))
    var top: Int = 1

    @Flag(help: "Print one JSON object per image: file, digit, confidence, probabilities (or file, error).")
    var json = false

    @Flag(help: "Skip preprocessing: the images are already 28×28, white ink on black, as in MNIST.")
    var raw = false

    @Flag(help: "Walk directories into their subfolders.")
    var recursive = false

    @Option(help: ArgumentHelp("Write the 28×28 image the network saw for each input, as PNG named like the input (subfolders mirrored), into this directory.", valueName: "dir"))
    var savePreprocessed: String?

    @Argument(help: ArgumentHelp("PNG or JPEG files, directories whose .png, .jpg and .jpeg files are classified, or - for one image on standard input.", valueName: "path"))
    var paths: [String]

    /// Images decoded and classified together; bounds memory for directories of any size.
    static let batchSize = 512

    func validate() throws {
        try requirePositive("--top", top)
        guard paths.filter({ $0 == InputCollection.standardInputName }).count <= 1 else {
            throw ValidationError("- (standard input) can be given once")
        }
        guard (1...10).contains(top) else { throw ValidationError("--top must be between 1 and 10, got \(top)") }
    }

    func run() throws {
        Terminal.lineBufferStandardOutput()
        let network = try modelOptions.loadDigitClassifier().network
        // A directory with nothing to classify is one failure in its place, never skipped silently.
        let inputs = InputCollection(recursive: recursive).inputs(paths)
        if let directory = savePreprocessed {
            try prepareSaveDirectory(directory, for: inputs)
        }
        let preparation = InputPreparation(raw: raw, saveDirectory: savePreprocessed)
        let format = PredictionFormat(top: top, json: json)
        var failures = 0

        var start = 0
        while start < inputs.count {
            let batch = Array(inputs[start..<min(start + Self.batchSize, inputs.count)])
            start += batch.count
            let prepared = preparation.prepare(batch)
            let ready = prepared.compactMap { try? $0.input.get() }
            let probabilities = ready.isEmpty ? nil : network.probabilities(Matrix(ready.map(\.normalizedPixels)))

            var row = 0
            for item in prepared {
                switch item.input {
                case .success:
                    let output = probabilities!.row(row)
                    row += 1
                    // A model with finite but huge weights can overflow Float32 and give NaN.
                    if output.allSatisfy(\.isFinite) {
                        print(format.prediction(file: item.path, probabilities: output))
                    } else {
                        failures += 1
                        format.report(FileError(path: item.path, reason: "the model gave no usable answer: \(nonFiniteOutputReason)"))
                    }
                case .failure(let failure):
                    failures += 1
                    format.report(failure)
                }
                if let saveFailure = item.saveFailure {
                    failures += 1
                    format.report(saveFailure)
                }
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    /// Creates the `--save-preprocessed` directory and the subfolders it mirrors, checks that it
    /// can be written, and refuses inputs that would be saved under the same name (`a/x.png` and
    /// `b/x.png` given as two arguments, or `x.png` and `x.jpg` in one folder).
    private func prepareSaveDirectory(_ directory: String, for inputs: [Input]) throws {
        var firstWithName: [String: String] = [:]
        for input in inputs {
            // Paths that give nothing to classify are never saved.
            guard let name = input.savedName else { continue }
            if let earlier = firstWithName[name] {
                let target = (directory as NSString).appendingPathComponent(name)
                throw RunFailure("--save-preprocessed: \(earlier) and \(input.name) would both be saved as \(target); classify them in separate runs or rename one")
            }
            firstWithName[name] = input.name
        }
        let subfolders = Set(firstWithName.keys.map { ($0 as NSString).deletingLastPathComponent }.filter { !$0.isEmpty })
        do {
            try OutputDirectory.make(directory)
            try OutputDirectory.checkWritable(directory)
            for subfolder in subfolders.sorted() {
                try OutputDirectory.make((directory as NSString).appendingPathComponent(subfolder))
            }
        } catch {
            throw RunFailure("--save-preprocessed: \(error.path) \(error.reason)")
        }
    }

    /// Why outputs that are not finite numbers mean the model is broken, not the image.
    private var nonFiniteOutputReason: String {
        "its outputs are not finite numbers (the activations overflow Float32); \(model) does not look like a trained model"
    }
}
