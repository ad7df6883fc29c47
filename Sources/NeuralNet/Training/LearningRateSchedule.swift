// How the step size changes over a training run: a factor on the optimizer's learning rate for
// every step, with an optional linear warm-up in front.

import Foundation

/// A schedule for the learning rate over all the steps of a run.
public enum LearningRateSchedule: String, Sendable, Codable, CaseIterable {
    /// The same step size throughout.
    case constant
    /// Half a cosine wave from the full step size down to zero at the last step (Loshchilov and
    /// Hutter's SGDR without restarts): large steps early, fine ones at the end.
    case cosine
    /// Smith's one-cycle policy as PyTorch's `OneCycleLR` draws it: from 1/25 of the step size up
    /// to the full step size over the first 30% of the steps along half a cosine, then down along
    /// another half cosine to 1/25 · 10⁻⁴ of it by the last step.
    case oneCycle = "onecycle"

    /// The factor for step `step` (counted from 0) of a run of `total` steps, of which the first
    /// `warmupSteps` rise linearly to the schedule's start (a schedule then runs over the rest).
    public func factor(step: Int, of total: Int, warmupSteps: Int = 0) -> Float {
        if step < warmupSteps {
            return Float(step + 1) / Float(warmupSteps) * factor(step: 0, of: max(total - warmupSteps, 1))
        }
        let progress = Double(step - warmupSteps) / Double(max(total - warmupSteps, 1))
        switch self {
        case .constant:
            return 1
        case .cosine:
            return Float(0.5 * (1 + cos(Double.pi * progress)))
        case .oneCycle:
            let start = 1.0 / 25, end = start / 10_000, peak = 0.3
            if progress < peak {
                return Float(Self.cosineBetween(start, 1, progress / peak))
            }
            return Float(Self.cosineBetween(1, end, (progress - peak) / (1 - peak)))
        }
    }

    /// From `from` at `t = 0` to `to` at `t = 1` along half a cosine.
    private static func cosineBetween(_ from: Double, _ to: Double, _ t: Double) -> Double {
        to + (from - to) * 0.5 * (1 + cos(Double.pi * min(max(t, 0), 1)))
    }
}
