// mnist-train's outputs, checked before anything is loaded: a run that trains for an hour and
// then cannot save is a lost hour. Every path it will write must be writable, and no two of them
// may be one file (the model would overwrite the checkpoint, or the report's directory would take
// the model's name).

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet

extension MNISTTrain {
    /// The paths this run writes, each with the option that named it: the model, the checkpoint
    /// (--checkpoint, or the --resume file it keeps saving to) and the report's directory.
    var outputs: (model: String, checkpoint: (option: String, path: String)?, html: String?) {
        let checkpointOutput = checkpoint.map { ("--checkpoint", $0) } ?? resume.map { ("--resume", $0) }
        return (output, checkpointOutput, html)
    }

    /// Refuses, before any work, outputs that cannot be written or that collide.
    /// - Throws: `RunFailure` naming the option, the path and the problem.
    func checkOutputs() throws {
        let (model, checkpointOutput, html) = outputs
        if let (option, path) = checkpointOutput, sameFile(path, model) {
            throw RunFailure("--output and \(option) name the same file (\(path)): the model would overwrite the checkpoint; give them different paths")
        }
        if let html {
            let page = html + "/index.html"
            if sameFile(html, model) || sameFile(page, model) {
                throw RunFailure("--html \(html) and --output \(model) collide: the report's directory (and its index.html) would take the model's place; give them different paths")
            }
            if let (option, path) = checkpointOutput, sameFile(html, path) || sameFile(page, path) {
                throw RunFailure("--html \(html) and \(option) \(path) collide: the report's directory (and its index.html) would take the checkpoint's place; give them different paths")
            }
        }
        // The report's directory first, so that the model or the checkpoint may go inside it;
        // made here, it is removed again if another output is refused.
        let htmlIsNew = html.map { !FileManager.default.fileExists(atPath: $0) } ?? false
        if let html { try Self.writable("--html", html, check: OutputDirectory.make) }
        do {
            try Self.writable("--output", model, check: checkWritable)
            if let (option, path) = checkpointOutput { try Self.writable(option, path, check: checkWritable) }
        } catch {
            if let html, htmlIsNew { rmdir(html) }
            throw error
        }
    }

    /// Runs `check` on `path`, naming the option in its error.
    private static func writable(_ option: String, _ path: String, check: (String) throws(FileError) -> Void) throws {
        do {
            try check(path)
        } catch {
            throw RunFailure("\(option) \(path.isEmpty ? "\"\"" : path): \(error.reason)")
        }
    }
}
