// Every tool fails when its standard output cannot be written: `mnist-eval --json > /dev/full`
// must not exit 0 having written nothing (ToolCommand's check of the final flush).

import Foundation
import TestSupport
import Testing

/// A tool's invocation that prints to standard output and succeeds when it can.
struct PrintingInvocation: Sendable, CustomTestStringConvertible {
    var tool: String
    var arguments: [String]
    var testDescription: String { ([tool] + arguments).joined(separator: " ") }
}

@Suite(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
struct StandardOutputTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/torch-784-4-10-f64.safetensors").path
    static let samples = BundledData.packageRoot.appendingPathComponent("data/samples").path

    static let invocations = [
        PrintingInvocation(tool: "mnist-eval", arguments: ["--model", model, "--data", BundledData.mnistDirectory, "--json"]),
        PrintingInvocation(tool: "mnist-eval", arguments: ["--version"]),
        PrintingInvocation(tool: "mnist-predict", arguments: ["--model", model, "--json", samples]),
        PrintingInvocation(tool: "mnist-train", arguments: ["--dataset", "edges", "-o", "edges.safetensors"]),
        PrintingInvocation(tool: "mnist-bench", arguments: ["--help"]),
        PrintingInvocation(tool: "mnist-serve", arguments: ["--help"]),
    ]

    @Test(arguments: invocations)
    func aFullStandardOutputFailsTheRun(invocation: PrintingInvocation) throws {
        let directory = try ScratchDirectory(prefix: "StandardOutput")
        let fine = try CLI.run(invocation.tool, invocation.arguments, in: directory.url)
        try #require(fine.status == 0, "\(fine.stderr)")
        #expect(!fine.stdout.isEmpty)

        // Through sh, so that standard output is /dev/full itself.
        let tool = try CLI.executable(named: invocation.tool).path
        let full = try CLI.run(
            executableAt: URL(fileURLWithPath: "/bin/sh"),
            ["-c", "exec \"$0\" \"$@\" > /dev/full", tool] + invocation.arguments, in: directory.url)
        #expect(full.status == 1, "\(full.stderr)")
        #expect(full.stderr.contains("Error: standard output could not be written"), "\(full.stderr)")
    }
}
