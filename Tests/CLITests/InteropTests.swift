// Meeting users where their models and images are, end to end: PyTorch state dicts (committed
// fixtures, half and double precision, no metadata) agree with NumPy; a labelled folder tree
// evaluated by mnist-eval --images-dir agrees with mnist-predict on the same files; standard
// input, --recursive, folders of folders, output order under 2>&1, and plain progress under
// TERM=dumb on a real (pseudo-)terminal.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

@Suite struct InteropTests {
    /// Tests/CLITests/Fixtures, written by scripts/make_torch_fixture.py.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let torchF16 = fixtures.appendingPathComponent("torch-784-16-8-10-f16.safetensors").path

    /// The bundled MNIST test set.
    static let testSet = Result { try MNISTDataset.loadTestSet(directory: BundledData.mnistDirectory).0 }

    /// Test image `index` as the 28×28 grey image it is in the IDX file.
    static func testImage(_ index: Int) throws -> GrayImage {
        let row = try testSet.get().matrix(index..<(index + 1)).row(0)
        return GrayImage(width: 28, height: 28, pixels: row.map { UInt8(($0 * 255).rounded()) })
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }

    // MARK: PyTorch models

    @Test(arguments: ["torch-784-16-8-10-f16", "torch-784-4-10-f64"])
    func torchStateDictAgreesWithNumPy(fixture: String) throws {
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("\(fixture).expected.json"))) as? [String: Any])
        let indices = try #require(expected["test_images"] as? [Int])
        let probabilities = try #require(expected["probabilities"] as? [[Double]])
        let scratch = try ScratchDirectory(prefix: "InteropTests-torch")
        let files = try indices.map { index in
            let path = scratch.path(String(format: "%05d.png", index))
            try Self.testImage(index).writePNG(to: path)
            return path
        }
        let model = Self.fixtures.appendingPathComponent("\(fixture).safetensors").path
        // The file really is a bare state dict: no metadata, not F32.
        let document = try SafeTensors(decoding: readFile(model))
        #expect(document.metadata.isEmpty)
        #expect(try String(decoding: readFile(model), as: UTF8.self).contains(fixture.hasSuffix("f16") ? "\"F16\"" : "\"F64\""))

        let run = try CLI.run("mnist-predict", ["--model", model, "--raw", "--json"] + files)
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try Self.jsonLines(run.stdout)
        try #require(objects.count == files.count)
        for (object, (file, reference)) in zip(objects, zip(files, probabilities)) {
            #expect(object["file"] as? String == file)
            let found = try #require(object["probabilities"] as? [Double])
            #expect(found.count == 10)
            // Float32 arithmetic against float64, printed to 6 significant digits.
            for (a, b) in zip(found, reference) { #expect(abs(a - b) < 1e-5, "\(file): \(found) vs NumPy \(reference)") }
            let best = reference.indices.max { reference[$0] < reference[$1] }!
            #expect(object["digit"] as? Int == best)
        }
    }

    @Test func aPyTorchModelEvaluatesInMNISTEval() throws {
        let run = try CLI.run("mnist-eval", ["--model", Self.torchF16, "--data", BundledData.mnistDirectory, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["layers"] as? [Int] == [784, 16, 8, 10])
        #expect(json["samples"] as? Int == 10_000)
    }

    @Test(arguments: [
        ("png", "this is a PNG image, not a model"),
        ("json", "this is a JSON document, not a model"),
        ("txt", "this is a text file, not a model"),
    ])
    func nonModelFilesAreNamed(kind: String, message: String) throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-notmodel")
        let path = scratch.path("model.\(kind)")
        switch kind {
        case "png": try Self.testImage(0).writePNG(to: path)
        case "json": try Data(#"{"layers": "784,10"}"#.utf8).write(to: URL(fileURLWithPath: path))
        default: try Data("784,128,64,10\n".utf8).write(to: URL(fileURLWithPath: path))
        }
        for tool in ["mnist-eval", "mnist-predict"] {
            let run = try CLI.run(tool, ["--model", path] + (tool == "mnist-predict" ? [path] : []))
            #expect(run.status == 1)
            #expect(run.stderr.contains("\(path): \(message)"), "\(tool): \(run.stderr)")
        }
    }

    @Test func mnistEvalWithoutAModelGivesTheSameHintAsMNISTPredict() throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-nomodel")
        for tool in ["mnist-eval", "mnist-predict", "mnist-serve"] {
            let run = try CLI.run(tool, tool == "mnist-predict" ? ["x.png"] : [], in: scratch.url)
            #expect(run.status == 1)
            #expect(run.stderr.contains("no model at model.safetensors: run mnist-train first to train one, or pass --model <path>"), "\(tool): \(run.stderr)")
        }
    }

    @Test(arguments: [
        ("mnist-predict", ["--top", "-1", "x.png"], "--top must be positive, got -1"),
        ("mnist-eval", ["--threads", "-2"], "--threads must be 1 to 255, got -2"),
        ("mnist-bench", ["--repeats", "-1"], "--repeats must be positive, got -1"),
        ("mnist-bench", ["--big-repeats", "0"], "--big-repeats must be positive, got 0"),
    ])
    func negativeCountsAreRefusedByName(tool: String, arguments: [String], message: String) throws {
        let run = try CLI.run(tool, arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test(arguments: ["mnist-train", "mnist-predict", "mnist-eval", "mnist-bench", "mnist-serve"])
    func everyToolHasVersion(tool: String) throws {
        let run = try CLI.run(tool, ["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3, "\(run.stdout)")
    }

    @Test(arguments: ["mnist-predict", "mnist-eval", "mnist-serve"])
    func modelValueNameIsPath(tool: String) throws {
        let run = try CLI.run(tool, ["--help"])
        #expect(run.stdout.contains("--model <path>"), "\(run.stdout)")
    }

    // MARK: Labelled folders

    /// 40 test digits in DIR/label/NNNNN.png, half of them drawn dark on light paper twice the
    /// size (so preprocessing has work to do), one nested a level deeper, plus a broken PNG, a
    /// text file and a folder that is not a class.
    static func labelledTree(in scratch: ScratchDirectory) throws -> (directory: URL, images: Int) {
        let root = try scratch.subdirectory("digits")
        let labels = try testSet.get().labels
        let indices = Array(100..<140)
        for index in indices {
            let label = labels[index]
            var folder = root.appendingPathComponent(String(label))
            if index == 101 { folder = folder.appendingPathComponent("more") }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var image = try testImage(index)
            if index % 2 == 0 {
                // Dark ink on light paper, 56×56.
                let big = GrayImage(width: 56, height: 56, pixels: (0..<(56 * 56)).map { 255 - image.pixels[($0 / 56 / 2) * 28 + ($0 % 56) / 2] })
                image = big
            }
            try image.writePNG(to: folder.appendingPathComponent(String(format: "%05d.png", index)).path)
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("3"), withIntermediateDirectories: true)
        try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: root.appendingPathComponent("3/broken.png"))
        try Data("notes".utf8).write(to: root.appendingPathComponent("3/notes.txt"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("unsorted"), withIntermediateDirectories: true)
        return (root, indices.count)
    }

    @Test func imagesDirGivesTheAccuracyMNISTPredictGivesOnTheSameFiles() throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-folder")
        let (root, imageCount) = try Self.labelledTree(in: scratch)
        let html = scratch.path("report")

        let eval = try CLI.run("mnist-eval", ["--model", Self.torchF16, "--images-dir", root.path, "--json", "--html", html])
        #expect(eval.status == 0, "\(eval.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let broken = root.appendingPathComponent("3/broken.png").path
        #expect(report["samples"] as? Int == imageCount)
        #expect((report["unreadable_files"] as? [[String: Any]])?.map { $0["file"] as? String } == [broken])
        #expect(eval.stderr.contains("\(broken): error:"))

        // The same files through mnist-predict; the label is the class folder under the root.
        let predict = try CLI.run("mnist-predict", ["--model", Self.torchF16, "--recursive", "--json", root.path])
        #expect(predict.status == 1, "the broken file fails")
        let predictions = try Self.jsonLines(predict.stdout).filter { $0["digit"] != nil }
        #expect(predictions.count == imageCount)
        let correct = predictions.filter { object in
            let file = object["file"] as! String
            let label = Int(file.dropFirst(root.path.count + 1).split(separator: "/")[0])
            return object["digit"] as? Int == label
        }.count
        #expect(report["correct"] as? Int == correct)
        #expect(correct < imageCount, "the gallery needs mistakes")

        // The mistakes name their files, and the page shows each one as drawn beside the 28×28.
        let mistakes = try #require(report["most_confident_mistakes"] as? [[String: Any]])
        #expect(mistakes.allSatisfy { ($0["file"] as? String)?.hasPrefix(root.path) == true })
        let page = try String(contentsOfFile: html + "/index.html", encoding: .utf8)
        #expect(page.components(separatedBy: "class=\"original\"").count - 1 == mistakes.count)
        #expect(page.contains("Files not read"))
        #expect(page.contains("3/broken.png"))

        let text = try CLI.run("mnist-eval", ["--model", Self.torchF16, "--images-dir", root.path])
        #expect(text.stdout.contains("1 file could not be read"))
        let markdown = try CLI.run("mnist-eval", ["--model", Self.torchF16, "--images-dir", root.path, "--markdown"])
        #expect(markdown.stdout.contains("## Files not read"))
    }

    @Test func aFolderWithoutClassFoldersIsRefused() throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-noclasses")
        try Self.testImage(0).writePNG(to: scratch.path("a.png"))
        let run = try CLI.run("mnist-eval", ["--model", Self.torchF16, "--images-dir", scratch.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("has no class folders"), "\(run.stderr)")
    }

    // MARK: mnist-predict inputs

    @Test func standardInputIsOnePNG() throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-stdin")
        let file = scratch.path("seven.png")
        try Self.testImage(0).writePNG(to: file)
        let direct = try CLI.run("mnist-predict", ["--model", Self.torchF16, file])
        let answer = try #require(direct.stdoutLines.first?.components(separatedBy: ": ").last)
        let bytes = try readFile(file)

        let redirected = try CLI.run("mnist-predict", ["--model", Self.torchF16, "-"], input: .file(URL(fileURLWithPath: file)))
        #expect(redirected.status == 0, "\(redirected.stderr)")
        #expect(redirected.stdoutLines == ["-: \(answer)"])
        let piped = try CLI.run("mnist-predict", ["--model", Self.torchF16, "-"], input: .pipe(bytes))
        #expect(piped.stdoutLines == ["-: \(answer)"], "\(piped.stderr)")
        // A pipe under its device name is read too, not reported as unreadable.
        let device = try CLI.run("mnist-predict", ["--model", Self.torchF16, "/dev/stdin"], input: .pipe(bytes))
        #expect(device.stdoutLines == ["/dev/stdin: \(answer)"], "\(device.stderr)")
        let empty = try CLI.run("mnist-predict", ["--model", Self.torchF16, "-"], input: .pipe([]))
        #expect(empty.status == 1)
        #expect(empty.stderr.hasPrefix("-: error:"), "\(empty.stderr)")
    }

    @Test func aFolderOfFoldersNeedsRecursive() throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-recursive")
        let (root, imageCount) = try Self.labelledTree(in: scratch)
        let single = scratch.path("single.png")
        try Self.testImage(5).writePNG(to: single)

        let flat = try CLI.run("mnist-predict", ["--model", Self.torchF16, root.path, single])
        #expect(flat.status == 1, "the folder is not skipped silently")
        #expect(flat.stdoutLines.count == 1)
        #expect(flat.stderr.contains("\(root.path): error: holds no images (.png, .jpg, .jpeg), only the folders 0/, 1/,"), "\(flat.stderr)")
        #expect(flat.stderr.contains("(add --recursive to classify the images in them)"))

        let walked = try CLI.run("mnist-predict", ["--model", Self.torchF16, "--recursive", root.path])
        let files = walked.stdoutLines.map { $0.components(separatedBy: ": ")[0] }
        #expect(files.count == imageCount)
        #expect(files == files.sorted())
        #expect(files.contains { $0.contains("/more/") }, "two levels down")
        #expect(walked.stderrLines.count == 1 && walked.stderrLines[0].hasPrefix(root.path + "/3/broken.png: error:"), "\(walked.stderr)")

        let empty = try scratch.subdirectory("empty")
        let nothing = try CLI.run("mnist-predict", ["--model", Self.torchF16, "--recursive", empty.path, single])
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("\(empty.path): error: holds no files, neither in it nor in its subfolders"))
    }

    // MARK: Terminal manners

    /// Good and bad files interleaved: with `2>&1` into one file, the lines must come out in the
    /// order of the files. Block-buffered standard output would put every error line first.
    @Test func outputKeepsItsOrderUnderMergedOutput() throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-order")
        let directory = try scratch.subdirectory("mixed")
        for index in 0..<8 {
            let path = directory.appendingPathComponent(String(format: "%02d.png", index)).path
            if index % 2 == 0 {
                try Self.testImage(index).writePNG(to: path)
            } else {
                try Data("not a png".utf8).write(to: URL(fileURLWithPath: path))
            }
        }
        let run = try CLI.run("mnist-predict", ["--model", Self.torchF16, directory.path], mergingOutput: true)
        #expect(run.status == 1)
        let lines = run.stdoutLines
        #expect(lines.count == 8)
        for (index, line) in lines.enumerated() {
            let name = directory.appendingPathComponent(String(format: "%02d.png", index)).path
            #expect(line.hasPrefix(name + (index % 2 == 0 ? ": " : ": error:")), "line \(index): \(line)")
        }
    }

    /// mnist-train on a terminal 60 columns wide: with TERM=xterm a bar redrawn in place that fits
    /// in 59 columns; with TERM=dumb only plain lines, as in a pipe.
    @Test func progressIsPlainUnderDumbTerminalAndFitsTheWidthOtherwise() throws {
        let scratch = try ScratchDirectory(prefix: "InteropTests-progress")
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = nil
        let arguments = ["--dataset", "edges", "--epochs", "2", "--output", "edges.safetensors"]

        environment["TERM"] = "xterm"
        let live = try PseudoTerminal.run("mnist-train", arguments, in: scratch.url, columns: 60, environment: environment)
        #expect(live.status == 0, "\(live.output)")
        #expect(live.output.contains("\u{1B}[K"), "a bar is drawn on a terminal: \(live.output)")
        let frames = live.output.components(separatedBy: "\r").map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }
            .filter { $0.contains("[") && $0.contains("]") && !$0.contains("\n") }
        #expect(!frames.isEmpty)
        for frame in frames { #expect(frame.count <= 59, "\(frame.count) columns: \(frame)") }

        environment["TERM"] = "dumb"
        let dumb = try PseudoTerminal.run("mnist-train", arguments, in: scratch.url, columns: 60, environment: environment)
        #expect(dumb.status == 0, "\(dumb.output)")
        #expect(!dumb.output.contains("\r") && !dumb.output.contains("\u{1B}"), "\(dumb.output.debugDescription)")
        #expect(dumb.output.contains("epoch  1/2") && dumb.output.contains("epoch  2/2"), "\(dumb.output)")
    }
}
