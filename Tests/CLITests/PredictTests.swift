// End-to-end runs of mnist-predict: predictions on MNIST PNGs equal those on the IDX images,
// the output formats, directories, saved preprocessed images, and every kind of bad input.

import CZlib
import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// A small model trained in-process on 3000 test digits for one epoch, and 40 other test digits
/// written as 28×28 PNGs in MNIST form; shared by the tests, made once.
private struct PredictFixture: Sendable {
    /// Kept for the whole run: the fixture is shared by every test.
    let scratch: ScratchDirectory
    let directory: URL
    let model: String
    let digitsDirectory: URL
    /// The network's argmax on the IDX images of the 40 digits.
    let idxPredictions: [Int]
    let probabilities: [[Float]]

    static let shared = Result { try PredictFixture() }

    init() throws {
        scratch = try ScratchDirectory(prefix: "PredictTests")
        directory = scratch.url
        digitsDirectory = try scratch.subdirectory("digits")
        let mnist = BundledData.mnistDirectory + "/"
        let test = try MNISTDataset.loadPair(
            images: mnist + MNISTDataset.FileName.testImages + ".gz",
            labels: mnist + MNISTDataset.FileName.testLabels + ".gz")
        let network = try Network(layerSizes: [784, 64, 10], seed: 7)
        try network.train(on: test.prefix(3000), testingOn: test.prefix(10), options: TrainingOptions(epochs: 1, batchSize: 32, learningRate: 0.1))
        model = directory.appendingPathComponent("model.safetensors").path
        try network.save(to: model)

        let range = 5000..<5040
        let inputs = test.matrix(range)
        let output = network.probabilities(inputs)
        idxPredictions = output.argmaxPerRow()
        probabilities = (0..<range.count).map { output.row($0) }
        for row in 0..<range.count {
            let pixels = inputs.row(row).map { UInt8(($0 * 255).rounded()) }
            try GrayImage(width: 28, height: 28, pixels: pixels)
                .writePNG(to: digitsDirectory.appendingPathComponent(String(format: "%05d.png", range.lowerBound + row)).path)
        }
    }

    /// A fresh directory for one test's files.
    func scratch(_ name: String) throws -> URL {
        try scratch.subdirectory("\(name)-\(UUID().uuidString)")
    }
}

private func jsonObjects(_ run: CLIRun) throws -> [[String: Any]] {
    try run.stdoutLines.map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
    }
}

/// A PNG chunk with its CRC.
private func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    let crc = UInt32(body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
    return bigEndian(UInt32(data.count)) + body + bigEndian(crc)
}

private func bigEndian(_ value: UInt32) -> [UInt8] {
    [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
}

/// Every kind of bad input from the issue, with a phrase its error line must contain.
private func badFiles(from good: [UInt8]) -> [(name: String, bytes: [UInt8], phrase: String)] {
    var crc = good
    let idat = crc.indices.first { crc[$0...].starts(with: Array("IDAT".utf8)) }!
    let length = Int(crc[idat - 4]) << 24 | Int(crc[idat - 3]) << 16 | Int(crc[idat - 2]) << 8 | Int(crc[idat - 1])
    crc[idat + 4 + length] ^= 0xFF
    let huge = Array(good.prefix(8)) + chunk("IHDR", bigEndian(100_000) + bigEndian(100_000) + [8, 0, 0, 0, 0])
        + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
    let blank = (try? GrayImage(width: 64, height: 48, filledWith: 255).pngData()) ?? []
    return [
        ("empty.png", [], "empty file"),
        ("text.png", Array("This is a note, not a picture.\n".utf8), "holds text"),
        ("photo.png", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0], "JPEG"),
        ("truncated.png", Array(good.prefix(good.count / 2)), "cannot decode PNG"),
        ("crc.png", crc, "CRC"),
        ("huge.png", huge, "100000×100000"),
        ("blank.png", blank, "no ink"),
    ]
}

@Suite struct PredictTests {
    @Test func rawPredictionsOnMNISTPNGsEqualThoseOnTheIDXImages() throws {
        let fixture = try PredictFixture.shared.get()
        let run = try CLI.run("mnist-predict", ["--model", fixture.model, "--raw", "--json", fixture.digitsDirectory.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let objects = try jsonObjects(run)
        #expect(objects.map { $0["digit"] as? Int } == fixture.idxPredictions)
        for (object, expected) in zip(objects, fixture.probabilities) {
            let probabilities = try #require(object["probabilities"] as? [Double])
            #expect(probabilities.count == 10)
            #expect(zip(probabilities, expected).allSatisfy { abs($0 - Double($1)) < 1e-5 })
            #expect(abs((object["confidence"] as? Double ?? -1) - Double(expected.max()!)) < 1e-5)
        }
    }

    @Test func preprocessingKeepsMNISTDigitsTheirPredictions() throws {
        let fixture = try PredictFixture.shared.get()
        let run = try CLI.run("mnist-predict", ["--model", fixture.model, "--json", fixture.digitsDirectory.path])
        #expect(run.status == 0)
        #expect(try jsonObjects(run).map { $0["digit"] as? Int } == fixture.idxPredictions)
    }

    @Test func textLinesShowTheTopDigits() throws {
        let fixture = try PredictFixture.shared.get()
        let file = fixture.digitsDirectory.appendingPathComponent("05000.png").path
        let one = try CLI.run("mnist-predict", ["--model", fixture.model, file])
        #expect(one.status == 0)
        #expect(one.stdoutLines.count == 1)
        #expect(one.stdout.wholeMatch(of: /.*05000\.png: (\d) \(\d+\.\d%\)\n/)?.1 == Substring(String(fixture.idxPredictions[0])))
        let three = try CLI.run("mnist-predict", ["--model", fixture.model, "--top", "3", file])
        #expect(three.stdout.wholeMatch(of: /.*05000\.png: \d \(\d+\.\d%\), \d \(\d+\.\d%\), \d \(\d+\.\d%\)\n/) != nil)
    }

    @Test func directoriesStandForTheirPNGFilesSorted() throws {
        let fixture = try PredictFixture.shared.get()
        let directory = try fixture.scratch("sorted")
        for name in ["b.png", "a.PNG", "c.png"] {
            try FileManager.default.copyItem(
                at: fixture.digitsDirectory.appendingPathComponent("05001.png"), to: directory.appendingPathComponent(name))
        }
        try Data("notes".utf8).write(to: directory.appendingPathComponent("readme.txt"))
        let run = try CLI.run("mnist-predict", ["--model", fixture.model, directory.path])
        #expect(run.status == 0)
        #expect(run.stdoutLines.map { $0.components(separatedBy: ": ")[0] } == ["a.PNG", "b.png", "c.png"].map { directory.appendingPathComponent($0).path })
    }

    @Test func everyBadInputGetsItsOwnErrorLineAndTheOthersAreClassified() throws {
        let fixture = try PredictFixture.shared.get()
        let directory = try fixture.scratch("bad")
        let good = try [UInt8](Data(contentsOf: fixture.digitsDirectory.appendingPathComponent("05002.png")))
        let bad = badFiles(from: good)
        for file in bad {
            try Data(file.bytes).write(to: directory.appendingPathComponent(file.name))
        }
        try Data(good).write(to: directory.appendingPathComponent("good.png"))

        let run = try CLI.run("mnist-predict", ["--model", fixture.model, directory.path])
        #expect(run.status == 1)
        #expect(run.stdoutLines.count == 1)
        #expect(run.stdoutLines.first?.hasPrefix(directory.appendingPathComponent("good.png").path + ": ") == true)
        #expect(run.stderrLines.count == bad.count)
        for file in bad {
            let path = directory.appendingPathComponent(file.name).path
            let line = run.stderrLines.first { $0.hasPrefix(path + ": error: ") }
            #expect(line?.contains(file.phrase) == true, "\(file.name): \(line ?? "no error line")")
        }

        let json = try CLI.run("mnist-predict", ["--model", fixture.model, "--json", directory.path])
        #expect(json.status == 1)
        let objects = try jsonObjects(json)
        #expect(objects.count == bad.count + 1)
        #expect(objects.filter { $0["error"] != nil }.count == bad.count)
        #expect(objects.filter { $0["digit"] != nil }.map { $0["file"] as? String } == [directory.appendingPathComponent("good.png").path])
    }

    @Test func aMissingFileFailsAloneAndRawNeedsMNISTSize() throws {
        let fixture = try PredictFixture.shared.get()
        let directory = try fixture.scratch("raw")
        let large = directory.appendingPathComponent("large.png").path
        try GrayImage(width: 56, height: 56, filledWith: 0).writePNG(to: large)
        let good = fixture.digitsDirectory.appendingPathComponent("05003.png").path
        let run = try CLI.run("mnist-predict", ["--model", fixture.model, "--raw", good, "/no/such/digit.png", large])
        #expect(run.status == 1)
        #expect(run.stdoutLines.count == 1)
        #expect(run.stderrLines == [
            "/no/such/digit.png: error: no such file",
            "\(large): error: image is 56×56; raw input must be 28×28 (leave out --raw to preprocess it)",
        ])
    }

    @Test func savedPreprocessedImagesAreWhatTheNetworkSaw() throws {
        let fixture = try PredictFixture.shared.get()
        let directory = try fixture.scratch("save")
        let output = directory.appendingPathComponent("seen")
        let run = try CLI.run("mnist-predict", ["--model", fixture.model, "--raw", "--save-preprocessed", output.path, fixture.digitsDirectory.path])
        #expect(run.status == 0)
        let saved = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(saved == (try FileManager.default.contentsOfDirectory(atPath: fixture.digitsDirectory.path).sorted()))
        for name in saved.prefix(5) {
            let original = try GrayImage(contentsOf: FileSystemPath(fixture.digitsDirectory.appendingPathComponent(name).path))
            #expect(try GrayImage(contentsOf: FileSystemPath(output.appendingPathComponent(name).path)) == original)
        }
    }

    @Test func savingTwoInputsOfTheSameNameIsRefusedBeforeAnyWork() throws {
        let fixture = try PredictFixture.shared.get()
        let directory = try fixture.scratch("collide")
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: fixture.digitsDirectory.appendingPathComponent("05004.png"),
                to: directory.appendingPathComponent("\(name)/x.png"))
        }
        let output = directory.appendingPathComponent("seen")
        let run = try CLI.run("mnist-predict", [
            "--model", fixture.model, "--save-preprocessed", output.path,
            directory.appendingPathComponent("a").path, directory.appendingPathComponent("b").path,
        ])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("would both be saved as \(output.appendingPathComponent("x.png").path)"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func aSaveDirectoryThatIsAFileIsNamedInTheError() throws {
        let fixture = try PredictFixture.shared.get()
        let file = try fixture.scratch("savefile").appendingPathComponent("notes.txt")
        try Data("notes".utf8).write(to: file)
        let run = try CLI.run("mnist-predict", [
            "--model", fixture.model, "--save-preprocessed", file.path,
            fixture.digitsDirectory.appendingPathComponent("05000.png").path,
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--save-preprocessed: \(file.path) is a file, not a directory"))
    }

    @Test func aModelWhoseOutputsOverflowIsReportedNotPrinted() throws {
        let fixture = try PredictFixture.shared.get()
        // Every weight and bias 3e38: finite, so the loader accepts it, but the logits overflow.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.model)))
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        let huge = withUnsafeBytes(of: Float(3e38).bitPattern.littleEndian, Array.init)
        for offset in stride(from: 8 + headerLength, to: bytes.count, by: 4) {
            bytes.replaceSubrange(offset..<(offset + 4), with: huge)
        }
        let model = try fixture.scratch("overflow").appendingPathComponent("huge.safetensors")
        try Data(bytes).write(to: model)
        let file = fixture.digitsDirectory.appendingPathComponent("05000.png").path

        let run = try CLI.run("mnist-predict", ["--model", model.path, "--json", file])
        #expect(run.status == 1)
        let objects = try jsonObjects(run)
        #expect(objects.count == 1)
        #expect((objects.first?["error"] as? String)?.contains("not finite numbers") == true)
    }

    @Test func aMissingModelSaysToRunMNISTTrain() throws {
        let fixture = try PredictFixture.shared.get()
        let directory = try fixture.scratch("nomodel")
        let run = try CLI.run("mnist-predict", [fixture.digitsDirectory.appendingPathComponent("05000.png").path], in: directory)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("no model at model.safetensors: run mnist-train first"))
    }

    @Test func badOptionsAreRejected() throws {
        let fixture = try PredictFixture.shared.get()
        let run = try CLI.run("mnist-predict", ["--model", fixture.model, "--top", "11", fixture.digitsDirectory.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--top must be between 1 and 10"))
    }
}
