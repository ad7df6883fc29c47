// Update rules, in order of growing complexity. Each applies the gradient g = dL/dθ of a parameter
// θ after a backward pass; the formulas are PyTorch's, so its hyperparameters carry over.
//
// Weight decay (λ) applies to weights, not biases, as is usual: for the SGD family it is
// PyTorch's `weight_decay` (g ← g + λθ); for AdamW it is decoupled (θ ← θ − ηλθ before the step).

import Foundation

/// How a training step turns gradients into parameter changes.
public enum Optimizer: Sendable, Equatable {
    /// Plain SGD: `θ ← θ − η·(g + λθ)`.
    case sgd(learningRate: Float, weightDecay: Float = 0)
    /// SGD with momentum: `v ← μ·v + (g + λθ)`, `θ ← θ − η·v`.
    case momentum(learningRate: Float, momentum: Float, weightDecay: Float = 0)
    /// Nesterov momentum (Sutskever et al. 2013, PyTorch's form): `v ← μ·v + g'` with
    /// `g' = g + λθ`, then `θ ← θ − η·(g' + μ·v)`: the step looks ahead along the velocity.
    case nesterov(learningRate: Float, momentum: Float, weightDecay: Float = 0)
    /// Adam (Kingma and Ba, 2015): `m ← β₁·m + (1 − β₁)·g`, `v ← β₂·v + (1 − β₂)·g²`,
    /// `θ ← θ − η·m̂ / (√v̂ + ε)` with the bias corrections `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`.
    case adam(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)
    /// AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay, `θ ← θ − η·λ·θ`
    /// before the Adam step.
    case adamW(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01)

    /// The step size η.
    public var learningRate: Float {
        switch self {
        case .sgd(let rate, _), .momentum(let rate, _, _), .nesterov(let rate, _, _),
             .adam(let rate, _, _, _), .adamW(let rate, _, _, _, _):
            return rate
        }
    }

    /// The weight decay λ (0 for Adam, which has none).
    public var weightDecay: Float {
        switch self {
        case .sgd(_, let decay), .momentum(_, _, let decay), .nesterov(_, _, let decay), .adamW(_, _, _, _, let decay):
            return decay
        case .adam:
            return 0
        }
    }

    /// The optimizer's name as stored in a model's metadata.
    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .momentum: return "momentum"
        case .nesterov: return "nesterov"
        case .adam: return "adam"
        case .adamW: return "adamw"
        }
    }

    /// The same optimizer with its learning rate multiplied by `factor`.
    public func scaled(by factor: Float) -> Optimizer {
        switch self {
        case .sgd(let rate, let decay):
            return .sgd(learningRate: rate * factor, weightDecay: decay)
        case .momentum(let rate, let mu, let decay):
            return .momentum(learningRate: rate * factor, momentum: mu, weightDecay: decay)
        case .nesterov(let rate, let mu, let decay):
            return .nesterov(learningRate: rate * factor, momentum: mu, weightDecay: decay)
        case .adam(let rate, let beta1, let beta2, let epsilon):
            return .adam(learningRate: rate * factor, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case .adamW(let rate, let beta1, let beta2, let epsilon, let decay):
            return .adamW(learningRate: rate * factor, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: decay)
        }
    }

    /// How many buffers of a parameter's shape the optimizer keeps between steps.
    var stateCount: Int {
        switch self {
        case .sgd: return 0
        case .momentum, .nesterov: return 1
        case .adam, .adamW: return 2
        }
    }

    /// Applies one step to `count` parameters at `parameter` with gradient `gradient`. `first` and
    /// `second` are the optimizer's state for these parameters (`stateCount` of them are used, each
    /// `count` long and zero before the first step); `step` counts steps from 1. `decays` says
    /// whether weight decay applies to these parameters (weights yes, biases no).
    func apply(
        to parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, count: Int,
        first: UnsafeMutablePointer<Float>?, second: UnsafeMutablePointer<Float>?, step: Int, decays: Bool
    ) {
        let lambda = decays ? weightDecay : 0
        switch self {
        case .sgd(let rate, _):
            if lambda != 0 {
                for i in 0..<count { parameter[i] -= rate * (gradient[i] + lambda * parameter[i]) }
            } else {
                for i in 0..<count { parameter[i] -= rate * gradient[i] }
            }
        case .momentum(let rate, let mu, _):
            let velocity = first!
            if lambda != 0 {
                for i in 0..<count { velocity[i] = mu * velocity[i] + (gradient[i] + lambda * parameter[i]) }
            } else {
                for i in 0..<count { velocity[i] = mu * velocity[i] + gradient[i] }
            }
            for i in 0..<count { parameter[i] -= rate * velocity[i] }
        case .nesterov(let rate, let mu, _):
            let velocity = first!
            for i in 0..<count {
                let g = gradient[i] + lambda * parameter[i]
                velocity[i] = mu * velocity[i] + g
                parameter[i] -= rate * (g + mu * velocity[i])
            }
        case .adam(let rate, let beta1, let beta2, let epsilon):
            adamStep(parameter, gradient, count, first!, second!, step, rate, beta1, beta2, epsilon)
        case .adamW(let rate, let beta1, let beta2, let epsilon, _):
            if lambda != 0 {
                let keep = 1 - rate * lambda
                for i in 0..<count { parameter[i] *= keep }
            }
            adamStep(parameter, gradient, count, first!, second!, step, rate, beta1, beta2, epsilon)
        }
    }

    /// Adam's moment updates and bias-corrected step, shared by Adam and AdamW.
    private func adamStep(
        _ parameter: UnsafeMutablePointer<Float>, _ gradient: UnsafePointer<Float>, _ count: Int,
        _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ step: Int,
        _ rate: Float, _ beta1: Float, _ beta2: Float, _ epsilon: Float
    ) {
        let scale = rate / (1 - Float(pow(Double(beta1), Double(step))))
        let rootCorrection2 = (1 - Float(pow(Double(beta2), Double(step)))).squareRoot()
        for i in 0..<count {
            let g = gradient[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            parameter[i] -= scale * m[i] / (v[i].squareRoot() / rootCorrection2 + epsilon)
        }
    }
}
