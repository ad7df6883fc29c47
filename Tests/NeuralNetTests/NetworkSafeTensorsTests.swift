// Saving a Network as safetensors and loading it back, and every way a model file can be refused.

import Foundation
import NeuralNet
import Testing

@Suite struct NetworkSafeTensorsTests {
    static func network() throws -> Network {
        try Network(layerSizes: [12, 7, 5, 3], seed: 17)
    }

    /// A fresh directory under the system's temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("NetworkSafeTensorsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func tensorsAreNamedAndShapedLikePyTorchSequential() throws {
        let document = try Self.network().safeTensors(metadata: ["test_accuracy": "0.5"])
        #expect(document.tensors.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
        #expect(document.tensors.map(\.shape) == [[7, 12], [7], [5, 7], [5], [3, 5], [3]])
        #expect(document.metadata["layers"] == "12,7,5,3")
        #expect(document.metadata["activation"] == "relu")
        #expect(document.metadata["test_accuracy"] == "0.5")
    }

    @Test func saveThenLoadGivesTheSameParametersAndPredictions() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        let original = try Self.network()
        try original.save(to: path, metadata: ["note": "hello"])
        let (loaded, metadata) = try Network.load(from: path)

        #expect(loaded.layerSizes == original.layerSizes)
        #expect(metadata["note"] == "hello")
        for (a, b) in zip(original.linearLayers, loaded.linearLayers) {
            #expect(a.weight == b.weight)
            #expect(a.bias == b.bias)
        }
        var generator = SeededGenerator(seed: 1)
        let x = GradientCheck.randomMatrix(rows: 10, columns: 12, using: &generator)
        #expect(original.probabilities(x) == loaded.probabilities(x))
        // Nothing but the model is left in the directory: the temporary file was renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
        // Saving the same network again gives the same bytes.
        let again = directory.appendingPathComponent("again.safetensors").path
        try original.save(to: again, metadata: ["note": "hello"])
        #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: again))
    }

    @Test func savingIntoAMissingDirectoryThrowsAndWritesNothing() throws {
        let path = "/nonexistent-\(UUID().uuidString)/model.safetensors"
        let error = try #require(throws: FileError.self) { try Self.network().save(to: path) }
        #expect(error.path == path)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func loadingAMissingFileNamesIt() {
        let path = "/nonexistent-\(UUID().uuidString).safetensors"
        #expect(throws: ModelError.file(FileError(path: path, reason: "no such file"))) {
            try Network.load(from: path)
        }
    }

    @Test func loadingACorruptFileNamesItAndTheProblem() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("short.safetensors").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: ModelError.self) { try Network.load(from: path) }
        #expect(error == .inFile(path, .format(.tooShort(byteCount: 3))))
        #expect(error.description.hasPrefix(path))
    }

    /// The saved document of the test network with one change made by `edit`.
    static func edited(_ edit: (inout SafeTensors) -> Void) throws -> SafeTensors {
        var document = try network().safeTensors()
        edit(&document)
        return document
    }

    static func replaceTensor(_ name: String, in document: inout SafeTensors, with tensor: Tensor) {
        let index = document.tensors.firstIndex { $0.name == name }!
        document.tensors[index] = tensor
    }

    @Test func missingTensor() throws {
        let document = try Self.edited { $0.tensors.removeAll { $0.name == "2.bias" } }
        #expect(throws: ModelError.missingTensor("2.bias")) { try Network(safeTensors: document) }
    }

    @Test func unexpectedTensor() throws {
        let document = try Self.edited { $0.tensors.append(Tensor(name: "6.weight", shape: [1], values: [0])) }
        #expect(throws: ModelError.unexpectedTensor("6.weight")) { try Network(safeTensors: document) }
    }

    @Test func wrongShape() throws {
        // The weight stored in × out instead of PyTorch's out × in.
        let document = try Self.edited { document in
            let weight = document["0.weight"]!
            Self.replaceTensor("0.weight", in: &document, with: Tensor(name: "0.weight", shape: [12, 7], values: weight.values))
        }
        #expect(throws: ModelError.shapeMismatch(name: "0.weight", expected: [7, 12], found: [12, 7])) {
            try Network(safeTensors: document)
        }
    }

    /// A PyTorch state dict carries no metadata: the layer list comes from the shapes.
    @Test func withoutMetadataTheLayersComeFromTheShapes() throws {
        let original = try Self.network()
        let document = SafeTensors(tensors: original.safeTensors().tensors.reversed())
        let loaded = try Network(safeTensors: document)
        #expect(loaded.layerSizes == [12, 7, 5, 3])
        var generator = SeededGenerator(seed: 3)
        let x = GradientCheck.randomMatrix(rows: 4, columns: 12, using: &generator)
        #expect(loaded.probabilities(x) == original.probabilities(x))
    }

    @Test(arguments: ["", "12", "12,x,3", "12,,5,3", "12,-7,5,3", "12,0,5,3"])
    func invalidLayersMetadata(layers: String) throws {
        let document = try Self.edited { $0.metadata["layers"] = layers }
        let error = #expect(throws: ModelError.self) { try Network(safeTensors: document) }
        guard case .invalidArchitecture(let list, _) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(list == layers)
    }

    @Test func layersMetadataThatDisagreesWithTheTensors() throws {
        let document = try Self.edited { $0.metadata["layers"] = "12,8,5,3" }
        #expect(throws: ModelError.shapeMismatch(name: "0.weight", expected: [8, 12], found: [7, 12])) {
            try Network(safeTensors: document)
        }
    }

    /// A tiny file whose metadata declares layers of billions of units must be refused from the
    /// tensors it actually holds, not crash allocating the declared network.
    @Test func hugeDeclaredLayersInATinyFile() throws {
        let document = try Self.edited { $0.metadata["layers"] = "4000000000,4000000000" }
        let error = try #require(throws: ModelError.self) { try Network(safeTensors: document) }
        #expect(error == .unexpectedTensor("2.weight"))
    }

    @Test func unsupportedActivation() throws {
        let document = try Self.edited { $0.metadata["activation"] = "tanh" }
        #expect(throws: ModelError.unsupportedActivation("tanh")) { try Network(safeTensors: document) }
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteValues(value: Float) throws {
        let document = try Self.edited { document in
            var bias = document["2.bias"]!
            bias.values[1] = value
            Self.replaceTensor("2.bias", in: &document, with: bias)
        }
        #expect(throws: ModelError.nonFiniteValues("2.bias")) { try Network(safeTensors: document) }
    }

    @Test func aFileWithoutOurFormatKeyButOtherwiseRightLoads() throws {
        // As PyTorch would write it: only the layer list, no activation or format entries.
        let document = try Self.edited { $0.metadata = ["layers": "12,7,5,3"] }
        #expect(try Network(safeTensors: document).layerSizes == [12, 7, 5, 3])
    }
}
