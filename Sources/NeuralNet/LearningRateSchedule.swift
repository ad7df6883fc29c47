// How the step size changes over a training run.

import Foundation

/// A schedule for the learning rate over all the steps of a run.
public enum LearningRateSchedule: String, Sendable, CaseIterable {
    /// The same step size throughout.
    case constant
    /// Half a cosine wave from the full step size down to zero at the last step (Loshchilov and
    /// Hutter's SGDR without restarts): large steps early, fine ones at the end.
    case cosine

    /// The factor for step `step` (counted from 0) of a run of `total` steps.
    public func factor(step: Int, of total: Int) -> Float {
        switch self {
        case .constant:
            return 1
        case .cosine:
            let progress = Double(step) / Double(max(total, 1))
            return Float(0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}

extension Optimizer {
    /// The same optimizer with its learning rate multiplied by `factor`.
    public func scaled(by factor: Float) -> Optimizer {
        switch self {
        case .sgd(let rate): return .sgd(learningRate: rate * factor)
        case .momentum(let rate, let momentum): return .momentum(learningRate: rate * factor, momentum: momentum)
        case .adam(let rate, let beta1, let beta2, let epsilon):
            return .adam(learningRate: rate * factor, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }
}
