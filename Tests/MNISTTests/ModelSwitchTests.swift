// The verdict that decides whether mnist-serve serves a fine-tuned model: better on the held-out
// digits (more right, or as many at a lower loss), MNIST test down by at most 0.3 points.

import MNIST
import NeuralNet
import Testing

@Suite struct ModelSwitchTests {
    static func scores(_ correct: Int, of count: Int, loss: Double = 0.5) -> Evaluation {
        Evaluation(loss: loss, correct: correct, count: count)
    }

    @Test(arguments: [
        // held out before, after; test before, after; switches; words in the reason
        (scores(8, of: 10), scores(10, of: 10), scores(9_900, of: 10_000), scores(9_880, of: 10_000), true, ""),
        (scores(10, of: 10, loss: 0.3), scores(10, of: 10, loss: 0.1), scores(9_900, of: 10_000), scores(9_900, of: 10_000), true, ""),
        (scores(8, of: 10), scores(10, of: 10), scores(9_900, of: 10_000), scores(9_870, of: 10_000), true, ""),
        (scores(8, of: 10), scores(10, of: 10), scores(9_900, of: 10_000), scores(9_869, of: 10_000), false, "0.31 points"),
        (scores(8, of: 10), scores(7, of: 10), scores(9_900, of: 10_000), scores(9_950, of: 10_000), false, "fewer"),
        (scores(10, of: 10, loss: 0.1), scores(10, of: 10, loss: 0.2), scores(9_900, of: 10_000), scores(9_900, of: 10_000), false, "no better"),
    ])
    func theVerdict(heldBefore: Evaluation, heldAfter: Evaluation, testBefore: Evaluation, testAfter: Evaluation,
                    switches: Bool, reason: String) {
        let verdict = ModelSwitch(heldOutBefore: heldBefore, heldOutAfter: heldAfter, testBefore: testBefore, testAfter: testAfter)
        #expect(verdict.switches == switches)
        #expect(verdict.reasonToKeep == nil ? reason.isEmpty : verdict.reasonToKeep!.contains(reason), "\(verdict.reasonToKeep ?? "")")
    }
}
