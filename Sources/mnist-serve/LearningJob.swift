// What "Learn from my digits" does: the fine-tune of mnist-train --init MODEL --images-dir DIR
// (the library's FineTuningData, TrainingRecipe.fineTuning and Trainer), with a few of each
// collected digit held out to score it. The new model is written beside the served one; the
// server switches to it only on the library's verdict (ModelSwitch).

import Foundation
import MNIST
import NeuralNet

/// One fine-tune of the served model on the collected digits.
struct LearningJob: Sendable {
    /// The model being served; the job starts from it and may replace it.
    let served: ServedModel
    /// The collected digits.
    let collection: String
    /// MNIST's IDX files: replay to mix in, and the test set to score on.
    let dataDirectory: String
    /// The --model path: new models are named after it and written beside it.
    let basePath: String
    /// The fine-tune's seed, as mnist-train's default.
    var seed: UInt64 = 42
    /// Threads for training: half the cores, so that the others go on answering.
    var threads = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)

    /// Collected digits held out per class for scoring: a fifth of the smallest class, at least one.
    static func heldOutPerClass(_ counts: [Int]) -> Int {
        max(1, (counts.filter { $0 > 0 }.min() ?? 0) / 5)
    }

    /// Why `counts` cannot be learnt from yet, or nil: every digit collected needs at least two
    /// drawings, one to learn from and one to score with.
    static func refusal(counts: [Int]) -> String? {
        guard counts.contains(where: { $0 > 0 }) else { return "no digits are collected yet: confirm or correct a few answers first" }
        let single = counts.indices.filter { counts[$0] == 1 }
        guard single.isEmpty else {
            let list = single.map(String.init).joined(separator: ", ")
            return "collect at least two of each digit you teach (one is held out to score the new model); only one of: \(list)"
        }
        return nil
    }

    /// Runs the fine-tune, reporting its phase and progress.
    /// - Throws: `LearningFailure` saying what went wrong.
    func run(report: @escaping @Sendable (String, Double) -> Void) throws -> LearningResult {
        let started = Date()
        report("reading your digits", 0.02)
        let folder: LabelledImageFolder
        do {
            folder = try LabelledImageFolder(directory: collection)
        } catch {
            throw LearningFailure("\(error)")
        }
        let counts = folder.dataset.classCounts
        if let refusal = Self.refusal(counts: counts) { throw LearningFailure(refusal) }

        report("loading MNIST", 0.05)
        let mnist: (train: Dataset, test: Dataset)
        do {
            mnist = try MNISTDataset.load(directory: dataDirectory)
        } catch {
            throw LearningFailure("MNIST's data cannot be read: \(error)")
        }
        let classifier = served.classifier
        let pool = ComputePool(threadCount: threads)
        let network: Network
        do {
            network = try Network.load(from: classifier.modelPath, pool: pool).network
        } catch {
            throw LearningFailure("the served model cannot be read again: \(error)")
        }

        let data = FineTuningData(folder: folder.dataset, heldOutPerClass: Self.heldOutPerClass(counts), replay: mnist.train, seed: seed)
        guard let heldOut = data.heldOut else { throw LearningFailure("no digits were held out to score the new model") }
        report("scoring the served model", 0.08)
        let heldOutBefore = network.evaluate(on: heldOut)
        let testBefore = network.evaluate(on: mnist.test)

        let recipe = TrainingRecipe.fineTuning(network.architecture)
        let trainer: Trainer
        do {
            trainer = try data.trainer(network: network, recipe: recipe, test: mnist.test, seed: seed)
            try trainer.run(progress: { step in report("learning", 0.1 + 0.85 * Double(step.batch) / Double(step.batches)) })
        } catch {
            throw LearningFailure("the fine-tune failed: \(error)")
        }
        report("scoring the new model", 0.96)
        let verdict = ModelSwitch(
            heldOutBefore: heldOutBefore, heldOutAfter: network.evaluate(on: heldOut),
            testBefore: testBefore, testAfter: network.evaluate(on: mnist.test))

        let path = newModelPath()
        var metadata = ModelMetadata.training(
            dataset: "mnist", options: trainer.options, seed: seed, history: trainer.state.history, threads: threads,
            recipe: recipe.metadata, finalTest: verdict.testAfter)
        metadata.merge(data.metadata(imagesDir: collection)) { _, new in new }
        metadata["initialised_from"] = classifier.modelPath
        do {
            try network.save(to: path, metadata: metadata)
            if verdict.switches { served.serve(try classifier.loading(path)) }
        } catch {
            throw LearningFailure("the new model could not be written or loaded: \(error)")
        }
        return LearningResult(
            taught: data.taught.count, heldOut: heldOut.count,
            before: .init(heldOut: heldOutBefore.accuracy, test: testBefore.accuracy),
            after: .init(heldOut: verdict.heldOutAfter.accuracy, test: verdict.testAfter.accuracy),
            switched: verdict.switches, reason: verdict.reasonToKeep, model: path,
            seconds: Date().timeIntervalSince(started))
    }

    /// `model-mine-20261203-101502.safetensors` beside the --model file; never an existing file.
    private func newModelPath() -> String {
        let url = URL(fileURLWithPath: basePath)
        let stem = url.deletingPathExtension().lastPathComponent
        let name = "\(stem)-mine-\(UTCStamp.now())"
        let directory = (basePath as NSString).deletingLastPathComponent
        var candidate = (directory as NSString).appendingPathComponent(name + ".safetensors")
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = (directory as NSString).appendingPathComponent("\(name)-\(suffix).safetensors")
            suffix += 1
        }
        return candidate
    }
}
