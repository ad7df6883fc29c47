// The model behind the API: a PNG body is decoded and preprocessed with the same library calls as
// mnist-predict, then classified, and the predicted class's saliency computed.

import CLISupport
import Foundation
import MNIST
import NeuralNet
import Synchronization

/// A loaded model and what the API says about it.
final class DigitClassifier: Sendable {
    /// Images declaring more pixels than this are refused before decoding: a 2 MiB PNG body can
    /// declare a huge image, and every request in flight holds its decoded pixels.
    static let pixelLimit = 4_000_000

    /// The layer sizes, inputs first.
    let layerSizes: [Int]
    /// Number of trainable parameters.
    let parameterCount: Int
    /// The model file's metadata, as mnist-train wrote it.
    let metadata: [String: String]
    /// The network keeps its activations in reused buffers, so one request at a time uses it.
    private let network: Mutex<Network>
    private let preprocessor = DigitPreprocessor()

    /// Loads a model (from mnist-train, or a PyTorch state dict) as every tool does, checked to
    /// take 28×28 images and tell 10 digits apart.
    /// - Throws: `RunFailure` or `ModelError` naming the file and the problem.
    convenience init(modelPath: String) throws {
        var options = ModelOptions()
        options.model = modelPath
        let loaded = try options.loadDigitClassifier()
        self.init(network: loaded.network, metadata: loaded.metadata)
    }

    /// The classifier over a model already loaded and checked (`ModelOptions.loadDigitClassifier`).
    init(network: sending Network, metadata: [String: String]) {
        layerSizes = network.layerSizes
        parameterCount = network.parameterCount
        self.metadata = metadata
        self.network = Mutex(network)
    }

    /// One line for the terminal: the layers and the stored test accuracy.
    var summary: String {
        let layers = layerSizes.map(String.init).joined(separator: "-")
        let accuracy = testAccuracy.map { ", test accuracy \(ConfidenceText.percentRoundedDown($0))" } ?? ""
        return "model \(layers)\(accuracy)"
    }

    /// The test accuracy recorded by mnist-train, if the file has one.
    var testAccuracy: Double? { metadata["test_accuracy"].flatMap(Double.init) }

    /// Classifies the PNG image in `png`.
    /// - Throws: `APIError` with the status the request gets: 400 for what is not a PNG, 422 for
    ///   a PNG with no digit in it or one too large to decode.
    func classify(png: [UInt8]) throws(APIError) -> Prediction {
        let label = "the request body"
        let input: GrayImage
        do {
            input = try preprocessor.input(decoding: png, path: label, raw: false, pixelLimit: Self.pixelLimit)
        } catch {
            // Not a PNG: 400. A PNG too large to decode, or with no digit in it: 422.
            switch error {
            case .decoding(let failure):
                if case .tooLarge = failure { throw APIError(.unprocessableContent, failure.reason) }
                throw APIError(.badRequest, failure.reason)
            case .preprocessing(let failure):
                throw APIError(.unprocessableContent, failure.reason)
            }
        }

        let pixels = input.normalizedPixels
        let (probabilities, digit, saliency) = network.withLock { network in
            let probabilities = network.probabilities(Matrix([pixels]))
            let digit = probabilities.argmaxPerRow()[0]
            return (probabilities.row(0), digit, network.saliency(of: pixels, classIndex: digit))
        }
        // A model with finite but huge weights can overflow Float32 and give NaN, which JSON
        // cannot carry.
        guard probabilities.allSatisfy(\.isFinite), saliency.allSatisfy(\.isFinite) else {
            throw APIError(.internalServerError, "the model gave no usable answer: its outputs are not finite numbers")
        }
        return Prediction(input: input, digit: digit, probabilities: probabilities, saliency: saliency)
    }
}
