// End-to-end runs of the built mnist-eval: a model trained here on a few thousand samples and
// saved to a temporary directory, evaluated by the executable on a small IDX pair written beside it.
// The executables are found and run through CLITestSupport.swift.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

@Suite(.serialized) struct EvalTests {
    /// A trained model and a 300-image test subset, made once for all tests.
    struct Fixture: Sendable {
        /// Kept for the whole run: the fixture is shared by every test.
        let scratch: ScratchDirectory
        let directory: String
        let modelPath: String
        let dataDirectory: String
        let imagesPath: String
        let labelsPath: String
        let expected: ClassificationMetrics

        init() throws {
            scratch = try ScratchDirectory(prefix: "EvalTests")
            directory = scratch.path
            dataDirectory = try scratch.subdirectory("data").path
            let (training, test) = try MNISTDataset.load(directory: BundledData.mnistDirectory)
            let network = try Network(layerSizes: [784, 32, 10], seed: 7)
            let options = TrainingOptions(epochs: 1, batchSize: 32, learningRate: 0.1, shuffleSeed: 7)
            let subset = test.prefix(300)
            let history = try network.train(on: training.prefix(3000), testingOn: subset, options: options)
            modelPath = directory + "/model.safetensors"
            try network.save(to: modelPath, metadata: ModelMetadata.training(dataset: "mnist", options: options, seed: 7, history: history))
            imagesPath = dataDirectory + "/" + MNISTDataset.FileName.testImages
            labelsPath = dataDirectory + "/" + MNISTDataset.FileName.testLabels
            let count = UInt32(subset.count)
            try Data(idxBytes(dimensions: [count, 28, 28], data: imageBytes(subset))).write(to: URL(fileURLWithPath: imagesPath))
            try Data(idxBytes(dimensions: [count], data: subset.labels.map(UInt8.init))).write(to: URL(fileURLWithPath: labelsPath))
            expected = network.metrics(on: subset)
        }
    }

    static let shared = Result { try Fixture() }

    @Test func jsonAgreesWithTheMetricsComputedInProcess() throws {
        let fixture = try Self.shared.get()
        let result = try CLI.run("mnist-eval", ["--model", fixture.modelPath, "--data", fixture.dataDirectory, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["samples"] as? Int == 300)
        #expect(json["correct"] as? Int == fixture.expected.correct)
        #expect(json["confusion_matrix"] as? [[Int]] == fixture.expected.confusion.counts)
        #expect(json["data"] as? String == fixture.imagesPath)
        // Foundation's JSON parser on Linux may be off in the last digit, hence the tolerance.
        let recall = try #require((json["classes"] as? [[String: Any]])?.compactMap { $0["recall"] as? Double })
        #expect(recall.count == 10)
        for (found, expected) in zip(recall, fixture.expected.classes.map(\.recall)) {
            #expect(abs(found - expected) < 1e-12)
        }
        #expect((json["history"] as? [Any])?.count == 1)
        // Sanity: a model trained on 3000 samples does far better than chance.
        #expect(fixture.expected.accuracy > 0.6)
    }

    @Test func defaultTableAndMarkdownOnAnImagesLabelsPair() throws {
        let fixture = try Self.shared.get()
        let pair = ["--model", fixture.modelPath, "--images", fixture.imagesPath, "--labels", fixture.labelsPath]
        let table = try CLI.run("mnist-eval", pair)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("(\(fixture.expected.correct)/300)"))
        #expect(table.stdout.contains("confusion matrix (rows: true class, columns: predicted class)"))
        #expect(table.stdout.contains("calibration: mean confidence"))
        let markdown = try CLI.run("mnist-eval", pair + ["--markdown"])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("# Evaluation of `\(fixture.modelPath)`"))
        #expect(markdown.stdout.contains("| class | precision | recall | F1 | support |"))
    }

    @Test func htmlReportIsWrittenIntoTheDirectory() throws {
        let fixture = try Self.shared.get()
        let output = fixture.directory + "/eval-report"
        let result = try CLI.run("mnist-eval", ["--model", fixture.modelPath, "--data", fixture.dataDirectory, "--html", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(output + "/index.html"))
        let page = try String(contentsOfFile: output + "/index.html", encoding: .utf8)
        #expect(page.contains("aria-label=\"confusion matrix\""))
        #expect(page.contains("Loss per epoch"))
        #expect(page.contains("data:image/png;base64,"))
    }

    @Test(arguments: [
        (["--model", "/nonexistent/model.safetensors"], "/nonexistent/model.safetensors"),
        (["--data", "/nonexistent-data"], "/nonexistent-data"),
        (["--images", "/nonexistent/images"], "--images and --labels go together"),
        (["--json", "--markdown"], "choose one of --json and --markdown"),
        (["--html", "/dev/null"], "--html /dev/null: is a file, not a directory"),
        (["--threads", "256"], "--threads must be 1 to 255, got 256"),
    ])
    func failuresExitNonZeroAndSayWhatIsWrong(arguments: [String], message: String) throws {
        let fixture = try Self.shared.get()
        let model = arguments.contains("--model") ? [] : ["--model", fixture.modelPath]
        let result = try CLI.run("mnist-eval", model + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing is reported before the failure is found")
    }

    @Test func modelFileThatIsNotAModelIsNamed() throws {
        let fixture = try Self.shared.get()
        let result = try CLI.run("mnist-eval", ["--model", fixture.labelsPath, "--data", fixture.dataDirectory])
        #expect(result.status != 0)
        #expect(result.stderr.contains(fixture.labelsPath))
    }
}

/// The pixels of an image dataset as stored.
private func imageBytes(_ dataset: Dataset) -> [UInt8] {
    guard case .bytes(let bytes, _) = dataset.features else { return [] }
    return bytes
}
