// mnist-serve loads models as the other tools do: a PyTorch state dict without our metadata, in
// half precision, serves the predictions the network built from its tensors gives.

import Foundation
import MNIST
import NeuralNet
@testable import mnist_serve
import Testing

@Suite struct TorchModelTests {
    @Test func aHalfPrecisionStateDictWithoutMetadataServes() throws {
        // 784-16-10 with weights that are exact in F16 (multiples of 1/256 below 1).
        let network = try Network(layerSizes: [784, 16, 10], seed: 9)
        for layer in network.linearLayers {
            for i in 0..<layer.weight.storage.count { layer.weight.storage[i] = (layer.weight.storage[i] * 256).rounded() / 256 }
            for i in 0..<layer.bias.storage.count { layer.bias.storage[i] = Float(i % 5) / 8 }
        }
        // What safetensors.torch.save_file(model.half().state_dict(), path) writes: F16, no metadata.
        var header = "{"
        var data: [UInt8] = []
        for (index, tensor) in network.safeTensors().tensors.enumerated() {
            let begin = data.count
            for value in tensor.values {
                withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            header += (index == 0 ? "" : ",") + "\"\(tensor.name)\":{\"dtype\":\"F16\",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(data.count)]}"
        }
        header += "}"
        while header.utf8.count % 8 != 0 { header += " " }
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init)
        bytes += Array(header.utf8) + data
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("torch-\(UUID().uuidString).safetensors").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let classifier = try DigitClassifier(modelPath: path)
        #expect(classifier.layerSizes == [784, 16, 10])
        #expect(classifier.testAccuracy == nil)
        let png = try ServeFixtures.digitPNG()
        let prediction = try classifier.classify(png: png)
        let input = try DigitPreprocessor().input(imageData: png, file: FileSystemPath("body"), raw: false)
        let expected = network.probabilities(Matrix([input.normalizedPixels])).row(0)
        #expect(prediction.probabilities.count == 10 && expected.count == 10)
        for (served, own) in zip(prediction.probabilities, expected) { #expect(abs(Double(served) - Double(own)) < 1e-6) }
    }
}
