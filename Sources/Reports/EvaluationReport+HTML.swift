// The evaluation report as one self-contained HTML page: inline CSS and SVG, pictures inline,
// no scripts and no link to anything outside the file, so it opens offline in any browser.
// The markup is also well-formed XML (every element closed, only XML's own entities), which
// lets the tests parse it.

import Foundation
import MNIST
import NeuralNet

extension EvaluationReport {
    /// The file name `writeHTML(toDirectory:)` gives the page.
    public static let htmlFileName = "index.html"

    /// Writes the page as `index.html` into `directory`, creating the directory if needed.
    /// - Returns: the page's path.
    /// - Throws: `FileError` naming the directory or file that could not be written.
    @discardableResult
    public func writeHTML(toDirectory directory: String) throws(FileError) -> String {
        try OutputDirectory.make(directory)
        let path = (directory as NSString).appendingPathComponent(Self.htmlFileName)
        try writeFileAtomically(Array(html().utf8), to: path)
        return path
    }

    /// The report as a complete HTML document.
    public func html() -> String {
        let title = "Evaluation of \(modelPath)"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(HTMLText.escape(title))</title>
            <style>\(HTMLReportStyle.css)</style>
            </head>
            <body>
            <header>
            <h1>Digit classifier report</h1>
            <p class="subtitle">Model <code>\(HTMLText.escape(modelPath))</code> (layers \(HTMLText.escape(networkText))) on <code>\(HTMLText.escape(dataDescription))</code></p>
            </header>
            <main>
            \(summarySection())
            \(curvesSection())
            \(confusionSection())
            \(classesSection())
            \(mistakesSection())
            \(unreadableSection())
            </main>
            </body>
            </html>

            """
    }

    private func summarySection() -> String {
        let metrics = self.metrics
        let cards = [
            ("accuracy", ReportFormat.percent(metrics.accuracy), "\(metrics.correct) of \(metrics.count) correct"),
            ("loss", ReportFormat.decimal(metrics.loss), "mean cross-entropy"),
            ("macro F1", ReportFormat.percent(metrics.macroF1), "mean " + ReportFormat.macroF1Note(metrics)),
            ("calibration error", ReportFormat.decimal(metrics.calibration.expectedCalibrationError),
             "ECE, \(metrics.calibration.bins.count) bins; confidence \(ReportFormat.percent(metrics.calibration.meanConfidence))"),
        ]
        let items = cards.map { name, value, note in
            "<div class=\"card\"><div class=\"card-name\">\(HTMLText.escape(name))</div><div class=\"card-value\">\(HTMLText.escape(value))</div><div class=\"card-note\">\(HTMLText.escape(note))</div></div>"
        }
        return "<section class=\"cards\">\n" + items.joined(separator: "\n") + "\n</section>"
    }

    /// The validation curve of a run that held images out (none for one that did not), dotted.
    private func validationSeries(_ value: KeyPath<ModelMetadata.HistoryEntry, Double?>, scale: Double) -> [SVGLineChart.Series] {
        let points = history.compactMap { entry in entry[keyPath: value].map { (Double(entry.epoch), scale * $0) } }
        guard !points.isEmpty else { return [] }
        return [.init(name: "validation", color: "#2e8540", points: points, dashed: true)]
    }

    private func curvesSection() -> String {
        guard !history.isEmpty else {
            return "<section><h2>Training curves</h2><p class=\"note\">The model file holds no training history.</p></section>"
        }
        let epochs = history.map { Double($0.epoch) }
        let train = "#2563af", test = "#d66018"
        let loss = SVGLineChart(
            title: "Loss per epoch", xTitle: "epoch", yTitle: "cross-entropy loss",
            series: [
                .init(name: "train", color: train, points: Array(zip(epochs, history.map(\.trainLoss)))),
                .init(name: "test", color: test, points: Array(zip(epochs, history.map(\.testLoss))), dashed: true),
            ] + validationSeries(\.validationLoss, scale: 1),
            includesZero: true)
        let accuracy = SVGLineChart(
            title: "Accuracy per epoch", xTitle: "epoch", yTitle: "accuracy (%)",
            series: [
                .init(name: "train", color: train, points: Array(zip(epochs, history.map { 100 * $0.trainAccuracy }))),
                .init(name: "test", color: test, points: Array(zip(epochs, history.map { 100 * $0.testAccuracy })), dashed: true),
            ] + validationSeries(\.validationAccuracy, scale: 100))
        return """
            <section>
            <h2>Training curves</h2>
            <div class="row">
            <figure>\(loss.svg())</figure>
            <figure>\(accuracy.svg())</figure>
            </div>
            </section>
            """
    }

    private func confusionSection() -> String {
        let confusions = topConfusions
        let items = confusions.isEmpty
            ? "<li>No mistakes.</li>"
            : confusions.map { "<li><span class=\"pair\">\($0.actual) → \($0.predicted)</span> \($0.count) time\($0.count == 1 ? "" : "s")</li>" }.joined(separator: "\n")
        return """
            <section>
            <h2>Confusion matrix</h2>
            <div class="row">
            <figure>\(SVGHeatMap(confusion: metrics.confusion).svg())
            <figcaption>Rows are true classes, columns predictions. Blue: correct, shaded by the share of the row; orange: mistakes, shaded by count.</figcaption></figure>
            <div>
            <h3>Most frequent confusions</h3>
            <ol class="confusions">
            \(items)
            </ol>
            </div>
            </div>
            </section>
            """
    }

    private func classesSection() -> String {
        let rows = metrics.classes.map { scores in
            let cells = zip([scores.precision, scores.recall, scores.f1], ReportFormat.scoreTexts(scores)).map { value, text in
                let width = scores.isPresent ? 60 * value : 0
                return "<td class=\"num\"><span class=\"meter\" style=\"width: \(HTMLText.number(width))px\"></span>\(text)</td>"
            }
            return "<tr><th scope=\"row\">\(scores.label)</th>\(cells.joined())<td class=\"num\">\(scores.support)</td></tr>"
        }
        return """
            <section>
            <h2>Per class and calibration</h2>
            <div class="row">
            <div class="table-scroll">
            <table class="classes">
            <thead><tr><th scope="col">class</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th><th scope="col">support</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            </div>
            <figure class="narrow">\(SVGReliabilityDiagram(calibration: metrics.calibration).svg())
            <figcaption>Bars: accuracy per confidence bin; dark ticks: the bin's mean confidence; diagonal: perfect calibration.<br/>\(HTMLText.escape(ReportFormat.calibrationLine(metrics.calibration)))</figcaption></figure>
            </div>
            </section>
            """
    }

    private func mistakesSection() -> String {
        guard !mistakeImages.isEmpty else {
            let reason = metrics.correct == metrics.count ? "No mistakes." : "The samples are not square images."
            return "<section><h2>Most confident mistakes</h2><p class=\"note\">\(reason)</p></section>"
        }
        let tiles = mistakeImages.map { image in
            let mistake = image.mistake
            let name = image.file.map(Self.shortName) ?? "sample \(mistake.index)"
            let label = "\(name): true \(mistake.actual), predicted \(mistake.predicted)"
            let source = image.file.map { "<span class=\"file\">\(HTMLText.escape(Self.shortName($0)))</span>" } ?? "#\(mistake.index)"
            let pictures = image.original.map {
                "<div class=\"pictures\">" + originalImage($0, label: "\(name) as drawn") + digitImage(image, label: "\(name) as the network saw it") + "</div>"
            } ?? digitImage(image, label: label)
            return """
                <div class="tile">\(pictures)<div class="caption"><span class="predicted">\(mistake.predicted)</span> <span class="confidence">\(ConfidenceText.percentRoundedDown(Double(mistake.confidence)))</span><br/>true <span class="true">\(mistake.actual)</span> · \(source)</div></div>
                """
        }
        let explanation = samplesAreFiles
            ? "The \(mistakeImages.count) wrong predictions the model was surest of: each image as drawn beside the 28×28 the network saw; the large number is the prediction with its confidence, below it the true label and the file."
            : "The \(mistakeImages.count) wrong predictions the model was surest of: the large number is the prediction with its confidence, below it the true label and the sample's index."
        return """
            <section>
            <h2>Most confident mistakes</h2>
            <p class="note">\(HTMLText.escape(explanation))</p>
            <div class="\(samplesAreFiles ? "gallery wide" : "gallery")">
            \(tiles.joined(separator: "\n"))
            </div>
            </section>
            """
    }

    /// The user's own picture, shown at most 84 pixels on its longer side (the size of the 28×28
    /// beside it), aspect kept.
    private func originalImage(_ picture: SourcePicture, label: String) -> String {
        let scale = 84 / Double(max(picture.width, picture.height, 1))
        let width = max(1, Int((Double(picture.width) * scale).rounded()))
        let height = max(1, Int((Double(picture.height) * scale).rounded()))
        return "<img class=\"original\" width=\"\(width)\" height=\"\(height)\" alt=\"\(HTMLText.escape(label))\" src=\"data:image/png;base64,\(Data(picture.png).base64EncodedString())\"/>"
    }

    private func unreadableSection() -> String {
        guard !unreadableFiles.isEmpty else { return "" }
        let items = unreadableFiles.map { "<li><code>\(HTMLText.escape($0.path))</code>: \(HTMLText.escape($0.reason))</li>" }
        return """
            <section>
            <h2>Files not read</h2>
            <p class="note">\(unreadableFiles.count) file\(unreadableFiles.count == 1 ? "" : "s") could not be read; the figures above leave them out.</p>
            <ul class="unreadable">
            \(items.joined(separator: "\n"))
            </ul>
            </section>
            """
    }

    /// One digit picture, enlarged three times: a PNG (dark ink on white) in a data: URI, or
    /// inline SVG should libpng fail to encode it.
    private func digitImage(_ image: MistakeImage, label: String) -> String {
        let scale = 3
        let picture = GrayImage(width: image.side, height: image.side, pixels: image.pixels).inverted()
        guard let png = try? picture.pngData() else {
            return SVGDigit.svg(pixels: image.pixels, side: image.side, scale: scale, label: label)
        }
        let size = image.side * scale
        return "<img class=\"digit\" width=\"\(size)\" height=\"\(size)\" alt=\"\(HTMLText.escape(label))\" src=\"data:image/png;base64,\(Data(png).base64EncodedString())\"/>"
    }
}
