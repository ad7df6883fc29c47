// Softmax and cross-entropy fused: numerically stable, and the gradient is simply (p − y) / batch.

import Foundation

/// Softmax over each row of logits followed by the mean cross-entropy against class labels.
///
/// Fusing the two gives a stable loss (`log Σ exp` after subtracting the row maximum) and the
/// simple gradient `(p − onehot(y)) / batch`, which `backward` writes over the probabilities.
/// Rows are independent, so a network can run the loss on each core's own rows.
public final class SoftmaxCrossEntropy {
    /// Softmax probabilities after `forward`; after `backward`, the gradient dL/dlogits.
    public let probabilities: Matrix
    private var labels: [Int] = []
    /// ε of the current batch's targets: `(1 − ε)·onehot(y) + ε/classes` (0: the labels alone).
    private var smoothing: Float = 0

    /// Creates the loss for `classes` classes.
    public init(classes: Int) {
        probabilities = Matrix(rows: 0, columns: classes)
    }

    /// Row-wise softmax of `logits` into `probabilities`.
    public func softmax(_ logits: Matrix) {
        probabilities.resize(rows: logits.rows)
        softmax(logits, rows: 0..<logits.rows)
    }

    // logits: (batch × classes), labels: batch class indices → mean loss over the batch.
    /// Computes probabilities and returns the mean cross-entropy and how many rows' largest
    /// probability falls on their label. `smoothing` (ε in [0, 1)) changes the target `backward`
    /// pulls towards, not the loss returned (see `prepare(labels:smoothing:)`).
    public func forward(_ logits: Matrix, labels: [Int], smoothing: Float = 0) -> (loss: Float, correct: Int) {
        prepare(labels: labels, smoothing: smoothing)
        let (total, correct) = forward(logits, rows: 0..<logits.rows)
        return (Float(total / Double(max(logits.rows, 1))), correct)
    }

    /// dL/dlogits = (p − target) / batch, written over `probabilities` and returned; the target
    /// is `onehot(labels)`, smoothed when `forward`'s caller prepared the batch with ε > 0.
    public func backward() -> Matrix {
        backward(rows: 0..<probabilities.rows)
        return probabilities
    }
}

extension SoftmaxCrossEntropy {
    /// Takes the batch's labels and sizes `probabilities` for them. With `smoothing` ε > 0 the
    /// gradient pulls towards `(1 − ε)·onehot(y) + ε/classes` (PyTorch's `label_smoothing`); the
    /// loss returned stays the cross-entropy against the labels themselves, so training and
    /// validation losses read alike.
    func prepare(labels: [Int], smoothing: Float = 0) {
        let classes = probabilities.columns
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "a label is outside 0..<\(classes)")
        precondition((0..<1).contains(smoothing), "label smoothing must be in [0, 1)")
        self.smoothing = smoothing
        self.labels.removeAll(keepingCapacity: true)
        self.labels.append(contentsOf: labels)
        probabilities.resize(rows: labels.count)
    }

    /// Softmax of rows `rows` of `logits`; returns nothing but fills those rows of `probabilities`.
    func softmax(_ logits: Matrix, rows: Range<Int>) {
        for row in rows {
            _ = softmaxRow(logits.pointer(row: row), into: probabilities.pointer(row: row))
        }
    }

    /// Probabilities for rows `rows`, with the sum of their cross-entropies and how many are right.
    func forward(_ logits: Matrix, rows: Range<Int>) -> (lossSum: Double, correct: Int) {
        precondition(labels.count == logits.rows, "\(labels.count) labels for \(logits.rows) rows")
        var total = 0.0
        var correct = 0
        for row in rows {
            let z = logits.pointer(row: row)
            let label = labels[row]
            let (largest, best, sum) = softmaxRow(z, into: probabilities.pointer(row: row))
            // −log p[label] = log Σ exp(z − max) − (z[label] − max), exact even when p underflows.
            total += Double(logf(sum) - (z[label] - largest))
            if best == label { correct += 1 }
        }
        return (total, correct)
    }

    /// dL/dlogits for rows `rows`, over their probabilities: (p − target) / batch.
    func backward(rows: Range<Int>) {
        let classes = probabilities.columns
        let scale = 1 / Float(probabilities.rows)
        if smoothing == 0 {
            for row in rows {
                let p = probabilities.pointer(row: row)
                for c in 0..<classes { p[c] *= scale }
                p[labels[row]] -= scale
            }
            return
        }
        let spread = smoothing / Float(classes)
        let onLabel = 1 - smoothing + spread
        for row in rows {
            let p = probabilities.pointer(row: row)
            for c in 0..<classes { p[c] = (p[c] - spread) * scale }
            p[labels[row]] -= (onLabel - spread) * scale
        }
    }

    /// Softmax of one row of `classes` logits into `p`; returns the largest logit, its index and
    /// Σ exp(z − largest).
    private func softmaxRow(_ z: UnsafeMutablePointer<Float>, into p: UnsafeMutablePointer<Float>) -> (Float, Int, Float) {
        let classes = probabilities.columns
        var largest = z[0], best = 0
        for c in 1..<classes where z[c] > largest {
            largest = z[c]
            best = c
        }
        var sum: Float = 0
        for c in 0..<classes {
            // Infinite logits (weights so large the products overflow) make the row NaN, which
            // the tools report as a broken model rather than guessing a class.
            p[c] = expf(z[c] - largest)
            sum += p[c]
        }
        let scale = 1 / sum
        for c in 0..<classes { p[c] *= scale }
        return (largest, best, sum)
    }
}
