// Whether a fine-tuned model should replace the one being served: it must read the person's
// held-out digits better and keep MNIST's test accuracy within a bound.

import Foundation
import NeuralNet

/// The verdict on a fine-tuned model against the model it started from.
public struct ModelSwitch: Sendable, Equatable {
    /// The largest fall in MNIST test accuracy a switch accepts: 0.3 points, the bound issue 19
    /// sets for the terminal fine-tune.
    public static let allowedTestDrop = 0.003

    /// Held-out digits and MNIST test, before and after.
    public let heldOutBefore: Evaluation, heldOutAfter: Evaluation
    public let testBefore: Evaluation, testAfter: Evaluation

    public init(heldOutBefore: Evaluation, heldOutAfter: Evaluation, testBefore: Evaluation, testAfter: Evaluation) {
        self.heldOutBefore = heldOutBefore
        self.heldOutAfter = heldOutAfter
        self.testBefore = testBefore
        self.testAfter = testAfter
    }

    /// The fall in test accuracy (negative when it rose).
    public var testDrop: Double { testBefore.accuracy - testAfter.accuracy }

    /// Better on the held-out digits (more of them right, or as many at a lower loss: they are
    /// few, and often all right before) with the test accuracy down by at most `allowedTestDrop`.
    public var switches: Bool { reasonToKeep == nil }

    /// Why the old model stays, in words, or nil when the new one is taken.
    public var reasonToKeep: String? {
        if !heldOutAfter.isBetter(than: heldOutBefore) {
            return heldOutAfter.correct < heldOutBefore.correct
                ? "it reads fewer of your held-out digits (\(heldOutAfter.correct) of \(heldOutAfter.count), against \(heldOutBefore.correct))"
                : "it is no better on your held-out digits (\(heldOutAfter.correct) of \(heldOutAfter.count) right either way, and no more confident)"
        }
        if testDrop > Self.allowedTestDrop + 1e-9 {
            return "its MNIST test accuracy fell by \(points(testDrop)) points, more than the \(points(Self.allowedTestDrop)) allowed"
        }
        return nil
    }

    /// A fraction as percentage points: `0.30`.
    private func points(_ fraction: Double) -> String { String(format: "%.2f", fraction * 100) }
}
