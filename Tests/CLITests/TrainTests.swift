// End-to-end runs of the built mnist-train: the edge set to 100%, a short MNIST run writing a
// loadable model, reproducibility across runs, bad options failing cleanly, and the progress
// output in a pipe and on a terminal.

import Foundation
import NeuralNet
import TestSupport
import Testing

/// Runs mnist-train with `arguments` in `directory` (through CLITestSupport's runner).
private func mnistTrain(_ arguments: [String], in directory: URL) throws -> CLIRun {
    try CLI.run("mnist-train", arguments, in: directory)
}

/// A scratch directory for one test's runs, removed afterwards.
private func runDirectory() throws -> ScratchDirectory {
    try ScratchDirectory(prefix: "TrainTests")
}

/// The bundled MNIST files, `data/mnist` at the package root.
private let dataDirectory = BundledData.mnistDirectory

/// `test accuracy: 97.93% (9793/10000)`: the percentage and the two counts.
private func finalAccuracy(_ run: CLIRun) -> (percent: String, correct: Int, total: Int)? {
    guard let last = run.stdoutLines.last, let match = last.wholeMatch(of: /test accuracy: (\d+\.\d\d)% \((\d+)\/(\d+)\)/) else { return nil }
    return (String(match.1), Int(match.2)!, Int(match.3)!)
}

/// One invalid invocation, the words its error must contain, and whether it fails in validation.
struct BadInvocation: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
}

@Suite(.serialized) struct TrainTests {
    @Test func edgeDatasetReachesFullAccuracy() throws {
        let directory = try runDirectory()
        let run = try mnistTrain(["--dataset", "edges", "--layers", "25,8,2", "--output", "edges.safetensors"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        let accuracy = try #require(finalAccuracy(run), "last line: \(run.stdoutLines.last ?? "")")
        #expect(accuracy.percent == "100.00" && accuracy.correct == accuracy.total && accuracy.total > 0)
        let (network, metadata) = try Network.load(from: directory.path("edges.safetensors"))
        #expect(network.layerSizes == [25, 8, 2])
        #expect(metadata["dataset"] == "edges")
        #expect(metadata["limit"] == nil, "no --limit given")
        #expect(metadata["threads"] != nil)
    }

    @Test(arguments: [("momentum", "0.01"), ("adam", "0.001")])
    func otherOptimizersTrainAndAreRecorded(optimizer: String, defaultRate: String) throws {
        let directory = try runDirectory()
        let run = try mnistTrain(["--dataset", "edges", "--optimizer", optimizer, "--epochs", "20", "--output", "edges.safetensors"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.contains { $0.contains("\(optimizer) with learning rate \(defaultRate)") }, "\(run.stdout)")
        let accuracy = try #require(finalAccuracy(run), "last line: \(run.stdoutLines.last ?? "")")
        #expect(accuracy.percent == "100.00")
        let (_, metadata) = try Network.load(from: directory.path("edges.safetensors"))
        #expect(metadata["optimizer"] == optimizer)
        #expect(metadata["learning_rate"] == defaultRate)
    }

    @Test func aCosineScheduleIsAnnouncedAndRecorded() throws {
        let directory = try runDirectory()
        let run = try mnistTrain(["--dataset", "edges", "--schedule", "cosine", "--epochs", "20", "--output", "edges.safetensors"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.contains { $0.contains("on a cosine schedule") }, "\(run.stdout)")
        let (_, metadata) = try Network.load(from: directory.path("edges.safetensors"))
        #expect(metadata["schedule"] == "cosine")
    }

    @Test func labelSmoothingIsAnnouncedAndRecorded() throws {
        let directory = try runDirectory()
        let run = try mnistTrain(["--dataset", "edges", "--label-smoothing", "0.1", "--output", "edges.safetensors"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.contains { $0.contains("label smoothing 0.1") }, "\(run.stdout)")
        #expect(finalAccuracy(run)?.percent == "100.00", "last line: \(run.stdoutLines.last ?? "")")
        let (_, metadata) = try Network.load(from: directory.path("edges.safetensors"))
        #expect(metadata["label_smoothing"] == "0.1")
        // The logits are divided by a temperature fitted on the training patches, below 1 as
        // smoothing leaves the answers too unsure (at the search's bound here: every patch is right).
        let line = try #require(run.stdoutLines.first { $0.hasPrefix("label smoothing: logits divided by") }, "\(run.stdout)")
        let stored = try #require(metadata["temperature"])
        let temperature = try #require(Float(stored))
        #expect(temperature >= 0.05 && temperature < 1, "\(line)")
    }

    @Test func shortMNISTRunWritesALoadableModel() throws {
        let directory = try runDirectory()
        let run = try mnistTrain(["--data", dataDirectory, "--limit", "2000", "--epochs", "1", "--seed", "7", "--threads", "2", "--output", "model.safetensors"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.contains { $0.hasPrefix("epoch  1/1") && $0.contains("loss") && $0.contains("test") }, "\(run.stdout)")
        let accuracy = try #require(finalAccuracy(run), "last line: \(run.stdoutLines.last ?? "")")
        #expect(accuracy.total == 10_000)
        #expect(accuracy.correct > 5_000, "a tiny run still learns: \(accuracy.percent)%")
        #expect(directory.contents == ["model.safetensors"], "nothing else is left behind")

        let (network, metadata) = try Network.load(from: directory.path("model.safetensors"))
        #expect(network.layerSizes == [784, 128, 64, 10])
        #expect(metadata["layers"] == "784,128,64,10")
        #expect(metadata["activation"] == "relu")
        #expect(metadata["test_correct"] == String(accuracy.correct))
        #expect(metadata["input"]?.contains("255") == true)
        // What reproducing the file needs beyond the recipe and the seed.
        #expect(metadata["threads"] == "2")
        #expect(metadata["limit"] == "2000")
    }

    @Test func sameSeedGivesIdenticalFilesAndAnotherSeedDiffers() throws {
        let directory = try runDirectory()
        for (name, seed) in [("a", "3"), ("b", "3"), ("c", "4")] {
            let run = try mnistTrain(["--data", dataDirectory, "--limit", "1000", "--epochs", "1", "--seed", seed, "-o", name], in: directory.url)
            try #require(run.status == 0, "\(run.stderr)")
        }
        let a = FileManager.default.contents(atPath: directory.path("a"))
        let b = FileManager.default.contents(atPath: directory.path("b"))
        let c = FileManager.default.contents(atPath: directory.path("c"))
        #expect(a != nil && a == b)
        #expect(a != c)
    }

    static let badInvocations = [
        BadInvocation(arguments: ["--layers", "100,10"], message: "--layers starts with 100"),
        BadInvocation(arguments: ["--layers", "784,32,5"], message: "--layers ends with 5"),
        BadInvocation(arguments: ["--dataset", "edges", "--layers", "784,128,10"], message: "--layers starts with 784"),
        BadInvocation(arguments: ["--layers", "784,abc,10"], message: "--layers"),
        BadInvocation(arguments: ["--layers", "784,0,10"], message: "--layers"),
        BadInvocation(arguments: ["--layers", "784,,10"], message: "The value '784,,10' is invalid for '--layers"),
        BadInvocation(arguments: ["--layers", "784,10,"], message: "The value '784,10,' is invalid for '--layers"),
        BadInvocation(arguments: ["--layers", "784,4000000000,10"], message: "--layers 784,4000000000,10 needs"),
        BadInvocation(arguments: ["--epochs", "0"], message: "--epochs must be positive"),
        BadInvocation(arguments: ["--epochs", "-1"], message: "--epochs must be positive, got -1"),
        BadInvocation(arguments: ["--recipe", "medium"], message: "--recipe must be standard, small or large"),
        BadInvocation(arguments: ["--dropout", "1"], message: "--dropout must be in [0, 1)"),
        BadInvocation(arguments: ["--label-smoothing", "1"], message: "--label-smoothing must be in [0, 1), got 1.0"),
        BadInvocation(arguments: ["--dataset", "edges", "--augment", "elastic"], message: "5×5 patches"),
        BadInvocation(arguments: ["--patience", "3"], message: "--patience needs a validation split"),
        BadInvocation(arguments: ["--validation", "60000"], message: "leaves no training images"),
        BadInvocation(arguments: ["--resume", "/nonexistent/run.ckpt"], message: "/nonexistent/run.ckpt"),
        BadInvocation(arguments: ["--batch-size", "0"], message: "--batch-size must be positive"),
        BadInvocation(arguments: ["--limit", "0"], message: "--limit must be positive"),
        BadInvocation(arguments: ["--threads", "0"], message: "--threads must be 1 to 255, got 0"),
        BadInvocation(arguments: ["--threads", "256"], message: "--threads must be 1 to 255, got 256"),
        BadInvocation(arguments: ["--learning-rate=-0.1"], message: "--learning-rate"),
        BadInvocation(arguments: ["--dataset", "cifar"], message: "cifar"),
        BadInvocation(arguments: ["--optimizer", "rmsprop"], message: "rmsprop"),
        BadInvocation(arguments: ["--optimizer", "momentum", "--momentum", "1"], message: "--momentum must be in [0, 1)"),
        BadInvocation(arguments: ["--limit", "2000", "--epochs", "1", "--learning-rate", "1e6"], message: "diverged"),
        BadInvocation(arguments: ["--data", "/nonexistent-mnist-directory"], message: "/nonexistent-mnist-directory"),
    ]

    @Test(arguments: badInvocations)
    func badOptionsFailWithAMessageAndNoModel(invocation: BadInvocation) throws {
        let directory = try runDirectory()
        var arguments = invocation.arguments
        if !arguments.contains("--data") { arguments += ["--data", dataDirectory] }
        let run = try mnistTrain(arguments + ["--output", "model.safetensors"], in: directory.url)
        #expect(run.status != 0)
        #expect(run.stderr.contains(invocation.message), "stderr: \(run.stderr)")
        #expect(directory.contents.isEmpty, "left behind: \(directory.contents)")
    }

    @Test func aFailedRunLeavesAnEarlierModelUntouched() throws {
        let directory = try runDirectory()
        let earlier = Data("an earlier model".utf8)
        try earlier.write(to: URL(fileURLWithPath: directory.path("model.safetensors")))
        let run = try mnistTrain(["--data", dataDirectory, "--limit", "2000", "--epochs", "1", "--learning-rate", "1e6", "-o", "model.safetensors"], in: directory.url)
        #expect(run.status != 0)
        #expect(FileManager.default.contents(atPath: directory.path("model.safetensors")) == earlier)
        #expect(directory.contents == ["model.safetensors"])
    }

    @Test func trainingInAPipePrintsPlainLines() throws {
        let directory = try runDirectory()
        let html = directory.path("train-report")
        let result = try mnistTrain([
            "--data", dataDirectory, "--limit", "1000", "--epochs", "2", "--threads", "1",
            "--output", "piped.safetensors", "--html", html,
        ], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("\r"))
        #expect(!result.stdout.contains("\u{1B}"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("epoch ") }.count == 2)
        #expect(lines.last?.hasPrefix("test accuracy: ") == true)
        let page = try String(contentsOfFile: html + "/index.html", encoding: .utf8)
        #expect(page.contains("Accuracy per epoch"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func trainingOnATerminalRedrawsInPlace() throws {
        let directory = try runDirectory()
        let train = try CLI.executable(named: "mnist-train").path
        let command = "\(train) --dataset edges --epochs 2 --output \(directory.path("edges.safetensors"))"
        // util-linux `script` runs the command on a pseudo-terminal and copies what it printed.
        let result = try CLI.run(executableAt: URL(fileURLWithPath: "/usr/bin/script"), ["-qfec", command, "/dev/null"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\r\u{1B}[K"))
        #expect(result.stdout.contains("samples/s"))
        #expect(result.stdout.contains("epoch  2/2  loss"))
    }
}
