// What mnist-train shows while it trains. On a terminal, a bar per epoch redrawn in place
// (batches done, samples per second, running loss, time left), replaced by the epoch's summary
// line when the epoch ends; the bar is fitted to the terminal's width. Anywhere else (a pipe, a
// file, CI, a terminal with TERM=dumb), only the summary lines: no carriage returns and no
// escape codes.

import CLISupport
import Foundation
import NeuralNet

/// Prints training progress to standard output, live on a terminal and plain otherwise.
final class ProgressDisplay {
    /// Whether the bar is redrawn in place.
    let isLive: Bool
    private let epochs: Int
    private var lastDrawn = 0.0

    /// The bar's width in cells on a terminal of 80 columns or more.
    static let barWidth = 16
    /// The fewest cells a bar is drawn with; below that it is left out.
    static let narrowestBar = 4
    /// Redraws at most this often, in seconds: a terminal does not need a frame per batch.
    static let redrawInterval = 0.1

    /// A display for a run of `epochs` epochs; live when standard output is a terminal that can
    /// move its cursor.
    init(epochs: Int, isLive: Bool = Terminal.isLive()) {
        self.epochs = epochs
        self.isLive = isLive
    }

    /// Called after every training step; redraws the bar (live mode only).
    func update(_ progress: TrainingProgress) {
        guard isLive else { return }
        let now = ProcessInfo.processInfo.systemUptime
        guard now - lastDrawn >= Self.redrawInterval || progress.batch == 1 || progress.batch == progress.batches else { return }
        lastDrawn = now
        // Measured at every redraw: the window may be resized while training.
        write("\r" + Self.barLine(progress, columns: Terminal.columns()) + "\u{1B}[K")
    }

    /// Called after every epoch; prints its summary line, over the bar in live mode.
    func epochEnded(_ summary: EpochSummary) {
        let line = Self.summaryLine(summary, epochs: epochs)
        write(isLive ? "\r\u{1B}[K" + line + "\n" : line + "\n")
    }

    /// Ends a bar left half-drawn (an interrupted or failed epoch) so the next line starts clean.
    func endLine() {
        if isLive { write("\r\u{1B}[K") }
    }

    /// `epoch  3/10  loss 0.1234  train 96.10%  [val 97.02%  ]test 96.20%  0.52s`.
    static func summaryLine(_ summary: EpochSummary, epochs: Int) -> String {
        let validation = summary.validation.map { String(format: "val %.2f%% (loss %.4f)  ", 100 * $0.accuracy, $0.loss) } ?? ""
        let head = String(format: "epoch %2d/%d  loss %.4f  train %.2f%%  ", summary.epoch, epochs, summary.train.loss, 100 * summary.train.accuracy)
        return head + validation + String(format: "test %.2f%%  %.2fs", 100 * summary.test.accuracy, summary.seconds)
    }

    /// `epoch 3/10 [██████░░░░░░░░░░] 350/938  61.2k samples/s  loss 0.2345  2s left`, fitted
    /// into `columns - 1` characters (a line that fills the last column wraps on some terminals):
    /// the bar narrows first, then the least useful parts go (rate, then loss, then the bar).
    static func barLine(_ progress: TrainingProgress, columns: Int = 80) -> String {
        let fraction = progress.batches == 0 ? 1 : Double(progress.batch) / Double(progress.batches)
        let rate = progress.elapsed > 0 ? Double(progress.samplesDone) / progress.elapsed : 0
        let left = rate > 0 ? Double(progress.samples - progress.samplesDone) / rate : 0
        let head = "epoch \(progress.epoch)/\(progress.epochs)"
        let count = "\(progress.batch)/\(progress.batches)"
        let tails = [
            ["\(rateText(rate)) samples/s", "loss \(String(format: "%.4f", progress.runningLoss))", "\(durationText(left)) left"],
            ["loss \(String(format: "%.4f", progress.runningLoss))", "\(durationText(left)) left"],
            ["\(durationText(left)) left"],
        ]
        let room = max(columns - 1, 1)
        for tail in tails {
            let text = " \(count)  " + tail.joined(separator: "  ")
            // "epoch 3/10 [" + bar + "]" + text
            let cells = min(barWidth, room - head.count - 3 - text.count)
            if cells >= narrowestBar { return head + " [" + bar(fraction, cells: cells) + "]" + text }
        }
        let plain = "\(head) \(count)  \(durationText(left)) left"
        return String(plain.prefix(room))
    }

    /// `██████░░░░` with `cells` cells, filled in proportion to `fraction`.
    private static func bar(_ fraction: Double, cells: Int) -> String {
        let filled = min(Int((fraction * Double(cells)).rounded(.down)), cells)
        return String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
    }

    /// `812`, `61.2k`, `1.3M`.
    static func rateText(_ rate: Double) -> String {
        switch rate {
        case ..<1_000: return String(format: "%.0f", rate)
        case ..<1_000_000: return String(format: "%.1fk", rate / 1_000)
        default: return String(format: "%.1fM", rate / 1_000_000)
        }
    }

    /// `0s`, `42s`, `3m05s`.
    static func durationText(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole)s" : String(format: "%dm%02ds", whole / 60, whole % 60)
    }

    /// Writes with `print`, like the rest of mnist-train, so lines keep their order; flushed so a
    /// bar without a newline shows at once (`fflush(nil)` flushes every C stream, stdout among them).
    private func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }
}
