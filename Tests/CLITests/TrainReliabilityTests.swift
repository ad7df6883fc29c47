// mnist-train under the things that go wrong in real runs: a learning rate that blows up, an
// output path that cannot be written, Ctrl-C in the middle of an epoch (then --resume), and
// SIGKILL in the middle of a checkpoint write.

import Foundation
import NeuralNet
import TestSupport
import Testing

/// A running mnist-train whose output goes to files in `directory`.
private final class RunningTrain {
    let process = Process()
    let directory: URL

    init(_ arguments: [String], in directory: URL) throws {
        self.directory = directory
        process.executableURL = try CLI.executable(named: "mnist-train")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = directory.appendingPathComponent("stdout.txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var output: String {
        (try? String(contentsOf: directory.appendingPathComponent("stdout.txt"), encoding: .utf8)) ?? ""
    }

    /// Waits (up to `timeout` seconds) until `condition` holds; false if the process ended or the
    /// time ran out first.
    func wait(upTo timeout: Double = 120, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return condition() }
            usleep(2_000)
        }
        return false
    }

    func finish() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite(.serialized) struct TrainReliabilityTests {
    static let data = ["--data", BundledData.mnistDirectory]

    @Test(arguments: [["--learning-rate", "50"], ["--learning-rate", "1000"], ["--optimizer", "adam", "--learning-rate", "1"]])
    func aDivergingRunSaysSoAndWritesNoModel(arguments: [String]) throws {
        let directory = try ScratchDirectory(prefix: "Diverge")
        let run = try CLI.run("mnist-train", Self.data + ["--limit", "6000", "--epochs", "2"] + arguments + ["-o", "m.safetensors"], in: directory.url)
        #expect(run.status != 0)
        #expect(run.stderr.contains("training diverged in epoch"), "\(run.stderr)")
        #expect(run.stderr.contains("try a smaller learning rate"))
        #expect(run.stderr.contains("No model was written"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("m.safetensors")))
    }

    @Test func anUnwritableOutputFailsAtOnceBeforeTheDataIsRead() throws {
        let started = Date()
        let run = try CLI.run("mnist-train", Self.data + ["-o", "/nonexistent/dir/m.safetensors"])
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent/dir"), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "nothing was trained or loaded: \(run.stdout)")
        let checkpoint = try CLI.run("mnist-train", Self.data + ["--checkpoint", "/nonexistent/dir/run.ckpt"])
        #expect(checkpoint.status != 0 && checkpoint.stdout.isEmpty)
    }

    @Test(arguments: [
        ["--optimizer", "sgd"], ["--optimizer", "adam", "--schedule", "cosine"],
        // A convolutional network with batch norm (running statistics in the checkpoint) and distortions;
        // its second convolution takes the Winograd path.
        ["--layers", "1x28x28,8C3S2,BN,8C3,BN,MP2,8,BN,10", "--optimizer", "adamw", "--augment", "affine"],
    ])
    func ctrlCThenResumeGivesTheUninterruptedModel(recipe: [String]) throws {
        let directory = try ScratchDirectory(prefix: "Resume")
        let common = Self.data + ["--limit", "6000", "--epochs", "4", "--validation", "1000", "--seed", "5", "--threads", "2"] + recipe
        let straight = try CLI.run("mnist-train", common + ["-o", "straight.safetensors"], in: directory.url)
        try #require(straight.status == 0, "\(straight.stderr)")

        let running = try RunningTrain(common + ["--checkpoint", "run.ckpt", "-o", "resumed.safetensors"], in: directory.url)
        // The checkpoint appears after the first epoch: interrupt the second.
        let checkpointed = running.wait { FileManager.default.fileExists(atPath: directory.path("run.ckpt")) }
        try #require(checkpointed, "no checkpoint: \(running.output)")
        running.process.interrupt()
        let status = running.finish()
        #expect(status == 130, "\(running.output)")
        #expect(running.output.contains("interrupted at epoch"), "\(running.output)")
        #expect(running.output.contains("--resume run.ckpt"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("resumed.safetensors")))

        let resumed = try CLI.run("mnist-train", Self.data + ["--resume", "run.ckpt", "-o", "resumed.safetensors"], in: directory.url)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed from run.ckpt"))
        let a = FileManager.default.contents(atPath: directory.path("straight.safetensors"))
        let b = FileManager.default.contents(atPath: directory.path("resumed.safetensors"))
        #expect(a != nil && a == b, "the resumed run's model differs from the uninterrupted one")
    }

    @Test func ctrlCWithoutACheckpointSaysNothingWasKept() throws {
        let directory = try ScratchDirectory(prefix: "Interrupt")
        let running = try RunningTrain(Self.data + ["--epochs", "50", "--limit", "20000", "-o", "m.safetensors"], in: directory.url)
        try #require(running.wait { running.output.contains("epoch  1/50") }, "\(running.output)")
        running.process.interrupt()
        #expect(running.finish() == 130)
        #expect(running.output.contains("no model was written (--checkpoint PATH keeps a run's progress)"), "\(running.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("m.safetensors")))
    }

    @Test func resumingWithADifferentRecipeIsRefused() throws {
        let directory = try ScratchDirectory(prefix: "ResumeMismatch")
        let first = try CLI.run("mnist-train", Self.data + ["--limit", "2000", "--epochs", "1", "--checkpoint", "run.ckpt", "-o", "a.safetensors"], in: directory.url)
        try #require(first.status == 0, "\(first.stderr)")
        let run = try CLI.run("mnist-train", Self.data + ["--resume", "run.ckpt", "--batch-size", "32", "-o", "b.safetensors"], in: directory.url)
        #expect(run.status != 0)
        #expect(run.stderr.contains("batchSize 64 → 32"), "\(run.stderr)")
        let notACheckpoint = try CLI.run("mnist-train", Self.data + ["--resume", "a.safetensors", "-o", "b.safetensors"], in: directory.url)
        #expect(notACheckpoint.status != 0)
        #expect(notACheckpoint.stderr.contains("not a checkpoint"), "\(notACheckpoint.stderr)")
    }

    @Test func sigkillDuringACheckpointWriteLeavesThePreviousOneLoadable() throws {
        let directory = try ScratchDirectory(prefix: "Kill")
        // A wide layer makes each checkpoint tens of megabytes, so its write takes a while.
        let running = try RunningTrain(Self.data + [
            "--limit", "1000", "--epochs", "40", "--layers", "784,3000,10", "--optimizer", "adam",
            "--checkpoint", "run.ckpt", "-o", "m.safetensors",
        ], in: directory.url)
        let checkpoint = directory.path("run.ckpt")
        // Wait for a first complete checkpoint, then for the temporary file of the next write.
        try #require(running.wait { FileManager.default.fileExists(atPath: checkpoint) }, "\(running.output)")
        let writing = running.wait {
            (try? FileManager.default.contentsOfDirectory(atPath: directory.url.path))?.contains { $0.hasSuffix(".tmp") } ?? false
        }
        kill(running.process.processIdentifier, SIGKILL)
        _ = running.finish()
        #expect(writing, "the kill did not land during a write")
        let document = try SafeTensors(decoding: readFile(checkpoint))
        #expect(document.metadata["checkpoint_format"] == "mnist-swift-checkpoint/1")
        #expect(document.metadata["trainer_state"] != nil && document.metadata["run_settings"] != nil)
        #expect(document["0.weight"]?.shape == [3000, 784])
    }

    @Test func sigtermIsTreatedLikeCtrlC() throws {
        let directory = try ScratchDirectory(prefix: "Term")
        let running = try RunningTrain(Self.data + [
            "--limit", "6000", "--epochs", "50", "--checkpoint", "run.ckpt", "-o", "m.safetensors",
        ], in: directory.url)
        try #require(running.wait { FileManager.default.fileExists(atPath: directory.path("run.ckpt")) }, "\(running.output)")
        kill(running.process.processIdentifier, SIGTERM)
        #expect(running.finish() == 143, "\(running.output)")
        #expect(running.output.contains("interrupted by SIGTERM at epoch"), "\(running.output)")
        #expect(running.output.contains("checkpoint written to run.ckpt; continue with --resume run.ckpt"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("m.safetensors")))
        let document = try SafeTensors(decoding: readFile(directory.path("run.ckpt")))
        #expect(document.metadata["run_settings"] != nil)
    }

    /// A checkpoint that cannot be written (here a file-size limit, which fails the write as a
    /// full disk does, for any user) stops the run, saying why and what the file still holds.
    @Test(arguments: [false, true])
    func aCheckpointWriteThatFailsSaysWhatWasKept(earlierFile: Bool) throws {
        let directory = try ScratchDirectory(prefix: "FullDisk")
        let earlier = Data("an earlier checkpoint".utf8)
        if earlierFile { try earlier.write(to: URL(fileURLWithPath: directory.path("run.ckpt"))) }
        let tool = try CLI.executable(named: "mnist-train").path
        // dash counts ulimit -f in 512-byte blocks: 200 KB, under the checkpoint's 613 KB. SIGXFSZ
        // ignored, so that the write fails with EFBIG instead of killing the process.
        let run = try CLI.run(executableAt: URL(fileURLWithPath: "/bin/sh"), [
            "-c", "trap '' XFSZ; ulimit -f 400; exec \"$0\" \"$@\"", tool,
            "--data", BundledData.mnistDirectory, "--limit", "1000", "--epochs", "2", "--layers", "784,64,10",
            "--optimizer", "adam", "--checkpoint", "run.ckpt", "-o", "m.safetensors",
        ], in: directory.url)
        #expect(run.status == 1)
        #expect(run.stderr.contains("the checkpoint could not be written: run.ckpt: cannot write: File too large"), "\(run.stderr)")
        let kept = earlierFile ? "run.ckpt is left as it was before this run" : "no checkpoint was kept"
        #expect(run.stderr.contains(kept + ". No model was written."), "\(run.stderr)")
        #expect(directory.contents == (earlierFile ? ["run.ckpt"] : []), "left behind: \(directory.contents)")
        if earlierFile { #expect(FileManager.default.contents(atPath: directory.path("run.ckpt")) == earlier) }
    }

    @Test func resumingFromAPNGNamesWhatTheFileIs() throws {
        let directory = try ScratchDirectory(prefix: "ResumePNG")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0x30, count: 32)
        try Data(png).write(to: URL(fileURLWithPath: directory.path("digit.png")))
        let run = try CLI.run("mnist-train", Self.data + ["--resume", "digit.png", "-o", "m.safetensors"], in: directory.url)
        #expect(run.status != 0)
        #expect(run.stderr.contains("--resume: digit.png: this is a PNG image, not a checkpoint"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
