// A small table that renders itself as aligned plain text (for terminals) or as Markdown, so the
// text and Markdown reports share their layout and differ only in the notation.

import Foundation

/// Rows of cells under a header; the first column left-aligned, the others right-aligned.
struct ReportTable {
    var header: [String]
    var rows: [[String]]

    /// Columns padded to their widest cell and separated by two spaces; no trailing spaces.
    func text(indent: String = "") -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }
            return indent + padded.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown table.
    func markdown() -> String {
        let alignment = header.indices.map { $0 == 0 ? ":--" : "--:" }
        return ([header, alignment] + rows)
            .map { "| " + $0.joined(separator: " | ") + " |" }
            .joined(separator: "\n")
    }
}

/// Number formats shared by the reports and the tools.
public enum ReportFormat {
    /// `0.97931` → `"97.93%"`.
    static func percent(_ fraction: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f%%", 100 * fraction)
    }

    /// `0.99962` → `"99.9%"`: one decimal, rounded down, so that a confidence below 1 never
    /// reads as 100%.
    public static func percentRoundedDown(_ fraction: Double) -> String {
        String(format: "%.1f%%", (1000 * fraction).rounded(.down) / 10)
    }

    /// A value with four decimals, for losses and calibration errors.
    static func decimal(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    /// The per-class table: precision, recall, F1 and support.
    static func classTable(_ metrics: ClassificationMetrics) -> ReportTable {
        ReportTable(
            header: ["class", "precision", "recall", "F1", "support"],
            rows: metrics.classes.map {
                [String($0.label), percent($0.precision), percent($0.recall), percent($0.f1), String($0.support)]
            })
    }

    /// The confusion matrix with true classes down and predictions across.
    static func confusionTable(_ confusion: ConfusionMatrix) -> ReportTable {
        ReportTable(
            header: ["true \\ predicted"] + (0..<confusion.classCount).map(String.init),
            rows: confusion.counts.enumerated().map { label, row in [String(label)] + row.map(String.init) })
    }

    /// `"4 → 9: 23 times"`.
    static func confusionLine(_ confusion: ConfusionMatrix.Confusion) -> String {
        "\(confusion.actual) → \(confusion.predicted): \(confusion.count) time\(confusion.count == 1 ? "" : "s")"
    }

    /// Mean confidence, accuracy and ECE in one sentence.
    static func calibrationLine(_ calibration: Calibration) -> String {
        "mean confidence \(percent(calibration.meanConfidence)), accuracy \(percent(calibration.accuracy)), "
            + "expected calibration error \(decimal(calibration.expectedCalibrationError)) (\(calibration.bins.count) bins)"
    }

    /// `"784,128,64,10"`.
    static func layers(_ sizes: [Int]) -> String {
        sizes.map(String.init).joined(separator: ",")
    }
}
