// Fine-tuning on a person's own digits without forgetting MNIST: their images, each seen a few
// times, shuffled together with MNIST training images ("replay"). One epoch of the mix is the
// whole fine-tune by default.

import NeuralNet

/// How a fine-tune mixes the user's images with MNIST replay.
public struct ReplayMix: Sendable, Equatable {
    /// The share of the mix's samples that are MNIST replay, in [0, 1).
    public var replay: Double
    /// How many times each of the user's images is drawn per epoch.
    public var passes: Int

    /// Half replay (so that on average a minibatch is half the user's and half MNIST), each
    /// user image seen 25 times: chosen on a stand-in hand's tuning folder (README, "Teach it
    /// your handwriting").
    public static let standard = ReplayMix(replay: 0.5, passes: 25)

    public init(replay: Double, passes: Int) {
        precondition(replay >= 0 && replay < 1 && passes > 0, "replay must be in [0, 1) and passes positive")
        self.replay = replay
        self.passes = passes
    }

    /// The number of replay samples that go with `userCount` images.
    public func replayCount(userCount: Int) -> Int {
        let user = Double(userCount * passes)
        return Int((user * replay / (1 - replay)).rounded())
    }

    /// The training set: `user` repeated `passes` times, then `replayCount` samples of `replay`
    /// drawn at random (with `seed`, without repeats while there are enough). The trainer
    /// shuffles it every epoch, which spreads both kinds across the minibatches.
    public func dataset(user: Dataset, replay source: Dataset?, seed: UInt64) -> Dataset {
        var parts = Array(repeating: user, count: passes)
        let wanted = replayCount(userCount: user.count)
        if let source, wanted > 0, source.count > 0 {
            var generator = SeededGenerator(seed: seed)
            var indices: [Int] = []
            while indices.count < wanted {
                var order = Array(0..<source.count)
                order.fisherYatesShuffle(using: &generator)
                indices += order.prefix(wanted - indices.count)
            }
            parts.append(source.subset(indices))
        }
        return Dataset.joining(parts)
    }
}
