// The fuzzers' committed inputs (Fuzz/corpus/*, seeds; Fuzz/regressions/*, inputs that once
// crashed) fed to the four readers the fuzz targets exercise, in every test run: each file must
// give a value or the reader's typed error, never a crash. scripts/fuzz does the fuzzing itself.

import Foundation
import MNIST
import NeuralNet
import Testing

/// The repository's Fuzz/ folder, found from this file's place in Tests/MNISTTests/.
private let fuzzDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz")

/// One committed fuzz input: its path relative to Fuzz/, and the target whose folder holds it.
struct FuzzInput: CustomStringConvertible, Sendable {
    var relativePath: String
    var target: String
    var description: String { relativePath }
    var bytes: [UInt8] { get throws { try readFile(fuzzDirectory.appendingPathComponent(relativePath).path) } }
}

/// Every file under Fuzz/corpus/TARGET/ and Fuzz/regressions/TARGET/, sorted.
private let fuzzInputs: [FuzzInput] = ["corpus", "regressions"].flatMap { kind in
    ["idx", "png", "jpeg", "model"].flatMap { target in
        let folder = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { FuzzInput(relativePath: "\(kind)/\(target)/\($0)", target: target) }
    }
}

/// Whether each reader accepted the bytes (`true`) or refused them with its typed error (`false`).
/// A crash ends the test run, which is what these tests guard against.
private func readerOutcomes(_ bytes: [UInt8]) -> [String: Bool] {
    var accepted: [String: Bool] = [:]
    accepted["idx"] = (try? IDXFile(decoding: bytes, path: "input")) != nil
    accepted["png"] = digitOutcome { () throws(ImageError) in try GrayImage(pngData: bytes, path: "input") }
    accepted["jpeg"] = digitOutcome { () throws(ImageError) in try GrayImage(jpegData: bytes, path: "input") }
    do {
        let network = try Network(safeTensors: SafeTensors(decoding: bytes))
        accepted["model"] = network.layerSizes.count >= 2
    } catch {
        accepted["model"] = false
    }
    return accepted
}

/// Whether an image decoder's result preprocesses to a 28×28 digit (`false` for its typed error).
private func digitOutcome(_ decode: () throws(ImageError) -> GrayImage) -> Bool {
    do {
        let image = try decode()
        let preprocessor = DigitPreprocessor()
        let digit = try preprocessor.preprocess(image, path: "input")
        return digit.width == preprocessor.fieldSide && digit.height == preprocessor.fieldSide
    } catch {
        // Typed throws: only an ImageError or a PreprocessError can arrive here.
        return false
    }
}

@Suite struct FuzzCorpusTests {
    @Test func theCommittedInputsAreFound() {
        for target in ["idx", "png", "jpeg", "model"] {
            #expect(fuzzInputs.contains { $0.target == target && $0.relativePath.hasPrefix("corpus/") },
                    "no seeds in Fuzz/corpus/\(target)")
        }
    }

    @Test(arguments: fuzzInputs)
    func everyReaderGivesAValueOrATypedError(_ input: FuzzInput) throws {
        // Reaching the end is the test: each reader returned or threw its own error type.
        _ = readerOutcomes(try input.bytes)
    }

    // The seeds are worth their place only if some are accepted and some refused by their reader.
    @Test(arguments: ["idx", "png", "jpeg", "model"])
    func eachTargetsSeedsHoldGoodAndBadFiles(_ target: String) throws {
        let seeds = fuzzInputs.filter { $0.target == target && $0.relativePath.hasPrefix("corpus/") }
        let outcomes = try seeds.map { try readerOutcomes($0.bytes)[target]! }
        #expect(outcomes.contains(true), "no seed in Fuzz/corpus/\(target) is accepted by its reader")
        #expect(outcomes.contains(false), "no seed in Fuzz/corpus/\(target) is refused by its reader")
    }
}
