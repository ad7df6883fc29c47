// Softmax and cross-entropy fused: numerically stable, and the gradient is simply (p − y) / batch.

import Foundation

/// Softmax over each row of logits followed by the mean cross-entropy against class labels.
///
/// Fusing the two gives a stable loss (`log Σ exp` after subtracting the row maximum) and the
/// simple gradient `(p − onehot(y)) / batch`, which `backward` writes over the probabilities.
public final class SoftmaxCrossEntropy {
    /// Softmax probabilities after `forward`; after `backward`, the gradient dL/dlogits.
    public let probabilities: Matrix
    private var labels: [Int] = []

    /// Creates the loss for `classes` classes.
    public init(classes: Int) {
        probabilities = Matrix(rows: 0, columns: classes)
    }

    /// Row-wise softmax of `logits` into `probabilities`.
    public func softmax(_ logits: Matrix) {
        probabilities.resize(rows: logits.rows)
        let classes = logits.columns
        for row in 0..<logits.rows {
            let z = logits.pointer(row: row), p = probabilities.pointer(row: row)
            var largest = z[0]
            for c in 1..<classes { largest = max(largest, z[c]) }
            var sum: Float = 0
            for c in 0..<classes {
                p[c] = expf(z[c] - largest)
                sum += p[c]
            }
            let scale = 1 / sum
            for c in 0..<classes { p[c] *= scale }
        }
    }

    // logits: (batch × classes), labels: batch class indices → mean loss over the batch.
    /// Computes probabilities and returns the mean cross-entropy and how many rows' largest
    /// probability falls on their label.
    public func forward(_ logits: Matrix, labels: [Int]) -> (loss: Float, correct: Int) {
        precondition(labels.count == logits.rows, "\(labels.count) labels for \(logits.rows) rows")
        // Checked here because the loss and `backward` index raw pointers with the labels.
        precondition(labels.allSatisfy { (0..<logits.columns).contains($0) }, "a label is outside 0..<\(logits.columns)")
        softmax(logits)
        self.labels.removeAll(keepingCapacity: true)
        self.labels.append(contentsOf: labels)
        let classes = logits.columns
        var total: Double = 0
        var correct = 0
        for row in 0..<logits.rows {
            let z = logits.pointer(row: row)
            let label = labels[row]
            var largest = z[0], best = 0
            for c in 1..<classes where z[c] > largest {
                largest = z[c]
                best = c
            }
            // −log p[label] = log Σ exp(z − max) − (z[label] − max), exact even when p underflows.
            var sum: Float = 0
            for c in 0..<classes { sum += expf(z[c] - largest) }
            total += Double(logf(sum) - (z[label] - largest))
            if best == label { correct += 1 }
        }
        return (Float(total / Double(max(logits.rows, 1))), correct)
    }

    /// dL/dlogits = (p − onehot(labels)) / batch, written over `probabilities` and returned.
    public func backward() -> Matrix {
        let batch = probabilities.rows
        let scale = 1 / Float(batch)
        let p = probabilities.pointer()
        for i in 0..<probabilities.count { p[i] *= scale }
        let classes = probabilities.columns
        for row in 0..<batch { p[row * classes + labels[row]] -= scale }
        return probabilities
    }
}
