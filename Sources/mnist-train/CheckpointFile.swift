// The run's checkpoint file and what it holds at each moment, so that a write that fails (a full
// disk) or a run that stops can say exactly what was kept.

import CLISupport
import Foundation
import NeuralNet

/// Where a run saves its checkpoints, and what the file holds now.
final class CheckpointFile {
    /// What the file at `path` holds.
    enum Contents: Equatable {
        /// No file: nothing has been saved.
        case nothing
        /// A file this run has not written: as it was before the run started.
        case earlier
        /// This run after `epochs` complete epochs and `batches` batches of the next.
        case run(epochs: Int, batches: Int)
    }

    let path: String
    private(set) var contents: Contents

    /// The checkpoint at `path`; `resumed` is the position read from it when the run continues
    /// the same file.
    init(path: String, resumed: (epochs: Int, batches: Int)?) {
        self.path = path
        if let resumed {
            contents = .run(epochs: resumed.epochs, batches: resumed.batches)
        } else {
            contents = FileManager.default.fileExists(atPath: path) ? .earlier : .nothing
        }
    }

    /// Writes `document` atomically, as the run after `epochs` epochs and `batches` batches.
    /// - Throws: `RunFailure` saying why the write failed and what the file still holds.
    func save(_ document: SafeTensors, epochs: Int, batches: Int) throws {
        do {
            try writeFileAtomically(document.encoded(), to: path)
        } catch {
            throw RunFailure("the checkpoint could not be written: \(error); \(keptText). No model was written.")
        }
        contents = .run(epochs: epochs, batches: batches)
    }

    /// What is left at `path`, as a clause: `run.ckpt still holds the run after epoch 3 (continue
    /// with --resume run.ckpt)`, `no checkpoint was kept`, ….
    var keptText: String {
        switch contents {
        case .nothing:
            return "no checkpoint was kept"
        case .earlier:
            return "\(path) is left as it was before this run"
        case .run(let epochs, let batches):
            let position = batches == 0 ? "epoch \(epochs)" : "epoch \(epochs) and \(batches) batch(es) of the next"
            return "\(path) still holds the run after \(position) (continue with --resume \(path))"
        }
    }
}
