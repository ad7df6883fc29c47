// The fine-tuning mix: the user's images repeated, MNIST replay in the stated share, the same mix
// for the same seed; and the per-class hold-out it is validated with.

import MNIST
import NeuralNet
import Testing

@Suite struct ReplayMixTests {
    /// `count` one-pixel samples whose pixel is `value` and whose label cycles through 0 … 9.
    private func samples(_ count: Int, value: UInt8) -> Dataset {
        Dataset(features: .bytes(Array(repeating: value, count: count), scale: 1),
                labels: (0..<count).map { $0 % 10 }, featureCount: 1, classCount: 10)
    }

    @Test(arguments: [(0.5, 3, 60), (0.75, 2, 120), (0.0, 4, 0), (0.2, 1, 5)])
    func theMixHoldsEachUserImagePassesTimesAndTheReplayShare(replay: Double, passes: Int, replayCount: Int) {
        let user = samples(20, value: 1), mnist = samples(500, value: 2)
        let mix = ReplayMix(replay: replay, passes: passes)
        #expect(mix.replayCount(userCount: 20) == replayCount)
        let data = mix.dataset(user: user, replay: mnist, seed: 3)
        guard case .bytes(let bytes, _) = data.features else { Issue.record("bytes expected"); return }
        #expect(bytes.filter { $0 == 1 }.count == 20 * passes)
        #expect(bytes.filter { $0 == 2 }.count == replayCount)
    }

    @Test func replayIsDrawnWithTheSeed() {
        let user = samples(10, value: 1)
        let mnist = Dataset(features: .bytes((0..<200).map { UInt8($0) }, scale: 1), labels: (0..<200).map { $0 % 10 },
                            featureCount: 1, classCount: 10)
        let mix = ReplayMix(replay: 0.5, passes: 5)
        let first = mix.dataset(user: user, replay: mnist, seed: 7), again = mix.dataset(user: user, replay: mnist, seed: 7)
        let other = mix.dataset(user: user, replay: mnist, seed: 8)
        #expect(first.labels == again.labels)
        guard case .bytes(let a, _) = first.features, case .bytes(let b, _) = other.features else { return }
        #expect(a != b)
        // Without repeats while the source has enough: 50 different replay images.
        #expect(Set(a.suffix(50)).count == 50)
    }

    @Test(arguments: [1, 2, 3])
    func theHoldOutTakesTheSameNumberOfEveryClass(perClass: Int) {
        let data = samples(47, value: 0)  // classes 0 … 6 have 5 samples, 7 … 9 have 4
        let (rest, heldOut) = data.holdingOut(perClass: perClass, seed: 11)
        #expect(heldOut.classCounts == Array(repeating: perClass, count: 10))
        #expect(rest.count + heldOut.count == 47)
        #expect(zip(rest.classCounts, data.classCounts).allSatisfy { $0 == $1 - perClass })
    }

    @Test func joiningKeepsThePartsInOrder() {
        let joined = Dataset.joining([samples(3, value: 1), samples(2, value: 2)])
        #expect(joined.labels == [0, 1, 2, 0, 1])
        guard case .bytes(let bytes, _) = joined.features else { return }
        #expect(bytes == [1, 1, 1, 2, 2])
    }
}
