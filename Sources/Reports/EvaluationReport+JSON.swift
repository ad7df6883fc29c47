// The evaluation report as one JSON document. The keys are part of the tools' interface and are
// documented in docs/report-json.md; add keys freely, but rename or remove one only with a new
// `schema` version.

import Foundation
import MNIST

extension EvaluationReport {
    /// The value of the document's `schema` key.
    public static let jsonSchema = "mnist-eval-report/1"

    /// The report as pretty-printed JSON with sorted keys (so equal reports give equal bytes).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding these plain structs of numbers and strings cannot fail unless a value is NaN,
        // which the metrics never produce (empty sets give 0).
        let data = (try? encoder.encode(JSONDocument(self))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The JSON document's shape; see docs/report-json.md.
private struct JSONDocument: Encodable {
    struct ClassEntry: Encodable {
        var label: Int
        var precision: Double
        var recall: Double
        var f1: Double
        var support: Int
    }

    struct ConfusionEntry: Encodable {
        var actual: Int
        var predicted: Int
        var count: Int

        enum CodingKeys: String, CodingKey {
            case actual = "true"
            case predicted, count
        }
    }

    struct BinEntry: Encodable {
        var lower: Double
        var upper: Double
        var count: Int
        var meanConfidence: Double
        var accuracy: Double

        enum CodingKeys: String, CodingKey {
            case lower, upper, count, accuracy
            case meanConfidence = "mean_confidence"
        }
    }

    struct CalibrationEntry: Encodable {
        var bins: [BinEntry]
        var meanConfidence: Double
        var accuracy: Double
        var expectedCalibrationError: Double

        enum CodingKeys: String, CodingKey {
            case bins, accuracy
            case meanConfidence = "mean_confidence"
            case expectedCalibrationError = "ece"
        }
    }

    struct MistakeEntry: Encodable {
        var index: Int
        var actual: Int
        var predicted: Int
        var confidence: Double
        /// Only for samples that are image files.
        var file: String?

        enum CodingKeys: String, CodingKey {
            case index, predicted, confidence, file
            case actual = "true"
        }
    }

    struct UnreadableEntry: Encodable {
        var file: String
        var error: String
    }

    var schema: String
    var model: String
    var data: String
    var layers: [Int]
    /// The network in the grammar, for networks that are more than layer sizes.
    var network: String?
    var samples: Int
    var correct: Int
    var accuracy: Double
    var loss: Double
    var macroF1: Double
    var classes: [ClassEntry]
    var confusionMatrix: [[Int]]
    var topConfusions: [ConfusionEntry]
    var calibration: CalibrationEntry
    var mostConfidentMistakes: [MistakeEntry]
    var history: [ModelMetadata.HistoryEntry]
    /// Only for image folders; nil (left out) for IDX data.
    var unreadableFiles: [UnreadableEntry]?

    enum CodingKeys: String, CodingKey {
        case schema, model, data, layers, samples, correct, accuracy, loss, classes, calibration, history
        case macroF1 = "macro_f1"
        case confusionMatrix = "confusion_matrix"
        case topConfusions = "top_confusions"
        case mostConfidentMistakes = "most_confident_mistakes"
        case unreadableFiles = "unreadable_files"
    }

    init(_ report: EvaluationReport) {
        let metrics = report.metrics
        schema = EvaluationReport.jsonSchema
        model = report.modelPath
        data = report.dataDescription
        layers = report.layerSizes
        network = report.network
        samples = metrics.count
        correct = metrics.correct
        accuracy = metrics.accuracy
        loss = metrics.loss
        macroF1 = metrics.macroF1
        classes = metrics.classes.map {
            ClassEntry(label: $0.label, precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support)
        }
        confusionMatrix = metrics.confusion.counts
        topConfusions = report.topConfusions.map {
            ConfusionEntry(actual: $0.actual, predicted: $0.predicted, count: $0.count)
        }
        calibration = CalibrationEntry(
            bins: metrics.calibration.bins.map {
                BinEntry(lower: $0.lower, upper: $0.upper, count: $0.count, meanConfidence: $0.meanConfidence, accuracy: $0.accuracy)
            },
            meanConfidence: metrics.calibration.meanConfidence,
            accuracy: metrics.calibration.accuracy,
            expectedCalibrationError: metrics.calibration.expectedCalibrationError)
        let files = Dictionary(report.mistakeImages.map { ($0.mistake.index, $0.file) }, uniquingKeysWith: { a, _ in a })
        mostConfidentMistakes = metrics.mostConfidentMistakes(limit: EvaluationReport.mistakeCount).map {
            MistakeEntry(index: $0.index, actual: $0.actual, predicted: $0.predicted, confidence: Double($0.confidence),
                         file: files[$0.index] ?? nil)
        }
        history = report.history
        unreadableFiles = report.samplesAreFiles ? report.unreadableFiles.map { UnreadableEntry(file: $0.path, error: $0.reason) } : nil
    }
}
