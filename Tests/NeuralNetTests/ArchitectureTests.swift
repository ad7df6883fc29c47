// The network grammar: what it builds, how it prints, and the errors that name what is wrong.

import NeuralNet
import Testing

@Suite struct ArchitectureGrammarTests {
    @Test func plainLayerListsKeepTheirMeaning() throws {
        let parsed = try Architecture(parsing: "784,128,64,10")
        #expect(parsed == (try Architecture(layerSizes: [784, 128, 64, 10])))
        #expect(parsed.modules == [.dense(outputs: 128, bias: true), .relu, .dense(outputs: 64, bias: true), .relu,
                                   .dense(outputs: 10, bias: true)])
        #expect(parsed.description == "784,128,64,10")
        #expect(parsed.layerSizes == [784, 128, 64, 10])
    }

    @Test func aConvolutionalNetworkExpandsIntoPyTorchsModules() throws {
        let parsed = try Architecture(parsing: "1x28x28, 32c5, bn, mp2, 64C3S2P0, MP2, 128, BN, D0.25, 10")
        #expect(parsed.modules == [
            .convolution(channels: 32, kernel: 5, stride: 1, padding: 2, bias: false), .batchNorm, .relu, .maxPool(size: 2),
            .convolution(channels: 64, kernel: 3, stride: 2, padding: 0, bias: true), .relu, .maxPool(size: 2),
            .flatten, .dense(outputs: 128, bias: false), .batchNorm, .relu, .dropout(0.25), .dense(outputs: 10, bias: true),
        ])
        // 28 → conv same 28 → pool 14 → conv 3×3 stride 2 no padding 6 → pool 3: 64·3·3 = 576 features.
        #expect(parsed.shapes[6] == ImageShape(channels: 64, height: 3, width: 3))
        #expect(parsed.description == "1x28x28,32C5,BN,MP2,64C3S2P0,MP2,128,BN,D0.25,10")
        #expect(try Architecture(parsing: parsed.description) == parsed)
        #expect(parsed.layerSizes == nil)
        #expect(parsed.tensorSpecs.map(\.name) == [
            "0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
            "4.weight", "4.bias", "8.weight", "9.weight", "9.bias", "9.running_mean", "9.running_var",
            "9.num_batches_tracked", "12.weight", "12.bias",
        ])
        #expect(parsed.tensorSpecs.first { $0.name == "8.weight" }?.shape == [128, 576])
    }

    @Test func dropoutInAPerceptronTakesItsOwnPosition() throws {
        let parsed = try Architecture(layerSizes: [784, 100, 10], dropout: 0.5)
        #expect(parsed.description == "784,100,D0.5,10")
        #expect(parsed.tensorSpecs.map(\.name) == ["0.weight", "0.bias", "3.weight", "3.bias"])
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var text: String
        var words: String
        var testDescription: String { text }
    }

    static let refusals = [
        Refusal(text: "784", words: "at least two sizes"),
        Refusal(text: "784,0,10", words: "positive"),
        Refusal(text: "784,,10", words: "empty entry"),
        Refusal(text: "784,abc,10", words: "\"abc\""),
        Refusal(text: "1x28x28,32K5,10", words: "\"32K5\""),
        Refusal(text: "784,32C5,10", words: "needs an image"),
        Refusal(text: "1x28x28,32C5,MP2,MP2,MP2,MP2,MP2,10", words: "MP2 does not fit a 32x1x1 map"),
        Refusal(text: "1x4x4,8C7P0,10", words: "8C7P0 does not fit"),
        Refusal(text: "1x28x28,32C5,MP2", words: "end with a dense layer"),
        Refusal(text: "784,128,10,BN", words: "after the output layer"),
        Refusal(text: "784,128,BN,BN,10", words: "twice in a row"),
        Refusal(text: "784,128,D1.5,10", words: "probability in 0..<1"),
        Refusal(text: "2x2x2x2,10", words: "channels x height x width"),
        Refusal(text: "1x28x28,32C3P3,10", words: "padding below the kernel"),
    ]

    @Test(arguments: refusals)
    func badNetworksAreRefusedByName(refusal: Refusal) {
        do {
            let architecture = try Architecture(parsing: refusal.text)
            Issue.record("\(refusal.text) was accepted as \(architecture)")
        } catch {
            #expect(error.description.contains(refusal.words), "\(error.description)")
        }
    }
}

@Suite struct ArchitecturePyTorchTests {
    /// The modules scripts/make_cnn_fixture.py builds by hand, whose state dict the PyTorch
    /// agreement tests load: the generated source must be that network.
    @Test func modulesAreThoseOfTheFixturesSequential() throws {
        let architecture = try Architecture(parsing: "1x8x8,4C3,BN,MP2,6C3S2,8,BN,3")
        #expect(architecture.pytorchModules == [
            "nn.Conv2d(1, 4, kernel_size=3, stride=1, padding=1, bias=False)",
            "nn.BatchNorm2d(4)",
            "nn.ReLU()",
            "nn.MaxPool2d(2)",
            "nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=1, bias=True)",
            "nn.ReLU()",
            "nn.Flatten()",
            "nn.Linear(24, 8, bias=False)",
            "nn.BatchNorm1d(8)",
            "nn.ReLU()",
            "nn.Linear(8, 3, bias=True)",
        ])
        #expect(architecture.pytorchInputShape == "[N, 1, 8, 8]")
    }

    @Test func aPerceptronWithDropoutKeepsItsPositions() throws {
        let architecture = try Architecture(layerSizes: [784, 100, 10], dropout: 0.25)
        #expect(architecture.pytorchModules == ["nn.Linear(784, 100, bias=True)", "nn.ReLU()", "nn.Dropout(0.25)", "nn.Linear(100, 10, bias=True)"])
        #expect(architecture.pytorchInputShape == "[N, 784]")
    }
}
