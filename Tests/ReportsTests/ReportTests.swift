// The report renderers: the JSON document's documented keys, the text and Markdown tables, and
// an HTML page that is well-formed, self-contained (nothing fetched from elsewhere, no scripts)
// and shows what the issue asks for.

import Foundation
import MNIST
import NeuralNet
@testable import Reports
import TestSupport
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A report on six 28×28 "images" of three classes, two of them misclassified, with a history.
func sampleReport(modelPath: String = "model.safetensors", history: Bool = true,
                  sampleFiles: [String]? = nil, unreadableFiles: [FileError] = []) -> EvaluationReport {
    let labels = [0, 1, 2, 2, 1, 0]
    let predicted = [0, 1, 2, 0, 2, 0]
    // Each image a different diagonal stripe, so the pictures differ.
    let pixels = labels.indices.flatMap { sample in
        (0..<784).map { UInt8(($0 % 28 + $0 / 28 + sample) % 7 == 0 ? 255 : 0) }
    }
    let dataset = Dataset(features: .bytes(pixels, scale: 1 / 255), labels: labels, featureCount: 784, classCount: 3)
    let metrics = ClassificationMetrics(
        probabilities: probabilityRows(predicted: predicted, confidence: [0.9, 0.8, 0.7, 0.95, 0.6, 0.85], classes: 3),
        labels: labels)
    let entries: [ModelMetadata.HistoryEntry] = history
        ? (1...3).map {
            ModelMetadata.HistoryEntry(
                epoch: $0, trainLoss: 1 / Double($0), trainAccuracy: 0.8 + 0.05 * Double($0),
                testLoss: 1.1 / Double($0), testAccuracy: 0.78 + 0.05 * Double($0))
        }
        : []
    return EvaluationReport(
        metrics: metrics, dataset: dataset, modelPath: modelPath, dataDescription: "test-images",
        layerSizes: [784, 16, 3], history: entries, sampleFiles: sampleFiles, unreadableFiles: unreadableFiles)
}

@Suite struct ReportTests {
    /// The keys docs/report-json.md documents.
    static let topLevelKeys: Set<String> = [
        "schema", "model", "data", "layers", "samples", "correct", "accuracy", "loss", "macro_f1", "classes",
        "confusion_matrix", "top_confusions", "calibration", "most_confident_mistakes", "history",
    ]

    func jsonObject(_ report: EvaluationReport) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(report.json().utf8))
        return try #require(object as? [String: Any])
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let json = try jsonObject(sampleReport())
        #expect(Set(json.keys) == Self.topLevelKeys)
        let classes = try #require(json["classes"] as? [[String: Any]])
        #expect(classes.count == 3)
        #expect(Set(classes[0].keys) == ["label", "precision", "recall", "f1", "support"])
        let calibration = try #require(json["calibration"] as? [String: Any])
        #expect(Set(calibration.keys) == ["bins", "mean_confidence", "accuracy", "ece"])
        let bins = try #require(calibration["bins"] as? [[String: Any]])
        #expect(bins.count == 10)
        #expect(Set(bins[0].keys) == ["lower", "upper", "count", "mean_confidence", "accuracy"])
        let confusions = try #require(json["top_confusions"] as? [[String: Any]])
        #expect(Set(confusions[0].keys) == ["true", "predicted", "count"])
        let mistakes = try #require(json["most_confident_mistakes"] as? [[String: Any]])
        #expect(Set(mistakes[0].keys) == ["index", "true", "predicted", "confidence"])
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(Set(history[0].keys) == ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"])
    }

    @Test func jsonFiguresMatchTheMetrics() throws {
        let report = sampleReport()
        let json = try jsonObject(report)
        #expect(json["schema"] as? String == EvaluationReport.jsonSchema)
        #expect(json["samples"] as? Int == 6)
        #expect(json["correct"] as? Int == 4)
        #expect(json["confusion_matrix"] as? [[Int]] == report.metrics.confusion.counts)
        #expect(json["layers"] as? [Int] == [784, 16, 3])
        let mistakes = try #require(json["most_confident_mistakes"] as? [[String: Any]])
        // Sample 3 (true 2 → 0, 0.95) is surer than sample 4 (true 1 → 2, 0.6).
        #expect(mistakes.map { $0["index"] as? Int } == [3, 4])
        #expect(mistakes.first?["true"] as? Int == 2)
    }

    /// The sample report's JSON as it must render: Golden/sample-report.json. A change to the
    /// document shows here as a diff to review; after a deliberate one, regenerate the file with
    /// `UPDATE_GOLDEN=1 swift test --filter ReportsTests` and commit it with the change.
    @Test func jsonMatchesTheGoldenFile() throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/sample-report.json")
        let rendered = sampleReport().json() + "\n"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(rendered.utf8).write(to: golden)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(rendered == expected, "differs from \(golden.path); see this test's comment")
    }

    @Test func textAndMarkdownShowTablesAndConfusions() {
        let report = sampleReport()
        let text = report.text()
        #expect(text.contains("accuracy 66.67% (4/6)"))
        #expect(text.contains("2 → 0: 1 time"))
        #expect(text.contains("expected calibration error"))
        #expect(!text.contains("\u{1B}") && !text.contains("\r"))
        let markdown = report.markdown()
        #expect(markdown.hasPrefix("# Evaluation of `model.safetensors`"))
        #expect(markdown.contains("| class | precision | recall | F1 | support |"))
        #expect(markdown.contains("| :-- | --: | --: | --: | --: |"))
        #expect(markdown.contains("## Training history"))
    }

    /// A folder holding only sevens, all read right: 100% accuracy and macro F1, and the nine
    /// absent classes shown with dashes rather than scores of 0%.
    @Test func absentClassesShowDashesAndLeaveTheMacroAverage() {
        let labels = [7, 7, 7]
        let dataset = Dataset(
            features: .bytes([UInt8](repeating: 0, count: 3 * 784), scale: 1 / 255), labels: labels,
            featureCount: 784, classCount: 10)
        let metrics = ClassificationMetrics(
            probabilities: probabilityRows(predicted: labels, confidence: [0.9, 0.8, 0.7], classes: 10), labels: labels)
        let report = EvaluationReport(
            metrics: metrics, dataset: dataset, modelPath: "m.safetensors", dataDescription: "sevens",
            layerSizes: [784, 10], history: [])
        let text = report.text()
        #expect(text.contains("macro F1 100.00% (over the 1 class present of 10)"), "\(text)")
        // The per-class table's rows (five columns; the confusion matrix's have eleven).
        let rows = text.split(separator: "\n").map { $0.split(separator: " ") }.filter { $0.count == 5 }
        #expect(rows.contains(["3", "–", "–", "–", "0"]), "\(text)")
        #expect(rows.contains(["7", "100.00%", "100.00%", "100.00%", "3"]))
        #expect(report.markdown().contains("| 3 | – | – | – | 0 |"))
        #expect(report.html().contains("mean over the 1 class present of 10"))
    }

    @Test func textTableColumnsAlign() {
        let table = ReportTable(header: ["class", "n"], rows: [["1", "5"], ["10", "1234"]]).text()
        #expect(table == "class     n\n1         5\n10     1234")
    }
}

@Suite struct HTMLReportTests {
    static let html = sampleReport(modelPath: "runs/<best> & \"final\".safetensors").html()

    @Test func htmlIsWellFormed() throws {
        #if canImport(FoundationXML) || os(macOS)
        let document = try XMLDocument(xmlString: Self.html, options: [])
        #expect(document.rootElement()?.name == "html")
        #else
        #expect(balancedTags(Self.html))
        #endif
    }

    @Test func htmlTagsAreBalanced() {
        #expect(balancedTags(Self.html))
    }

    // The checker itself must be able to fail.
    @Test(arguments: [
        ("<div><span></span></div>", true), ("<div><span></div></span>", false), ("<p><br/><img src=\"data:,\"/></p>", true),
        ("<section>", false), ("</svg>", false),
    ])
    func balancedTagsTellsGoodFromBad(markup: String, balanced: Bool) {
        #expect(balancedTags(markup) == balanced)
    }

    @Test func htmlReferencesNothingOutsideItself() throws {
        let html = Self.html
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<link"))
        #expect(!html.lowercased().contains("@import"))
        // Every src and href is a data: URI; with those taken out, no URL of any kind remains.
        let attributes = try Regex(#"(?:src|href)\s*=\s*"([^"]*)""#)
        for match in html.matches(of: attributes) {
            #expect(String(html[match.range]).contains("\"data:"), "\(html[match.range].prefix(60))")
        }
        let withoutDataURIs = html.replacing(try Regex(#"data:[^"]*"#), with: "")
        for needle in ["http:", "https:", "//", "url(", "ftp:", "file:"] {
            #expect(!withoutDataURIs.contains(needle), "the page mentions \(needle)")
        }
    }

    @Test func htmlShowsHeatMapCurvesAndGallery() {
        let html = Self.html
        #expect(html.contains("aria-label=\"confusion matrix\""))
        #expect(html.contains("Loss per epoch") && html.contains("Accuracy per epoch"))
        #expect(html.contains(">epoch</text>") && html.contains(">cross-entropy loss</text>"))
        #expect(html.contains("reliability diagram"))
        // Two mistakes, each an embedded PNG.
        #expect(html.components(separatedBy: "src=\"data:image/png;base64,").count - 1 == 2)
    }

    @Test func embeddedImagesArePNGs() throws {
        let prefix = "src=\"data:image/png;base64,"
        let start = try #require(Self.html.range(of: prefix)).upperBound
        let end = try #require(Self.html[start...].firstIndex(of: "\""))
        let png = try #require(Data(base64Encoded: String(Self.html[start..<end])))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func userTextIsEscaped() {
        #expect(Self.html.contains("runs/&lt;best&gt; &amp; &quot;final&quot;.safetensors"))
        #expect(!Self.html.contains("<best>"))
    }

    @Test func aModelWithoutHistorySaysSo() {
        let html = sampleReport(history: false).html()
        #expect(html.contains("holds no training history"))
        #expect(!html.contains("Loss per epoch"))
        #expect(balancedTags(html))
    }

    @Test func writeHTMLCreatesTheDirectory() throws {
        let scratch = try ScratchDirectory()
        let path = try sampleReport().writeHTML(toDirectory: scratch.path("report/nested"))
        #expect(path.hasSuffix("/nested/index.html"))
        #expect(FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } == sampleReport().html())
    }

    @Test func writeHTMLRefusesAFileWhereTheDirectoryShouldBe() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("report", [1])
        #expect(throws: FileError(path: file, reason: "is a file, not a directory")) {
            try sampleReport().writeHTML(toDirectory: file)
        }
    }

    @Test(arguments: [
        (0.0, 1.0, 0.2), (0.0, 1.5, 0.5), (0.02, 0.35, 0.1), (65.0, 90.0, 5.0), (0.0, 1000.0, 200.0),
    ])
    func axisStepsAreOneTwoOrFiveTimesAPowerOfTen(lower: Double, upper: Double, step: Double) {
        let found = SVGScale.niceStep(span: upper - lower, target: 5)
        #expect(abs(found - step) < 1e-12)
    }
}

/// Whether every opening tag has its closing tag in order (void and self-closed tags excepted).
func balancedTags(_ html: String) -> Bool {
    let void: Set<String> = ["meta", "br", "img", "hr", "input", "link"]
    var stack: [String] = []
    guard let tag = try? Regex(#"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>"#) else { return false }
    for match in html.matches(of: tag) {
        let text = String(html[match.range])
        let closing = text.hasPrefix("</")
        let selfClosing = text.hasSuffix("/>")
        let name = String(text.dropFirst(closing ? 2 : 1).prefix { $0.isLetter || $0.isNumber || $0 == "-" }).lowercased()
        if closing {
            guard stack.popLast() == name else { return false }
        } else if !selfClosing && !void.contains(name) {
            stack.append(name)
        }
    }
    return stack.isEmpty
}
