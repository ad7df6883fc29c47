// End-to-end runs over the image inputs: JPEG files, folders and standard input, each kind of bad
// JPEG, folders described as they are, names that are not UTF-8, --save-preprocessed mirroring
// subfolders, and what mnist-eval --images-dir skips. Fixtures/seven*.jpg come from
// scripts/make_jpeg_fixtures.py.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

private let model = InteropTests.torchF16
private let seven = InteropTests.fixtures.appendingPathComponent("seven.jpg").path
private let sevenSideways = InteropTests.fixtures.appendingPathComponent("seven-sideways.jpg").path

private func probabilities(_ run: CLIRun) throws -> [[Double]] {
    try InteropTests.jsonLines(run.stdout).map { try #require($0["probabilities"] as? [Double]) }
}

@Suite struct ImageInputTests {
    @Test func jpegFilesAndStandardInputAreClassified() throws {
        let run = try CLI.run("mnist-predict", ["--model", model, "--json", seven, sevenSideways])
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try InteropTests.jsonLines(run.stdout)
        #expect(objects.count == 2 && objects[0]["digit"] as? Int == objects[1]["digit"] as? Int)
        // Stored turned on its side with Exif orientation 6, it reads as the upright file does.
        let (upright, sideways) = try (probabilities(run)[0], probabilities(run)[1])
        #expect(zip(upright, sideways).allSatisfy { abs($0 - $1) < 0.05 }, "\(upright) \(sideways)")

        let direct = try CLI.run("mnist-predict", ["--model", model, seven])
        let piped = try CLI.run("mnist-predict", ["--model", model, "-"], input: .file(URL(fileURLWithPath: seven)))
        #expect(piped.stdoutLines == ["-: " + direct.stdout.dropFirst(seven.count + 2).trimmingCharacters(in: .newlines)],
                "\(piped.stdout)\(piped.stderr)")
    }

    @Test func everyBadJPEGGetsAnErrorLineAndTheOthersAreClassified() throws {
        let scratch = try ScratchDirectory(prefix: "ImageInputTests-bad")
        let good = try readFile(seven)
        var corrupt = good
        let scan = try #require(good.indices.first { good[$0...].starts(with: [0xFF, 0xDA]) })
        corrupt.replaceSubrange((scan + 40)..<(scan + 42), with: [0xFF, 0xD5])
        var huge = good
        let frame = try #require(good.indices.first { good[$0...].starts(with: [0xFF, 0xC0]) })
        huge.replaceSubrange((frame + 5)..<(frame + 9), with: [0xFF, 0xDC, 0xFF, 0xDC])
        let bad: [(name: String, bytes: [UInt8], phrase: String)] = [
            ("zero.jpg", [], "empty file (0 bytes), not an image"),
            ("truncated.jpg", Array(good.prefix(good.count / 2)), "truncated JPEG file"),
            ("corrupt.jpg", corrupt, "cannot decode JPEG: Corrupt JPEG data"),
            ("huge.jpg", huge, "image is 65500×65500 pixels, more than the limit"),
        ]
        for file in bad { try scratch.write(file.name, file.bytes) }
        try scratch.write("good.jpg", good)

        let run = try CLI.run("mnist-predict", ["--model", model, scratch.path])
        #expect(run.status == 1)
        #expect(run.stdoutLines.count == 1 && run.stdoutLines[0].hasPrefix(scratch.path("good.jpg") + ": "), "\(run.stdout)")
        #expect(run.stderrLines.count == bad.count, "\(run.stderr)")
        for file in bad {
            let line = run.stderrLines.first { $0.hasPrefix(scratch.path(file.name) + ": error: ") }
            #expect(line?.contains(file.phrase) == true, "\(file.name): \(line ?? "no error line")")
        }
    }

    /// The issue's folder: readme.txt, a.jpg and sub/. The JPEG is classified; a folder without
    /// images says what it holds instead of "only folders".
    @Test func foldersAreDescribedAsTheyAre() throws {
        let scratch = try ScratchDirectory(prefix: "ImageInputTests-folders")
        let mixed = try scratch.subdirectory("mixed")
        try scratch.write("mixed/readme.txt", Array("notes".utf8))
        try scratch.write("mixed/a.jpg", try readFile(seven))
        _ = try scratch.subdirectory("mixed/sub")
        let run = try CLI.run("mnist-predict", ["--model", model, mixed.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.count == 1 && run.stdoutLines[0].hasPrefix(scratch.path("mixed/a.jpg") + ": "))

        let none = try scratch.subdirectory("none")
        try scratch.write("none/readme.txt", Array("notes".utf8))
        try scratch.write("none/scan.gif", Array("GIF89a".utf8))
        _ = try scratch.subdirectory("none/sub")
        let nothing = try CLI.run("mnist-predict", ["--model", model, none.path])
        #expect(nothing.status == 1)
        #expect(nothing.stderrLines == ["\(none.path): error: holds no images (.png, .jpg, .jpeg), only readme.txt (not an image), "
            + "scan.gif (a GIF image; only PNG and JPEG images are read), the folder sub/ (add --recursive to classify the images in it)"])
    }

    @Test func aNameThatIsNotUTF8IsClassified() throws {
        let scratch = try ScratchDirectory(prefix: "ImageInputTests-latin1")
        let path = FileSystemPath(scratch.path).appending(FileSystemPath(bytes: Array("caf".utf8) + [0xE9] + Array(".jpg".utf8)))
        let bytes = try readFile(seven)
        let descriptor = path.withCString { open($0, O_WRONLY | O_CREAT, 0o644) }
        try #require(descriptor >= 0)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        let run = try CLI.run("mnist-predict", ["--model", model, scratch.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.count == 1 && run.stdoutLines[0].hasPrefix(scratch.path + "/caf\u{FFFD}.jpg: "), "\(run.stdout)")
    }

    @Test func recursiveSavesMirrorTheSubfolders() throws {
        let scratch = try ScratchDirectory(prefix: "ImageInputTests-mirror")
        let digits = try scratch.subdirectory("digits")
        _ = try scratch.subdirectory("digits/a/b")
        let jpeg = try readFile(seven)
        for name in ["x.jpg", "a/x.jpg", "a/b/x.jpeg"] { try scratch.write("digits/" + name, jpeg) }
        try InteropTests.testImage(0).writePNG(to: scratch.path("digits/a/y.png"))
        let output = scratch.url.appendingPathComponent("seen")
        let run = try CLI.run("mnist-predict", ["--model", model, "--recursive", "--save-preprocessed", output.path, digits.path])
        #expect(run.status == 0, "\(run.stderr)")
        let saved = try #require(FileManager.default.subpaths(atPath: output.path)).filter { $0.hasSuffix(".png") }.sorted()
        #expect(saved == ["a/b/x.png", "a/x.png", "a/y.png", "x.png"])
        let image = try GrayImage(contentsOf: FileSystemPath(output.appendingPathComponent("a/b/x.png").path))
        #expect(image.width == 28 && image.height == 28)

        // x.png and x.jpg in one folder would be saved under one name: refused before any work.
        try InteropTests.testImage(0).writePNG(to: scratch.path("digits/x.png"))
        let clash = try CLI.run("mnist-predict", ["--model", model, "--save-preprocessed", scratch.path("other"), digits.path])
        #expect(clash.status == 1)
        #expect(clash.stdout.isEmpty)
        #expect(clash.stderr.contains("would both be saved as \(scratch.path("other/x.png"))"), "\(clash.stderr)")
    }

    /// /proc/self is a directory nobody can create files in, root included.
    @Test func anUnwritableSaveDirectoryIsRefusedBeforeClassifying() throws {
        let run = try CLI.run("mnist-predict", ["--model", model, "--save-preprocessed", "/proc/self", seven])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("--save-preprocessed: /proc/self does not take new files"), "\(run.stderr)")
    }

    // MARK: mnist-eval --images-dir

    @Test func evalListsWhatItSkipsAndReadsJPEGs() throws {
        let scratch = try ScratchDirectory(prefix: "ImageInputTests-eval")
        for folder in ["7", "03", "seven", "10"] {
            _ = try scratch.subdirectory(folder)
            try scratch.write("\(folder)/a.jpg", try readFile(seven))
        }
        try scratch.write("7/notes.txt", Array("notes".utf8))
        let run = try CLI.run("mnist-eval", ["--model", model, "--images-dir", scratch.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["samples"] as? Int == 1)
        #expect(run.stderrLines == [
            "skipped \(scratch.path("03"))/ (a folder; class folders are named 0 … 9)",
            "skipped \(scratch.path("10"))/ (a folder; class folders are named 0 … 9)",
            "skipped \(scratch.path("7/notes.txt")) (not an image)",
            "skipped \(scratch.path("seven"))/ (a folder; class folders are named 0 … 9)",
        ])
    }

    @Test func evalWithNothingUsableSaysWhatItFound() throws {
        let scratch = try ScratchDirectory(prefix: "ImageInputTests-evalnone")
        _ = try scratch.subdirectory("seven")
        try scratch.write("a.jpg", try readFile(seven))
        let run = try CLI.run("mnist-eval", ["--model", model, "--images-dir", scratch.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("it holds a.jpg, seven/ (a folder; not a class name)"), "\(run.stderr)")

        let file = try CLI.run("mnist-eval", ["--model", model, "--images-dir", seven])
        #expect(file.status == 1)
        #expect(file.stderr.contains("\(seven): is a file, not a directory of class folders 0 … 9"), "\(file.stderr)")
    }
}
