// Several copies of one network, so that requests on different cores classify at the same time. A
// network keeps its activations in reused buffers, so each copy serves one request at a time;
// the copies are loaded from the model file like any tool loads it, never copied layer by layer.

import CLISupport
import NeuralNet
import Synchronization

/// Copies of one network, each behind its own lock; a request takes a free one.
final class NetworkPool: Sendable {
    private final class Slot: Sendable {
        let network: Mutex<Network>
        init(_ network: sending Network) { self.network = Mutex(network) }
    }

    private let slots: [Slot]
    /// Where the next request starts looking for a free copy, so the copies share the work.
    private let next = Atomic<UInt>(0)
    /// The model file's metadata.
    let metadata: [String: String]
    /// The network's layer sizes, inputs first (the dense layers' widths for a convolutional one).
    let layerSizes: [Int]
    /// The network as people read it: `784-128-64-10`, or the grammar (`1x28x28,32C5,…`).
    let network: String
    /// Number of trainable parameters.
    let parameterCount: Int

    /// `count` copies of the digit classifier in the model file at `path`, each loaded from the
    /// file as every tool loads it.
    /// - Throws: what `ModelOptions.loadDigitClassifier` throws.
    init(count: Int, modelPath path: String) throws {
        precondition(count > 0, "a pool needs at least one network")
        var slots: [Slot] = []
        var facts: (metadata: [String: String], layers: [Int], network: String, parameters: Int) = ([:], [], "", 0)
        for _ in 0..<count {
            var options = ModelOptions()
            options.model = path
            let (network, metadata) = try options.loadDigitClassifier()
            let architecture = network.architecture
            let name = architecture.layerSizes.map { $0.map(String.init).joined(separator: "-") } ?? architecture.description
            facts = (metadata, network.layerSizes, name, network.parameterCount)
            slots.append(Slot(network))
        }
        self.slots = slots
        (metadata, layerSizes, network, parameterCount) = facts
    }

    /// Number of copies.
    var count: Int { slots.count }

    /// Runs `body` with a copy no other request is using: the first free one from a rotating
    /// start, or, when all are busy, the start's copy once it is free.
    func withNetwork<Result: Sendable>(_ body: (Network) -> sending Result) -> Result {
        let start = Int(next.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(slots.count))
        for offset in 0..<slots.count {
            let slot = slots[(start + offset) % slots.count]
            if let result = slot.network.withLockIfAvailable({ body($0) }) { return result }
        }
        return slots[start].network.withLock { body($0) }
    }
}
