// "Learn from my digits" end to end, without HTTP: the library's fine-tune on a collected folder
// with the bundled MNIST, the new model written beside the served one (never over it) with the
// folder in its metadata, and the server switched exactly when the verdict says so.

import Foundation
import MNIST
import NeuralNet
import Testing
import TestSupport
@testable import mnist_serve

@Suite struct LearningJobTests {
    @Test func theNewModelIsWrittenBesideTheOldAndServedOnlyOnTheVerdict() throws {
        let scratch = try ScratchDirectory(prefix: "LearningJob")
        let modelPath = scratch.path("model.safetensors")
        try Network(layerSizes: [784, 16, 10], seed: 5).save(to: modelPath, metadata: ["which": "old"])
        let oldBytes = try readFile(modelPath)
        let served = ServedModel(try DigitClassifier(modelPath: modelPath, copies: 1))
        let folder = scratch.path("digits")
        let store = try SampleStore(directory: folder)
        for side in [90, 100, 110, 120] { _ = try store.save(ServeFixtures.digitPNG(side: side), digit: 1) }

        let job = LearningJob(served: served, collection: folder, dataDirectory: MNISTDataset.bundledDataDirectory,
                              basePath: modelPath, threads: 1)
        let phases = PhaseLog()
        let result = try job.run { phase, progress in phases.add(phase, progress) }

        #expect(result.taught == 3 && result.heldOut == 1)
        #expect(URL(fileURLWithPath: result.model).deletingLastPathComponent().path == scratch.url.path)
        #expect(URL(fileURLWithPath: result.model).lastPathComponent.hasPrefix("model-mine-"))
        #expect(try readFile(modelPath) == oldBytes)
        let metadata = try Network.load(from: result.model).metadata
        #expect(metadata["initialised_from"] == modelPath)
        #expect(metadata["images_dir"] == folder && metadata["images_count"] == "3" && metadata["images_validation"] == "1")
        #expect(served.classifier.modelPath == (result.switched ? result.model : modelPath))
        #expect(result.switched == (result.reason == nil))
        #expect(phases.values.contains("learning") && phases.progressNeverFalls)

        // A second run writes another file: the first is never replaced.
        let second = try job.run { _, _ in }
        #expect(second.model != result.model && FileManager.default.fileExists(atPath: result.model))
    }
}

/// The phases and progress a run reported, in order.
private final class PhaseLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(String, Double)] = []

    func add(_ phase: String, _ progress: Double) { lock.withLock { entries.append((phase, progress)) } }
    var values: [String] { lock.withLock { entries.map(\.0) } }
    var progressNeverFalls: Bool { lock.withLock { zip(entries, entries.dropFirst()).allSatisfy { $0.1 <= $1.1 } } }
}
