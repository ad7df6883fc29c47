// The JSON bodies of the API's answers (docs/serve.md describes each field).

import Foundation
import Hummingbird
import MNIST

/// The answer to `POST /api/predict`.
struct Prediction: ResponseEncodable, Equatable {
    /// The most likely digit.
    var digit: Int
    /// Its probability.
    var confidence: Float
    /// The ten probabilities, digit 0 first.
    var probabilities: [Float]
    /// Side of the square input (28).
    var side: Int
    /// The image the network received, row-major grey levels 0…255, ink bright.
    var input: [UInt8]
    /// The gradient of the predicted digit's score (its logit) with respect to each input pixel
    /// (scaled 0…1), row-major.
    var saliency: [Float]

    init(input image: GrayImage, probabilities: [Float], saliency: [Float]) {
        let digit = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        self.digit = digit
        confidence = probabilities[digit]
        self.probabilities = probabilities
        side = image.width
        input = image.pixels
        self.saliency = saliency
    }
}

/// The answer to `GET /api/model`.
struct ModelFacts: ResponseEncodable {
    /// Layer sizes, inputs first.
    var layers: [Int]
    /// Trainable parameters.
    var parameters: Int
    /// Test accuracy recorded by mnist-train (0…1), when the file has it.
    var testAccuracy: Double?
    /// Every metadata entry of the model file, as stored.
    var metadata: [String: String]

    enum CodingKeys: String, CodingKey {
        case layers, parameters, metadata
        case testAccuracy = "test_accuracy"
    }

    init(_ classifier: DigitClassifier) {
        layers = classifier.layerSizes
        parameters = classifier.parameterCount
        testAccuracy = classifier.testAccuracy
        metadata = classifier.metadata
    }
}

/// The answer to `GET /healthz`.
struct Health: ResponseEncodable {
    var status = "ok"
}
