// mnist-train's promise that what can go wrong is said before any work: outputs that collide,
// are empty or cannot be written, and options the run would ignore or cannot honour, are refused
// before the data loads (nothing on standard output, which the run's header would start), and
// nothing is left behind.

import Foundation
import TestSupport
import Testing

/// An invocation refused before the data loads, and the words its error must contain. `$DIR`
/// stands for the run's directory.
struct EarlyRefusal: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
}

@Suite(.serialized) struct TrainOutputTests {
    static let refusals = [
        EarlyRefusal(arguments: ["-o", ""], message: "--output \"\": an empty path names no file"),
        EarlyRefusal(arguments: ["--checkpoint", ""], message: "--checkpoint \"\": an empty path names no file"),
        EarlyRefusal(arguments: ["--html", ""], message: "--html \"\": an empty path names no directory"),
        EarlyRefusal(arguments: ["-o", "m.safetensors", "--html", "m.safetensors"], message: "--html m.safetensors and --output m.safetensors collide"),
        EarlyRefusal(arguments: ["-o", "m.safetensors", "--html", "./m.safetensors/"], message: "collide"),
        EarlyRefusal(arguments: ["-o", "report/index.html", "--html", "report"], message: "collide"),
        EarlyRefusal(arguments: ["-o", "m.safetensors", "--checkpoint", "run.ckpt", "--html", "run.ckpt"], message: "--html run.ckpt and --checkpoint run.ckpt collide"),
        EarlyRefusal(arguments: ["-o", "same.bin", "--checkpoint", "same.bin"], message: "--output and --checkpoint name the same file"),
        EarlyRefusal(arguments: ["-o", "same.bin", "--checkpoint", "./nowhere/../same.bin"], message: "name the same file"),
        EarlyRefusal(arguments: ["-o", "same.bin", "--checkpoint", "$DIR/same.bin"], message: "name the same file"),
        EarlyRefusal(arguments: ["-o", "link/same.bin", "--checkpoint", "same.bin"], message: "name the same file"),
        EarlyRefusal(arguments: ["-o", "run.ckpt", "--resume", "run.ckpt"], message: "--output and --resume name the same file"),
        EarlyRefusal(arguments: ["-o", "/dev/full"], message: "--output /dev/full: cannot write: it is not a regular file"),
        EarlyRefusal(arguments: ["--html", "/proc/self"], message: "--html /proc/self: does not take new files"),
        EarlyRefusal(arguments: ["--momentum", "0.9"], message: "--momentum applies to --optimizer momentum or nesterov, and this run uses sgd (the default); PyTorch's SGD(momentum=0.9) is --optimizer momentum"),
        EarlyRefusal(arguments: ["--optimizer", "adam", "--momentum", "0.9"], message: "this run uses adam;"),
        EarlyRefusal(arguments: ["--recipe", "small", "--momentum", "0.9"], message: "this run uses adamw (from --recipe small)"),
        EarlyRefusal(arguments: ["--optimizer", "adam", "--weight-decay", "0.01"], message: "--weight-decay does nothing with adam; use --optimizer adamw"),
        EarlyRefusal(arguments: ["--recipe", "small", "--limit", "5000"], message: "--validation 5000 (from --recipe small) leaves no training images of the 5000 that --limit 5000 keeps"),
        EarlyRefusal(arguments: ["--validation", "800", "--limit", "500"], message: "--validation 800 leaves no training images of the 500"),
        EarlyRefusal(arguments: ["--layers", "784"], message: "--layers <network>': a layer list needs at least two sizes"),
        EarlyRefusal(arguments: ["--layers", "784,0,10"], message: "--layers <network>': \"0\": a layer size must be a positive whole number"),
    ]

    @Test(arguments: refusals)
    func refusedBeforeTheDataLoads(refusal: EarlyRefusal) throws {
        let directory = try ScratchDirectory(prefix: "TrainOutputs")
        // `link` is the directory itself, another spelling of its paths.
        try FileManager.default.createSymbolicLink(atPath: directory.path("link"), withDestinationPath: ".")
        let arguments = refusal.arguments.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) }
        let started = Date()
        let run = try CLI.run("mnist-train", ["--data", BundledData.mnistDirectory] + arguments, in: directory.url)
        #expect(run.status != 0)
        #expect(run.stderr.contains(refusal.message), "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty, "the data was loaded: \(run.stdout)")
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(directory.contents == ["link"], "left behind: \(directory.contents)")
    }

    /// An --html directory that exists but takes no files: one made read-only (for a user other
    /// than root, whom permissions do not stop), and /proc, which takes no files from anyone.
    @Test func anExistingHTMLDirectoryThatTakesNoFilesIsRefused() throws {
        let directory = try ScratchDirectory(prefix: "TrainHTML")
        var unwritable = ["/proc"]
        if geteuid() != 0 {
            let locked = try directory.subdirectory("locked").path
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked)
            unwritable.append(locked)
        }
        for html in unwritable {
            let run = try CLI.run("mnist-train", ["--data", BundledData.mnistDirectory, "--html", html, "-o", "m.safetensors"], in: directory.url)
            #expect(run.status != 0)
            #expect(run.stderr.contains("--html \(html): does not take new files"), "stderr: \(run.stderr)")
            #expect(run.stdout.isEmpty, "the data was loaded: \(run.stdout)")
        }
    }

    /// The same options that are refused above, with nothing in the way, train: the checks do not
    /// refuse what is fine.
    @Test func distinctOutputsInTheSameDirectoryAreAccepted() throws {
        let directory = try ScratchDirectory(prefix: "TrainOutputsFine")
        let run = try CLI.run("mnist-train", [
            "--dataset", "edges", "-o", "report/m.safetensors", "--html", "report", "--checkpoint", "run.ckpt",
            "--optimizer", "momentum", "--momentum", "0.5",
        ], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Set(directory.contents) == ["report", "run.ckpt"])
        #expect(FileManager.default.fileExists(atPath: directory.path("report/m.safetensors")))
        #expect(FileManager.default.fileExists(atPath: directory.path("report/index.html")))
    }
}
