// End-to-end runs of mnist-model: `onnx` writes a file that onnxruntime runs to the same classes
// and probabilities as mnist-predict (through scripts/verify_onnx.py, when Python has onnx and
// onnxruntime: scripts/test installs them), and refuses bad paths before loading anything.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// A small model trained in-process (with dropout, which the export leaves out), and 300 test
/// digits written as 28×28 PNGs in MNIST form named by their test-set index.
private struct ModelFixture: Sendable {
    let scratch: ScratchDirectory
    let model: String
    let digitsDirectory: URL

    static let shared = Result { try ModelFixture() }

    init() throws {
        scratch = try ScratchDirectory(prefix: "ModelTests")
        digitsDirectory = try scratch.subdirectory("digits")
        let mnist = BundledData.mnistDirectory + "/"
        let test = try MNISTDataset.loadPair(
            images: mnist + MNISTDataset.FileName.testImages + ".gz",
            labels: mnist + MNISTDataset.FileName.testLabels + ".gz")
        let network = try Network(layerSizes: [784, 32, 16, 10], dropout: 0.2, seed: 11)
        try network.train(on: test.prefix(3000), testingOn: test.prefix(10), options: TrainingOptions(epochs: 1, batchSize: 32, learningRate: 0.1))
        model = scratch.path("model.safetensors")
        try network.save(to: model, metadata: ["test_accuracy": "0.5000", "input": ModelMetadata.inputConvention])
        try writeTestDigits(test, 9700..<10000, to: digitsDirectory)
    }
}

/// Test digits `range` of `test` as 28×28 PNGs in MNIST form, named by their test-set index
/// (`09700.png`), as scripts/verify_onnx.py --compare-json matches them.
func writeTestDigits(_ test: Dataset, _ range: Range<Int>, to directory: URL) throws {
    let inputs = test.matrix(range)
    for row in 0..<range.count {
        let pixels = inputs.row(row).map { UInt8(($0 * 255).rounded()) }
        try GrayImage(width: 28, height: 28, pixels: pixels)
            .writePNG(to: directory.appendingPathComponent(String(format: "%05d.png", range.lowerBound + row)).path)
    }
}

/// A Python that has onnx, onnxruntime and NumPy: $MNIST_TEST_PYTHON, the test virtual
/// environment that scripts/test makes (.build/browser-venv), or python3; nil when none has them.
let pythonWithONNXRuntime: String? = {
    let venv = BundledData.packageRoot.appendingPathComponent(".build/browser-venv/bin/python").path
    let candidates = [ProcessInfo.processInfo.environment["MNIST_TEST_PYTHON"], venv, "/usr/bin/python3"].compactMap { $0 }
    return candidates.first { python in
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let run = try? CLI.run(executableAt: URL(fileURLWithPath: python), ["-c", "import onnx, onnxruntime, numpy"])
        return run?.status == 0
    }
}()

@Suite struct ModelTests {
    @Test(.enabled(if: pythonWithONNXRuntime != nil, "needs Python with onnx and onnxruntime (scripts/test installs them)"))
    func anExportedModelRunsInONNXRuntimeLikeMNISTPredict() throws {
        let fixture = try ModelFixture.shared.get()
        let onnx = fixture.scratch.path("model.onnx")
        let export = try CLI.run("mnist-model", ["onnx", fixture.model, "-o", onnx])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("wrote \(onnx): ONNX IR 7, opset 13, network 784,32,D0.2,16,D0.2,10"))

        let predict = try CLI.run("mnist-predict", ["--model", fixture.model, "--raw", "--json", fixture.digitsDirectory.path])
        #expect(predict.status == 0, "\(predict.stderr)")
        let predictions = fixture.scratch.path("predictions.jsonl")
        try Data(predict.stdout.utf8).write(to: URL(fileURLWithPath: predictions))

        let script = BundledData.packageRoot.appendingPathComponent("scripts/verify_onnx.py").path
        let verify = try CLI.run(executableAt: URL(fileURLWithPath: try #require(pythonWithONNXRuntime)),
                                 [script, onnx, "--compare-json", predictions], mergingOutput: true)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("onnx.checker passed (IR 7, opset ai.onnx 13"))
        #expect(verify.stdout.contains("test_accuracy: 0.5000"))
        #expect(verify.stdout.contains("network: Flatten, Gemm [32×784], Relu, Gemm [16×32], Relu, Gemm [10×16], Softmax"))
        #expect(verify.stdout.contains("compared with \(predictions): 300 images, 300 with the same class and probabilities within 1e-05"))
        #expect(verify.stdout.range(of: #"accuracy \d+\.\d\d% \(\d+/10000\)"#, options: .regularExpression) != nil)
    }

    @Test func theExportIsWrittenWholeAndTheSameEachTime() throws {
        let fixture = try ModelFixture.shared.get()
        let first = fixture.scratch.path("first.onnx"), second = fixture.scratch.path("second.onnx")
        #expect(try CLI.run("mnist-model", ["onnx", fixture.model, "-o", first]).status == 0)
        #expect(try CLI.run("mnist-model", ["onnx", fixture.model, "--output", second]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: second))))
        // 32·784 + 32 + 16·32 + 16 + 10·16 + 10 parameters of four bytes, and a little structure.
        #expect(bytes.count > 4 * 25_818 && bytes.count < 4 * 25_818 + 4_000)
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.scratch.url.path)
        #expect(!names.contains { $0.hasSuffix(".tmp") }, "no temporary file left: \(names)")
    }

    @Test func badPathsAreRefusedBeforeTheModelIsRead() throws {
        let fixture = try ModelFixture.shared.get()
        let scratch = try fixture.scratch.subdirectory("refusals-\(UUID().uuidString)")
        let existing = scratch.appendingPathComponent("old.onnx").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: existing))
        let cases: [([String], String)] = [
            (["onnx", fixture.model, "-o", scratch.path], "is a directory: name the ONNX file to write"),
            (["onnx", fixture.model, "-o", scratch.path + "/missing/m.onnx"], "directory \(scratch.path)/missing does not exist"),
            (["onnx", fixture.model, "-o", ""], "-o/--output is empty"),
            (["onnx", fixture.model, "-o", fixture.model], "is the model file itself"),
            (["onnx", scratch.path + "/none.safetensors", "-o", existing], "no model at \(scratch.path)/none.safetensors"),
            (["onnx", existing, "-o", scratch.path + "/new.onnx"], existing),
            (["onnx", fixture.model], "Missing expected argument '--output <out.onnx>'"),
        ]
        for (arguments, phrase) in cases {
            let run = try CLI.run("mnist-model", arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains(phrase), "\(arguments): \(run.stderr)")
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "old", "a refused run leaves the old file")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/new.onnx"))
    }

    @Test func helpNamesTheSubcommandsAndExplainsTheExport() throws {
        let root = try CLI.run("mnist-model", ["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("SUBCOMMANDS:") && root.stdout.contains("onnx"))
        let onnx = try CLI.run("mnist-model", ["help", "onnx"])
        #expect(onnx.status == 0)
        for phrase in ["float32 [N, 1, 28, 28]", "probabilities", "logits", "opset 13", "scripts/verify_onnx.py", "-o, --output <out.onnx>"] {
            #expect(onnx.stdout.contains(phrase), "\(phrase)")
        }
    }
}
