// The model behind the API: a PNG body is decoded and preprocessed with the same library calls as
// mnist-predict, then classified by one of as many copies of the network as there are cores; one
// forward pass gives the probabilities and the predicted class's saliency.

import CLISupport
import Foundation
import MNIST
import NeuralNet

/// A loaded model and what the API says about it.
final class DigitClassifier: Sendable {
    /// Below this confidence an answer is marked unsure. Chosen with scripts/unsure_threshold.py on
    /// the validation split of the `--recipe small` model: it flags 3.4% of the validation digits
    /// (81% of its mistakes), none of 30 drawn digits, and 13 of 14 drawn non-digits
    /// (docs/serve.md, "The unsure state").
    static let defaultUnsureBelow: Float = 0.95

    /// The model file, as given.
    let modelPath: String
    /// The layer sizes, inputs first.
    let layerSizes: [Int]
    /// The network as people read it: `784-128-64-10`, or the grammar (`1x28x28,32C5,…`).
    let network: String
    /// Number of trainable parameters.
    let parameterCount: Int
    /// The model file's metadata, as mnist-train wrote it.
    let metadata: [String: String]
    /// Answers whose confidence is below this are marked unsure.
    let unsureBelow: Float
    private let networks: NetworkPool
    private let preprocessor = DigitPreprocessor()

    /// Loads a model (from mnist-train, or a PyTorch state dict) as every tool does, checked to
    /// take 28×28 images and tell 10 digits apart, `copies` times: one network per core.
    /// - Throws: `RunFailure` or `ModelError` naming the file and the problem.
    init(modelPath: String, copies: Int = ProcessInfo.processInfo.activeProcessorCount,
         unsureBelow: Float = DigitClassifier.defaultUnsureBelow) throws {
        networks = try NetworkPool(count: max(copies, 1), modelPath: modelPath)
        self.modelPath = modelPath
        layerSizes = networks.layerSizes
        network = networks.network
        parameterCount = networks.parameterCount
        metadata = networks.metadata
        self.unsureBelow = unsureBelow
    }

    /// Networks that classify side by side.
    var copies: Int { networks.count }

    /// One line for the terminal: the layers and the stored test accuracy.
    var summary: String {
        let accuracy = testAccuracy.map { ", test accuracy \(ConfidenceText.percentRoundedDown($0))" } ?? ""
        return "model \(network)\(accuracy)"
    }

    /// The test accuracy recorded by mnist-train, if the file has one.
    var testAccuracy: Double? { metadata["test_accuracy"].flatMap(Double.init) }

    /// The same model file loaded again, with the same copies and threshold: what SIGHUP serves.
    /// - Throws: as `init`.
    func reloaded() throws -> DigitClassifier {
        try DigitClassifier(modelPath: modelPath, copies: copies, unsureBelow: unsureBelow)
    }

    /// Another model file served the same way.
    /// - Throws: as `init`.
    func loading(_ path: String) throws -> DigitClassifier {
        try DigitClassifier(modelPath: path, copies: copies, unsureBelow: unsureBelow)
    }

    /// The 28×28 input made from the PNG image in `png`, as mnist-predict makes it.
    /// - Throws: `APIError` with the status the request gets: 400 for what is not a PNG, 422 for
    ///   a PNG with no digit in it or one too large to decode.
    func input(png: [UInt8]) throws(APIError) -> GrayImage {
        do {
            return try preprocessor.input(decoding: png, path: "the request body", raw: false)
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
    }

    /// Classifies the PNG image in `png`.
    /// - Throws: `APIError` as `input(png:)` does.
    func classify(png: [UInt8]) throws(APIError) -> Prediction {
        let input = try input(png: png)
        let pixels = input.normalizedPixels
        let (probabilities, digit, saliency) = networks.withNetwork { $0.probabilitiesAndSaliency(of: pixels) }
        // A model with finite but huge weights can overflow Float32 and give NaN, which JSON
        // cannot carry.
        guard probabilities.allSatisfy(\.isFinite), saliency.allSatisfy(\.isFinite) else {
            throw APIError(.internalServerError, "the model gave no usable answer: its outputs are not finite numbers")
        }
        return Prediction(input: input, digit: digit, probabilities: probabilities, saliency: saliency,
                          unsure: probabilities[digit] < unsureBelow)
    }
}
