// How predictions and failures are printed: a line of text, or one JSON object per line.

import Foundation
import MNIST
import NeuralNet

/// Formats one image's outcome for the terminal or for a JSON-lines consumer.
struct PredictionFormat {
    /// How many of the most likely digits a text line shows.
    var top: Int
    /// One JSON object per line instead of text.
    var json: Bool

    /// `seven.png: 7 (98.7%)`, with `top` > 1 `seven.png: 7 (98.7%), 1 (0.9%), …`; or a JSON object.
    func prediction(file: String, probabilities: [Float]) -> String {
        let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        if json {
            let values = probabilities.map(jsonNumber).joined(separator: ", ")
            return "{\"file\": \(jsonString(file)), \"digit\": \(ranked[0]), \"confidence\": \(jsonNumber(probabilities[ranked[0]])), \"probabilities\": [\(values)]}"
        }
        // Rounded down, as in the reports: a confidence below 1 never reads as 100%.
        let best = ranked.prefix(top).map { "\($0) (\(ConfidenceText.percentRoundedDown(Double(probabilities[$0]))))" }
        return "\(file): \(best.joined(separator: ", "))"
    }

    /// Prints a failure: a JSON object on standard output, or a text line on standard error.
    func report(_ failure: FileError) {
        if json {
            print("{\"file\": \(jsonString(failure.path)), \"error\": \(jsonString(failure.reason))}")
        } else {
            FileHandle.standardError.write(Data("\(failure.path): error: \(failure.reason)\n".utf8))
        }
    }
}

/// A JSON number with enough digits to tell probabilities apart.
private func jsonNumber(_ value: Float) -> String {
    String(format: "%.6g", Double(value))
}

