// Finite-difference gradient checking, after micrograd's test_engine.py and kann's kad_check_grad:
// nudge each parameter both ways, watch a scalar loss, and compare the slope with what backward said.

import Foundation
import NeuralNet
import Testing

/// Central finite differences of a scalar function of a matrix's elements.
///
/// The network computes in Float32, so the loss is evaluated in Double from the Float outputs and
/// the step is large (1e-2 on inputs of order one): rounding then costs about 1e-5 of a gradient,
/// while the error of the central difference itself is second order in the step.
enum GradientCheck {
    /// dL/dθ for every element θ of `parameter`, estimated as (L(θ + ε) − L(θ − ε)) / 2ε.
    /// `loss` must read `parameter` afresh on each call; every element is restored afterwards.
    static func numericalGradient(of parameter: Matrix, epsilon: Float = 1e-2, loss: () -> Double) -> [Double] {
        var gradient: [Double] = []
        gradient.reserveCapacity(parameter.count)
        for index in 0..<parameter.count {
            let original = parameter.storage[index]
            parameter.storage[index] = original + epsilon
            let above = loss()
            parameter.storage[index] = original - epsilon
            let below = loss()
            parameter.storage[index] = original
            // The step actually taken, after rounding to Float.
            let step = Double(original + epsilon) - Double(original - epsilon)
            gradient.append((above - below) / step)
        }
        return gradient
    }

    /// Records an issue for every element where `analytic` and `numeric` differ by more than
    /// `relativeTolerance` of the larger of the two, or of a tenth of the largest numeric element
    /// (so that near-zero entries are judged against the gradient's scale, not against zero).
    static func expectClose(
        _ analytic: [Float], _ numeric: [Double], relativeTolerance: Double = 1e-2,
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(analytic.count == numeric.count, "\(what): \(analytic.count) analytic vs \(numeric.count) numeric", sourceLocation: sourceLocation)
        let scale = max(numeric.map(abs).max() ?? 0, 1e-6) * 0.1
        var failures = 0
        for (index, (a, n)) in zip(analytic, numeric).enumerated() {
            let allowed = relativeTolerance * max(abs(Double(a)), abs(n), scale)
            if abs(Double(a) - n) > allowed {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(what)[\(index)]: backward says \(a), finite differences \(n)", sourceLocation: sourceLocation)
                }
            }
        }
        #expect(failures == 0, "\(what): \(failures) of \(analytic.count) elements disagree", sourceLocation: sourceLocation)
    }

    /// Σ r ⊙ y in Double: a scalar loss whose gradient with respect to y is exactly `r`.
    static func weightedSum(_ y: Matrix, by r: Matrix) -> Double {
        precondition(y.count == r.count)
        var total = 0.0
        for i in 0..<y.count { total += Double(y.storage[i]) * Double(r.storage[i]) }
        return total
    }

    /// Mean cross-entropy of `logits` against `labels`, computed in Double.
    static func crossEntropy(_ logits: Matrix, labels: [Int]) -> Double {
        var total = 0.0
        for row in 0..<logits.rows {
            let z = logits.row(row).map(Double.init)
            let largest = z.max()!
            let logSum = log(z.reduce(0.0) { $0 + exp($1 - largest) }) + largest
            total += logSum - z[labels[row]]
        }
        return total / Double(logits.rows)
    }

    /// A `rows × columns` matrix of uniform values in `range`, from `generator`.
    static func randomMatrix(rows: Int, columns: Int, in range: ClosedRange<Float> = -1...1, using generator: inout SeededGenerator) -> Matrix {
        let elements = (0..<(rows * columns)).map { _ in
            range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitFloat()
        }
        return Matrix(rows: rows, columns: columns, elements: elements)
    }
}
