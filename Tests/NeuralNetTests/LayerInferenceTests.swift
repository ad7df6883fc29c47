// State dicts without our metadata, as PyTorch saves them: which ones load, and what the refusals
// say about the others (convolutions, Linear without bias, positions that break the alternation).

import NeuralNet
import Testing

@Suite struct LayerInferenceTests {
    /// A tensor of zeros with this name and shape.
    static func tensor(_ name: String, _ shape: [Int]) -> Tensor {
        Tensor(name: name, shape: shape, values: Array(repeating: 0.25, count: shape.reduce(1, *)))
    }

    /// `Linear(a, b), ReLU, Linear(b, c), …` as a state dict.
    static func sequential(_ sizes: [Int]) -> [Tensor] {
        zip(sizes, sizes.dropFirst()).enumerated().flatMap { index, pair in
            [tensor("\(2 * index).weight", [pair.1, pair.0]), tensor("\(2 * index).bias", [pair.1])]
        }
    }

    @Test(arguments: [[784, 10], [784, 16, 10], [4, 3, 2, 5, 6]])
    func sequentialOfLinearLayersLoads(sizes: [Int]) throws {
        #expect(try Network(safeTensors: SafeTensors(tensors: Self.sequential(sizes))).layerSizes == sizes)
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var tensors: [Tensor]
        var error: ModelError
        var words: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "convolution", tensors: [tensor("0.weight", [8, 1, 3, 3]), tensor("0.bias", [8]), tensor("2.weight", [10, 72]), tensor("2.bias", [10])],
                error: .notLinearWeight(name: "0.weight", shape: [8, 1, 3, 3]), words: "convolution"),
        Refusal(name: "1-D weight", tensors: [tensor("0.weight", [8]), tensor("0.bias", [8])],
                error: .notLinearWeight(name: "0.weight", shape: [8]), words: "2-D"),
        Refusal(name: "missing bias", tensors: [tensor("0.weight", [3, 4])],
                error: .missingBias("0.weight"), words: "bias=False"),
        Refusal(name: "bias without weight", tensors: sequential([4, 3]) + [tensor("2.bias", [2])],
                error: .missingTensor("2.weight (for 2.bias)"), words: "missing"),
        Refusal(name: "two Linear layers in a row", tensors: sequential([4, 3]) + [tensor("1.weight", [2, 3]), tensor("1.bias", [2])],
                error: .notLinearReLUAlternation([0, 1]), words: "0, 2, 4"),
        Refusal(name: "a layer skipped", tensors: sequential([4, 3]) + [tensor("4.weight", [2, 3]), tensor("4.bias", [2])],
                error: .notLinearReLUAlternation([0, 4]), words: "0, 2, 4"),
        Refusal(name: "not starting at 0", tensors: [tensor("1.weight", [2, 3]), tensor("1.bias", [2])],
                error: .notLinearReLUAlternation([1]), words: "0, 2, 4"),
        Refusal(name: "shapes that do not chain", tensors: sequential([4, 3]) + [tensor("2.weight", [2, 5]), tensor("2.bias", [2])],
                error: .layersDoNotChain(name: "2.weight", inputs: 5, previousOutputs: 3), words: "takes 5 inputs"),
        Refusal(name: "bias of the wrong length", tensors: [tensor("0.weight", [3, 4]), tensor("0.bias", [2])],
                error: .shapeMismatch(name: "0.bias", expected: [3], found: [2]), words: "shape [2]"),
        Refusal(name: "a prefixed name", tensors: [tensor("net.0.weight", [3, 4]), tensor("net.0.bias", [3])],
                error: .notSequentialName("net.0.weight"), words: "N.weight"),
        Refusal(name: "batch norm", tensors: sequential([4, 3]) + [tensor("1.running_mean", [3])],
                error: .notSequentialName("1.running_mean"), words: "nn.Sequential"),
        Refusal(name: "no tensors", tensors: [], error: .noTensors, words: "no tensors"),
    ]

    @Test(arguments: refusals)
    func refusalSaysWhatWasFound(refusal: Refusal) {
        #expect(throws: refusal.error) { try Network(safeTensors: SafeTensors(tensors: refusal.tensors)) }
        #expect(refusal.error.description.contains(refusal.words), "\(refusal.error)")
    }

    @Test func metadataWinsOverTheShapes() throws {
        // Our own files keep being checked against the list they declare.
        let document = SafeTensors(metadata: ["layers": "4,2"], tensors: Self.sequential([4, 3]))
        #expect(throws: ModelError.shapeMismatch(name: "0.weight", expected: [2, 4], found: [3, 4])) {
            try Network(safeTensors: document)
        }
    }

    @Test(arguments: [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "a PNG image"),
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 16], "a JPEG image"),
        (Array(#"  {"layers": "784,10"}"#.utf8), "a JSON document"),
        (Array("784,128,64,10\nhello\n".utf8), "a text file"),
        (Array("{ not json".utf8), "a text file"),
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0], "a ZIP archive"),
    ] as [([UInt8], String)])
    func commonFilesAreRecognised(bytes: [UInt8], kind: String) {
        #expect(FileSignature.kind(of: bytes)?.hasPrefix(kind) == true, "\(String(describing: FileSignature.kind(of: bytes)))")
    }

    @Test func aSafeTensorsFileIsNotRecognisedAsSomethingElse() throws {
        let bytes = SafeTensors(tensors: Self.sequential([4, 3])).encoded()
        #expect(FileSignature.kind(of: bytes) == nil)
        #expect(FileSignature.kind(of: [0x12, 0x00, 0xFE]) == nil)
    }
}
