// The JSON bodies of the API's answers (docs/serve.md describes each field).

import Foundation
import Hummingbird
import MNIST

/// The answer to `POST /api/predict`. Decodable for clients and tests; encoded by hand below.
struct Prediction: Equatable, Decodable {
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
    /// Whether the answer is not to be trusted: its confidence is below the server's threshold
    /// (the image may not be a digit, or one the model cannot read).
    var unsure: Bool

    init(input image: GrayImage, digit: Int, probabilities: [Float], saliency: [Float], unsure: Bool) {
        self.digit = digit
        self.unsure = unsure
        confidence = probabilities[digit]
        self.probabilities = probabilities
        side = image.width
        input = image.pixels
        self.saliency = saliency
    }
}

// Written by hand: with JSONEncoder, encoding these 1,600 numbers took two thirds of the server's
// CPU time at 16 connections (perf), ten times the decoding, preprocessing and network together.
extension Prediction: ResponseGenerator {
    /// The prediction as a JSON object; floats as Swift prints them (the shortest form that reads
    /// back as the same Float).
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONNumbers()
        json.append("{\"digit\":")
        json.append(digit)
        json.append(",\"confidence\":")
        json.append(confidence)
        json.append(unsure ? ",\"unsure\":true" : ",\"unsure\":false")
        json.append(",\"probabilities\":")
        json.append(probabilities)
        json.append(",\"side\":")
        json.append(side)
        json.append(",\"input\":")
        json.append(input)
        json.append(",\"saliency\":")
        json.append(saliency)
        json.append("}")
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }
}

/// A JSON text built of literal pieces and numbers, in one growing byte array.
private struct JSONNumbers {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(16_384) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: some JSONNumber) {
        value.write(to: &bytes)
    }

    /// `[a,b,…]`.
    mutating func append(_ values: [some JSONNumber]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            value.write(to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}

/// A number that writes itself as JSON.
private protocol JSONNumber {
    func write(to bytes: inout [UInt8])
}

extension Float: JSONNumber {
    /// A finite Float; its description is at most 15 bytes, so the String is never allocated.
    fileprivate func write(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: description.utf8)
    }
}

extension Int: JSONNumber {
    fileprivate func write(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: description.utf8)
    }
}

extension UInt8: JSONNumber {
    /// Grey levels are most of a prediction's numbers: written digit by digit, no String.
    fileprivate func write(to bytes: inout [UInt8]) {
        if self >= 100 { bytes.append(UInt8(ascii: "0") + self / 100) }
        if self >= 10 { bytes.append(UInt8(ascii: "0") + self / 10 % 10) }
        bytes.append(UInt8(ascii: "0") + self % 10)
    }
}

/// The answer to `GET /api/model`.
struct ModelFacts: ResponseEncodable {
    /// The model file served, as given (--model, or a fine-tuned model beside it).
    var path: String
    /// Layer sizes, inputs first.
    var layers: [Int]
    /// The network: `784-128-64-10`, or the grammar for a convolutional one.
    var network: String
    /// Trainable parameters.
    var parameters: Int
    /// Test accuracy recorded by mnist-train (0…1), when the file has it.
    var testAccuracy: Double?
    /// Every metadata entry of the model file, as stored.
    var metadata: [String: String]
    /// Answers below this confidence are marked unsure.
    var unsureBelow: Float

    enum CodingKeys: String, CodingKey {
        case path, layers, network, parameters, metadata
        case testAccuracy = "test_accuracy"
        case unsureBelow = "unsure_below"
    }

    init(_ classifier: DigitClassifier) {
        path = classifier.modelPath
        layers = classifier.layerSizes
        network = classifier.network
        parameters = classifier.parameterCount
        testAccuracy = classifier.testAccuracy
        metadata = classifier.metadata
        unsureBelow = classifier.unsureBelow
    }
}

/// The answer to `GET /healthz`.
struct Health: ResponseEncodable {
    var status = "ok"
}
