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

    /// What a run's standard input is.
    enum Input {
        /// /dev/null.
        case none
        /// A file's contents, read from the file.
        case file(URL)
        /// Bytes through a pipe.
        case pipe([UInt8])
    }

    /// Runs executable `name` with `arguments` to completion. Output goes through files, not
    /// pipes, so a chatty program cannot block on a full pipe.
    /// - Parameters:
    ///   - mergingOutput: standard error into the same file as standard output, as `2>&1` does;
    ///     the run's `stdout` then holds both.
    static func run(_ name: String, _ arguments: [String], in directory: URL? = nil, input: Input = .none,
                    environment: [String: String]? = nil, mergingOutput: Bool = false) throws -> CLIRun {
        try run(executableAt: executable(named: name), arguments, in: directory, input: input,
                environment: environment, mergingOutput: mergingOutput)
    }

    /// Runs the program at `url` with `arguments` to completion, capturing its output.
    static func run(executableAt url: URL, _ arguments: [String], in directory: URL? = nil, input: Input = .none,
                    environment: [String: String]? = nil, mergingOutput: Bool = false) throws -> CLIRun {
        let scratch = try ScratchDirectory(prefix: "cli-run")
        let out = scratch.url.appendingPathComponent("stdout"), err = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)

        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let output = try FileHandle(forWritingTo: out)
        process.standardOutput = output
        process.standardError = mergingOutput ? output : try FileHandle(forWritingTo: err)
        let pipe = Pipe()
        switch input {
        case .none: process.standardInput = FileHandle.nullDevice
        case .file(let file): process.standardInput = try FileHandle(forReadingFrom: file)
        case .pipe: process.standardInput = pipe
        }
        try process.run()
        if case .pipe(let bytes) = input {
            // A program that exits without reading must fail the test, not kill it.
            signal(SIGPIPE, SIG_IGN)
            try pipe.fileHandleForWriting.write(contentsOf: bytes)
            try pipe.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        return CLIRun(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
