// The confusion matrix of a classifier: how often each true class was predicted as each class.

/// Counts of (true class, predicted class) pairs; rows are true classes, columns predictions.
public struct ConfusionMatrix: Sendable, Equatable {
    /// `counts[t][p]`: samples of true class `t` predicted as `p`.
    public let counts: [[Int]]

    /// The number of classes (rows and columns).
    public var classCount: Int { counts.count }

    /// Tallies `labels` against `predictions`, both class indices in `0..<classCount`.
    public init(labels: [Int], predictions: [Int], classCount: Int) {
        precondition(labels.count == predictions.count, "\(labels.count) labels but \(predictions.count) predictions")
        var counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for (label, predicted) in zip(labels, predictions) {
            counts[label][predicted] += 1
        }
        self.counts = counts
    }

    /// A matrix from counts already tallied; `counts` must be square.
    public init(counts: [[Int]]) {
        precondition(counts.allSatisfy { $0.count == counts.count }, "a confusion matrix is square")
        self.counts = counts
    }

    /// Samples of true class `actual` predicted as `predicted`.
    public subscript(actual: Int, predicted: Int) -> Int {
        counts[actual][predicted]
    }

    /// Samples per true class (row sums): each class's support.
    public var support: [Int] { counts.map { $0.reduce(0, +) } }

    /// Samples predicted as each class (column sums).
    public var predictedCounts: [Int] {
        (0..<classCount).map { column in counts.reduce(0) { $0 + $1[column] } }
    }

    /// Correct predictions: the diagonal's sum.
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }

    /// All samples counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// The largest count off the diagonal, 0 if there is no mistake.
    public var largestConfusion: Int {
        topConfusions(limit: 1).first?.count ?? 0
    }

    /// One kind of mistake: true class `actual` taken for `predicted`, `count` times.
    public struct Confusion: Sendable, Equatable {
        /// The true class.
        public var actual: Int
        /// The class the model chose instead.
        public var predicted: Int
        /// How many samples of `actual` were taken for `predicted`.
        public var count: Int

        /// A confusion of `actual` for `predicted`, `count` times.
        public init(actual: Int, predicted: Int, count: Int) {
            self.actual = actual
            self.predicted = predicted
            self.count = count
        }
    }

    /// The most frequent mistakes, most frequent first; ties in (true, predicted) order.
    /// Pairs that never occur are left out.
    public func topConfusions(limit: Int) -> [Confusion] {
        var all: [Confusion] = []
        for actual in 0..<classCount {
            for predicted in 0..<classCount where predicted != actual && counts[actual][predicted] > 0 {
                all.append(Confusion(actual: actual, predicted: predicted, count: counts[actual][predicted]))
            }
        }
        // The loops produced (true, predicted) order; a stable sort by count keeps it among ties.
        return Array(stableSorted(all) { $0.count > $1.count }.prefix(max(limit, 0)))
    }
}

/// `array` sorted by `areInIncreasingOrder`, equal elements keeping their original order.
func stableSorted<Element>(_ array: [Element], by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
    array.enumerated()
        .sorted { lhs, rhs in
            if areInIncreasingOrder(lhs.element, rhs.element) { return true }
            if areInIncreasingOrder(rhs.element, lhs.element) { return false }
            return lhs.offset < rhs.offset
        }
        .map(\.element)
}
