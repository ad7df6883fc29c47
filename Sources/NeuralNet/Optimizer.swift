// Update rules, in order of growing complexity. Each applies the gradient g = dL/dθ of a parameter
// θ after a backward pass; the formulas are PyTorch's, so its hyperparameters carry over.

import Foundation

/// How a training step turns gradients into parameter changes.
public enum Optimizer: Sendable, Equatable {
    /// Plain SGD: `θ ← θ − η·g`.
    case sgd(learningRate: Float)
    /// SGD with momentum: `v ← μ·v + g`, `θ ← θ − η·v`.
    case momentum(learningRate: Float, momentum: Float)
    /// Adam (Kingma and Ba, 2015): `m ← β₁·m + (1 − β₁)·g`, `v ← β₂·v + (1 − β₂)·g²`,
    /// `θ ← θ − η·m̂ / (√v̂ + ε)` with the bias corrections `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`.
    case adam(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)

    /// The step size η.
    public var learningRate: Float {
        switch self {
        case .sgd(let rate), .momentum(let rate, _), .adam(let rate, _, _, _): return rate
        }
    }

    /// The optimizer's name as stored in a model's metadata: `sgd`, `momentum` or `adam`.
    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .momentum: return "momentum"
        case .adam: return "adam"
        }
    }

    /// How many buffers of a parameter's shape the optimizer keeps between steps.
    var stateCount: Int {
        switch self {
        case .sgd: return 0
        case .momentum: return 1
        case .adam: return 2
        }
    }

    /// Applies one step to `count` parameters at `parameter` with gradient `gradient`. `first` and
    /// `second` are the optimizer's state for these parameters (`stateCount` of them are used, each
    /// `count` long and zero before the first step); `step` counts steps from 1.
    func apply(
        to parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, count: Int,
        first: UnsafeMutablePointer<Float>?, second: UnsafeMutablePointer<Float>?, step: Int
    ) {
        switch self {
        case .sgd(let rate):
            for i in 0..<count { parameter[i] -= rate * gradient[i] }
        case .momentum(let rate, let mu):
            let velocity = first!
            for i in 0..<count {
                velocity[i] = mu * velocity[i] + gradient[i]
                parameter[i] -= rate * velocity[i]
            }
        case .adam(let rate, let beta1, let beta2, let epsilon):
            let m = first!, v = second!
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
}
