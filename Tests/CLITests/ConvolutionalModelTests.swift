// A convolutional network with batch norm through every tool: mnist-model describes it and writes
// it for PyTorch and ONNX (onnxruntime agreeing with mnist-predict), mnist-predict and mnist-eval
// take it as they take a perceptron.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// A small CNN trained in-process, and 200 test digits as 28×28 PNGs named by test-set index.
private struct CNNFixture: Sendable {
    // The second convolution takes the Winograd path (8 input channels, stride 1) in every tool.
    static let network = "1x28x28,8C5,BN,MP2,16C3,BN,MP2,32,BN,D0.1,10"
    let scratch: ScratchDirectory
    let model: String
    let digitsDirectory: URL

    static let shared = Result { try CNNFixture() }

    init() throws {
        scratch = try ScratchDirectory(prefix: "CNNTests")
        digitsDirectory = try scratch.subdirectory("digits")
        let mnist = BundledData.mnistDirectory + "/"
        let test = try MNISTDataset.loadPair(
            images: mnist + MNISTDataset.FileName.testImages + ".gz",
            labels: mnist + MNISTDataset.FileName.testLabels + ".gz")
        let network = Network(architecture: try Architecture(parsing: Self.network), seed: 3, pool: ComputePool(threadCount: 2))
        try network.train(on: test.prefix(2000), testingOn: test.prefix(10),
                          options: TrainingOptions(epochs: 1, batchSize: 32, optimizer: .adamW(learningRate: 0.003, weightDecay: 0)))
        model = scratch.path("cnn.safetensors")
        try network.save(to: model, metadata: ["test_accuracy": "0.9000", "input": ModelMetadata.inputConvention])
        try writeTestDigits(test, 9800..<10000, to: digitsDirectory)
    }
}

@Suite struct ConvolutionalModelTests {
    @Test func infoListsTheModulesWithShapesAndParameters() throws {
        let fixture = try CNNFixture.shared.get()
        let text = try CLI.run("mnist-model", ["info", fixture.model])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("\(fixture.model): \(CNNFixture.network)"))
        #expect(text.stdout.contains("Conv2d(1, 8, kernel_size=5, stride=1, padding=2, bias=False)   8x28x28"))
        #expect(text.stdout.contains("MaxPool2d(2)"))
        let json = try CLI.run("mnist-model", ["info", "--json", fixture.model])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["network"] as? String == CNNFixture.network)
        let modules = try #require(object["modules"] as? [[String: Any]])
        // conv, BN, ReLU, pool, conv, BN, ReLU, pool, flatten, linear, BN, ReLU, dropout, linear
        #expect(modules.count == 14)
        #expect(modules[4]["output"] as? [Int] == [16, 14, 14])
        #expect(modules[9]["parameters"] as? Int == 32 * 784)
        #expect(object["parameters"] as? Int == 200 + 16 + 1152 + 32 + 32 * 784 + 64 + 330)
    }

    @Test func pytorchSourceDefinesTheSequentialThatTheFileIsAStateDictOf() throws {
        let fixture = try CNNFixture.shared.get()
        let run = try CLI.run("mnist-model", ["pytorch", fixture.model])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("    nn.Conv2d(1, 8, kernel_size=5, stride=1, padding=2, bias=False),  # 0"))
        #expect(lines.contains("    nn.Dropout(0.1),  # 12"))
        #expect(lines.contains("    nn.Linear(32, 10, bias=True),  # 13"))
        #expect(run.stdout.contains("model.load_state_dict(safetensors.torch.load_file(path), strict=True)"))
        #expect(run.stdout.contains("Input: float32 [N, 1, 28, 28]"))
    }

    @Test func predictAndEvalTakeTheModelAsTheyTakeAPerceptron() throws {
        let fixture = try CNNFixture.shared.get()
        let predict = try CLI.run("mnist-predict", ["--model", fixture.model, "--raw", fixture.digitsDirectory.path])
        #expect(predict.status == 0, "\(predict.stderr)")
        #expect(predict.stdout.split(separator: "\n").count == 200)
        let eval = try CLI.run("mnist-eval", ["--model", fixture.model, "--data", BundledData.mnistDirectory])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains(CNNFixture.network), "\(eval.stdout.prefix(300))")
    }

    @Test(.enabled(if: pythonWithONNXRuntime != nil, "needs Python with onnx and onnxruntime (scripts/test installs them)"))
    func theONNXExportRunsInONNXRuntimeLikeMNISTPredict() throws {
        let fixture = try CNNFixture.shared.get()
        let onnx = fixture.scratch.path("cnn.onnx")
        let export = try CLI.run("mnist-model", ["onnx", fixture.model, "-o", onnx])
        #expect(export.status == 0, "\(export.stderr)")
        let predict = try CLI.run("mnist-predict", ["--model", fixture.model, "--raw", "--json", fixture.digitsDirectory.path])
        let predictions = fixture.scratch.path("predictions.jsonl")
        try Data(predict.stdout.utf8).write(to: URL(fileURLWithPath: predictions))
        let script = BundledData.packageRoot.appendingPathComponent("scripts/verify_onnx.py").path
        let verify = try CLI.run(executableAt: URL(fileURLWithPath: try #require(pythonWithONNXRuntime)),
                                 [script, onnx, "--compare-json", predictions], mergingOutput: true)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("network: Conv [8×1×5×5], BatchNormalization"), "\(verify.stdout)")
        #expect(verify.stdout.contains("200 images, 200 with the same class and probabilities within 1e-05"), "\(verify.stdout)")
    }
}
