// Running the package's executables from tests: finding the binaries built beside the test
// bundle, and running one to completion with its output and exit status captured.

import Foundation
import TestSupport

/// What a finished run of an executable left behind.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output's lines, without empty ones.
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    /// Standard error's lines, without empty ones.
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

enum CLI {
    /// The executable `name` from the build that made this test binary: it sits in the same
    /// directory (`.build*/debug`), found through `/proc/self/exe` or the main bundle.
    static func executable(named name: String) throws -> URL {
        var directories: [URL] = []
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: resolved).deletingLastPathComponent())
        }
        directories += [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [
            NSFilePathErrorKey: name,
            NSLocalizedDescriptionKey: "\(name) not found in \(directories.map(\.path))",
        ])
    }

    /// Runs executable `name` with `arguments` to completion. Output goes through files, not
    /// pipes, so a chatty program cannot block on a full pipe.
    static func run(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> CLIRun {
        try run(executableAt: executable(named: name), arguments, in: directory)
    }

    /// Runs the program at `url` with `arguments` to completion, capturing its output.
    static func run(executableAt url: URL, _ arguments: [String], in directory: URL? = nil) throws -> CLIRun {
        let scratch = try ScratchDirectory(prefix: "cli-run")
        let out = scratch.url.appendingPathComponent("stdout"), err = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)

        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CLIRun(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
