// mnist-train --init and --images-dir end to end: a perceptron and a small CNN fine-tuned on a
// folder of PNG digits, the same bytes for the same seed and threads, the metadata that records
// the start and the folder, and every bad input refused before any work.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// Two small models trained by mnist-train, and a labelled folder of 4 MNIST training digits
/// per class written as PNGs.
private struct FineTuneFixture: Sendable {
    static let cnnNetwork = "1x28x28,4C3S2,BN,MP2,8,BN,10"
    let scratch: ScratchDirectory
    let perceptron: String
    let cnn: String
    let edges: String
    let folder: String

    static let shared = Result { try FineTuneFixture() }

    init() throws {
        scratch = try ScratchDirectory(prefix: "FineTuneTests")
        perceptron = scratch.path("mlp.safetensors")
        cnn = scratch.path("cnn.safetensors")
        edges = scratch.path("edges.safetensors")
        for (output, extra) in [(perceptron, ["--layers", "784,32,10"]), (cnn, ["--layers", Self.cnnNetwork]),
                                (edges, ["--dataset", "edges"])] {
            let run = try CLI.run("mnist-train", ["--limit", "600", "--epochs", "1", "-o", output] + extra)
            guard run.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: run.stderr]) }
        }
        folder = try scratch.subdirectory("digits").path
        let (training, _) = try MNISTDataset.load(directory: BundledData.mnistDirectory)
        var written = [Int](repeating: 0, count: 10)
        let inputs = training.matrix(0..<200)
        for row in 0..<200 where written[training.labels[row]] < 4 {
            let label = training.labels[row]
            written[label] += 1
            let directory = folder + "/\(label)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pixels = inputs.row(row).map { UInt8(($0 * 255).rounded()) }
            try GrayImage(width: 28, height: 28, pixels: pixels).writePNG(to: directory + String(format: "/%05d.png", row))
        }
    }

    /// A copy of the folder in a fresh directory, to change.
    func folderCopy(_ name: String) throws -> String {
        let copy = scratch.path(name)
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        return copy
    }
}

@Suite struct FineTuneTests {
    /// A short fine-tune: 2,000 MNIST images to draw replay from, each folder image seen 5 times.
    static let quick = ["--limit", "2000", "--passes", "5", "--threads", "2"]

    @Test func aFineTuneFromAFolderRecordsItsStartAndFolder() throws {
        let fixture = try FineTuneFixture.shared.get()
        let output = fixture.scratch.path("tuned.safetensors")
        let run = try CLI.run("mnist-train", ["--init", fixture.perceptron, "--images-dir", fixture.folder,
                                              "--validation", "1", "-o", output] + Self.quick)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("recipe finetune: 1 epoch, batch 64, adamw with learning rate 0.0003"))
        #expect(run.stdout.contains("of which 30 images from \(fixture.folder), each seen 5 times, and 150 MNIST training images"))
        #expect(run.stdout.contains("before: test "))
        #expect(run.stdout.contains("validating on 10"))
        let (network, metadata) = try Network.load(from: output)
        #expect(network.architecture.description == "784,32,10")
        #expect(metadata["initialised_from"] == fixture.perceptron)
        #expect(metadata["images_dir"] == fixture.folder)
        #expect(metadata["images_count"] == "30")
        #expect(metadata["images_validation"] == "10")
        #expect(metadata["replay"] == "0.5")
        #expect(metadata["passes"] == "5")
        // The weights moved from the model's, not from random ones: the start is kept close.
        let (start, _) = try Network.load(from: fixture.perceptron)
        #expect(network.parameterCount == start.parameterCount)
    }

    @Test(arguments: [["--threads", "1"], ["--threads", "2"]])
    func theSameSeedAndThreadsGiveTheSameBytes(threads: [String]) throws {
        let fixture = try FineTuneFixture.shared.get()
        let tag = threads.joined()
        var files: [[UInt8]] = []
        for attempt in 0..<2 {
            let output = fixture.scratch.path("same\(tag)-\(attempt).safetensors")
            let run = try CLI.run("mnist-train", ["--init", fixture.perceptron, "--images-dir", fixture.folder, "--seed", "5",
                                                  "--limit", "2000", "--passes", "5", "-o", output] + threads)
            #expect(run.status == 0, "\(run.stderr)")
            files.append(try readFile(output))
        }
        #expect(files[0] == files[1])
        let other = fixture.scratch.path("other\(tag).safetensors")
        _ = try CLI.run("mnist-train", ["--init", fixture.perceptron, "--images-dir", fixture.folder, "--seed", "6",
                                        "--limit", "2000", "--passes", "5", "-o", other] + threads)
        #expect(try readFile(other) != files[0], "another seed draws other replay and shuffles")
    }

    @Test func aConvolutionalModelIsFineTunedWithItsNetworkKept() throws {
        let fixture = try FineTuneFixture.shared.get()
        let output = fixture.scratch.path("cnn-tuned.safetensors")
        let run = try CLI.run("mnist-train", ["--init", fixture.cnn, "--images-dir", fixture.folder, "-o", output] + Self.quick)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("training [\(FineTuneFixture.cnnNetwork)]"))
        let (network, metadata) = try Network.load(from: output)
        #expect(network.architecture.description == FineTuneFixture.cnnNetwork)
        #expect(metadata["initialised_from"] == fixture.cnn)
        #expect(try readFile(output) != readFile(fixture.cnn))
    }

    @Test func initAloneFineTunesOnMNIST() throws {
        let fixture = try FineTuneFixture.shared.get()
        let output = fixture.scratch.path("mnist-tuned.safetensors")
        let run = try CLI.run("mnist-train", ["--init", fixture.perceptron, "--limit", "1000", "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        let (_, metadata) = try Network.load(from: output)
        #expect(metadata["initialised_from"] == fixture.perceptron)
        #expect(metadata["images_dir"] == nil)
    }

    @Test func anUnreadableImageIsListedAndSkipped() throws {
        let fixture = try FineTuneFixture.shared.get()
        let folder = try fixture.folderCopy("with-broken")
        let broken = folder + "/3/broken.png"
        #expect(FileManager.default.createFile(atPath: broken, contents: Data("not a png".utf8)))
        let output = fixture.scratch.path("skipped.safetensors")
        let run = try CLI.run("mnist-train", ["--init", fixture.perceptron, "--images-dir", folder, "-o", output] + Self.quick)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("\(broken): error:"))
        #expect(run.stderr.contains("(skipped)"))
        #expect(try Network.load(from: output).metadata["images_count"] == "40")
    }

    /// Bad requests, each with a phrase its message must hold; none may write a model.
    @Test func badInputIsRefusedBeforeAnyWork() throws {
        let fixture = try FineTuneFixture.shared.get()
        let emptyClass = try fixture.folderCopy("empty-class")
        for file in try FileManager.default.contentsOfDirectory(atPath: emptyClass + "/7") {
            try FileManager.default.removeItem(atPath: emptyClass + "/7/" + file)
        }
        let noImages = try fixture.scratch.subdirectory("no-images").path
        try FileManager.default.createDirectory(atPath: noImages + "/0", withIntermediateDirectories: true)
        let cases: [(arguments: [String], phrase: String)] = [
            (["--init", fixture.perceptron, "--layers", "784,64,10"], "--layers cannot be used with --init"),
            (["--init", fixture.perceptron, "--dropout", "0.2"], "--dropout cannot be used with --init"),
            (["--init", fixture.perceptron, "--recipe", "cnn"], "a fine-tune keeps the model's network"),
            (["--init", fixture.scratch.path("missing.safetensors")], "no such file"),
            (["--init", fixture.edges, "--images-dir", fixture.folder], "starts with 25 inputs but the data has 784"),
            (["--init", fixture.perceptron, "--images-dir", emptyClass], "\(emptyClass)/7 holds no readable .png image"),
            (["--init", fixture.perceptron, "--images-dir", noImages], "hold no images (.png, .jpg, .jpeg)"),
            (["--init", fixture.perceptron, "--images-dir", fixture.folder, "--validation", "4"], "has only 4"),
            (["--replay", "0.3"], "--replay sets the mix of --images-dir training"),
            (["--images-dir", fixture.folder, "--replay", "1"], "--replay must be in [0, 1)"),
            (["--init", fixture.perceptron, "--resume", fixture.perceptron], "cannot be combined with --init"),
            (["--images-dir", fixture.folder, "--dataset", "edges"], "cannot be used with --dataset edges"),
        ]
        for (arguments, phrase) in cases {
            let output = fixture.scratch.path("refused.safetensors")
            let run = try CLI.run("mnist-train", arguments + ["--limit", "1000", "-o", output])
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains(phrase), "\(arguments): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output), "\(arguments)")
            #expect(run.stdout.isEmpty, "\(arguments): the run started: \(run.stdout)")
        }
    }
}
