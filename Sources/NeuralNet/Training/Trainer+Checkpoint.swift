// A training run saved between two steps, and continued from there.
//
// A checkpoint is a safetensors file: the network's tensors under their model names ("0.weight",
// …), the optimizer's buffers ("optimizer.<n>.<weight|bias>.<k>", n counting the layers with
// learned tensors), the best validation
// epoch's parameters ("best.parameters"), and the run's position in the metadata. Random draws
// come from counters and the shuffle is replayed from the seed, so nothing else is needed to go on
// exactly as the uninterrupted run would have.

import Foundation

extension Trainer {
    /// The metadata key naming the checkpoint format, and its value.
    public static let checkpointFormatKey = "checkpoint_format"
    public static let checkpointFormat = "mnist-swift-checkpoint/1"

    /// The run as a safetensors document, with `metadata` (the caller's recipe) added.
    public func checkpoint(metadata: [String: String] = [:]) -> SafeTensors {
        var document = network.safeTensors(metadata: metadata)
        for (index, layer) in network.optimizedLayers.enumerated() {
            let state = layer.optimizerState
            for (k, buffer) in state.weightBuffers.enumerated() {
                document.tensors.append(Tensor(name: "optimizer.\(index).weight.\(k)", shape: [buffer.rows, buffer.columns], values: buffer.elements))
            }
            for (k, buffer) in state.biasBuffers.enumerated() {
                document.tensors.append(Tensor(name: "optimizer.\(index).bias.\(k)", shape: [buffer.columns], values: buffer.elements))
            }
        }
        if let best = state.best {
            document.tensors.append(Tensor(name: "best.parameters", shape: [best.parameters.count], values: best.parameters))
        }
        let saved = SavedState(
            step: state.step, batchesDone: state.batchesDone, lossSumBits: state.lossSum.bitPattern,
            correct: state.correct, referenceLossBits: state.referenceLoss?.bitPattern, history: state.history,
            bestEpoch: state.best?.epoch, bestValidation: state.best?.validation, stoppedEarly: state.stoppedEarly,
            shuffle: state.shuffle.state, optimizer: network.optimizedLayers.first?.optimizerState.optimizer.name ?? "sgd",
            optimizerSteps: network.optimizedLayers.first?.optimizerState.step ?? 0)
        document.metadata[Self.checkpointFormatKey] = Self.checkpointFormat
        document.metadata["trainer_state"] = String(decoding: (try? JSONEncoder().encode(saved)) ?? Data(), as: UTF8.self)
        return document
    }

    /// Continues the run saved in `document` by `checkpoint(metadata:)`, from a trainer built with
    /// the same network shape, options and data.
    /// - Throws: `CheckpointError` when the document is not a checkpoint or does not fit.
    public func resume(from document: SafeTensors) throws(CheckpointError) {
        guard document.metadata[Self.checkpointFormatKey] == Self.checkpointFormat,
              let text = document.metadata["trainer_state"],
              let saved = try? JSONDecoder().decode(SavedState.self, from: Data(text.utf8)),
              let shuffle = SeededGenerator(state: saved.shuffle)
        else { throw .notACheckpoint }
        guard saved.optimizer == options.optimizer.name else {
            throw .mismatch("it was trained with \(saved.optimizer), not \(options.optimizer.name)")
        }
        let epochsDone = saved.history.count
        guard epochsDone <= options.epochs, saved.batchesDone < batchesPerEpoch else {
            throw .mismatch("its position (epoch \(epochsDone + 1), batch \(saved.batchesDone)) does not fit this run")
        }
        // The network: every model tensor must be there with its shape.
        for (position, layer) in network.parameterizedLayers {
            for tensor in layer.tensors {
                try copy(document, "\(position).\(tensor.name)", into: tensor.values)
            }
        }
        for (index, layer) in network.optimizedLayers.enumerated() {
            layer.optimizerState.restore(optimizer: options.optimizer, step: saved.optimizerSteps)
            for (k, buffer) in layer.optimizerState.weightBuffers.enumerated() {
                try copy(document, "optimizer.\(index).weight.\(k)", into: buffer)
            }
            for (k, buffer) in layer.optimizerState.biasBuffers.enumerated() {
                try copy(document, "optimizer.\(index).bias.\(k)", into: buffer)
            }
        }
        var restored = TrainingState(shuffle: SeededGenerator(seed: options.shuffleSeed))
        // Replay the shuffles done so far: the order of the current epoch and the generator after it.
        var order = Array(0..<training.count)
        let shuffles = epochsDone + (saved.batchesDone > 0 ? 1 : 0)
        for _ in 0..<shuffles { order.fisherYatesShuffle(using: &restored.shuffle) }
        guard restored.shuffle.state == shuffle.state else {
            throw .mismatch("its shuffle does not replay from seed \(options.shuffleSeed) on \(training.count) samples")
        }
        restored.step = saved.step
        restored.batchesDone = saved.batchesDone
        restored.lossSum = Double(bitPattern: saved.lossSumBits)
        restored.correct = saved.correct
        restored.referenceLoss = saved.referenceLossBits.map(Double.init(bitPattern:))
        restored.history = saved.history
        restored.stoppedEarly = saved.stoppedEarly
        if let epoch = saved.bestEpoch, let validation = saved.bestValidation {
            guard let tensor = document["best.parameters"], tensor.values.count == network.parameters.count else {
                throw .mismatch("its best-epoch parameters are missing or the wrong size")
            }
            restored.best = TrainingState.Best(epoch: epoch, validation: validation, parameters: tensor.values)
        }
        restore(restored, order: order)
    }

    private func copy(_ document: SafeTensors, _ name: String, into matrix: Matrix) throws(CheckpointError) {
        guard let tensor = document[name] else { throw .mismatch("tensor \"\(name)\" is missing") }
        guard tensor.values.count == matrix.count else {
            throw .mismatch("tensor \"\(name)\" has \(tensor.values.count) values; this run needs \(matrix.count)")
        }
        _ = matrix.storage.update(fromContentsOf: tensor.values)
    }

    /// The run's position as stored in the checkpoint's metadata (floating-point sums as their
    /// bit patterns, so they come back exactly).
    private struct SavedState: Codable {
        var step: Int
        var batchesDone: Int
        var lossSumBits: UInt64
        var correct: Int
        var referenceLossBits: UInt64?
        var history: [EpochSummary]
        var bestEpoch: Int?
        var bestValidation: Evaluation?
        var stoppedEarly: Bool
        var shuffle: [UInt64]
        var optimizer: String
        var optimizerSteps: Int
    }
}

/// Why a checkpoint cannot continue this run.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The file has no (readable) training state: it is a model, or from elsewhere.
    case notACheckpoint
    /// The checkpoint is of another run: a different network, recipe or data.
    case mismatch(String)

    public var description: String {
        switch self {
        case .notACheckpoint: return "not a checkpoint from mnist-train --checkpoint (no readable training state)"
        case .mismatch(let why): return "the checkpoint does not fit this run: \(why)"
        }
    }
}
