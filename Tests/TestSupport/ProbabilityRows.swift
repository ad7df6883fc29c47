// Class probabilities made to order, for tests of the metrics and the reports.

import NeuralNet

/// Probability rows that put `confidence` on `predicted` and share the rest over the other classes.
public func probabilityRows(predicted: [Int], confidence: [Float], classes: Int) -> Matrix {
    let rows = zip(predicted, confidence).map { predicted, confidence in
        (0..<classes).map { $0 == predicted ? confidence : (1 - confidence) / Float(classes - 1) }
    }
    return Matrix(rows)
}
