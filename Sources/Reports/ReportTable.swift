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
