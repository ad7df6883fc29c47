// The synthetic edge patches: what they look like, and that the tutorial's network learns them.

import MNIST
import NeuralNet
import Testing

@Suite struct EdgeDatasetTests {
    @Test func patchesFollowTheTutorial() {
        let dataset = EdgeDataset.make(count: 400, seed: 1)
        #expect(dataset.count == 400 && dataset.featureCount == 25 && dataset.classCount == 2)
        let patches = dataset.matrix()
        var kinds: Set<String> = []
        for index in 0..<dataset.count {
            let rows = (0..<5).map { Array(patches.row(index)[($0 * 5)..<($0 * 5 + 5)]) }
            #expect(rows.allSatisfy { $0 == rows[0] }, "patch \(index): every row alike")
            let row = rows[0]
            if dataset.labels[index] == 1 {
                // Dark 0.1 left of a column 1–3, bright 0.9 from it on.
                let boundary = row.firstIndex(of: 0.9) ?? -1
                #expect((1...3).contains(boundary) && row == (0..<5).map { $0 < boundary ? 0.1 : 0.9 }, "edge \(index): \(row)")
                kinds.insert("edge at \(boundary)")
            } else if row.allSatisfy({ $0 == row[0] }) {
                #expect(row[0] >= 0.3 && row[0] <= 0.7, "flat \(index): \(row)")
                kinds.insert("flat")
            } else {
                let boundary = row.firstIndex(of: 0.1) ?? -1
                #expect((1...3).contains(boundary) && row == (0..<5).map { $0 < boundary ? 0.9 : 0.1 }, "reversed \(index): \(row)")
                kinds.insert("reversed at \(boundary)")
            }
        }
        #expect(kinds.count == 7, "every kind of patch appears: \(kinds.sorted())")
        #expect(dataset.labels.filter { $0 == 1 }.count == 200)
    }

    @Test func sameSeedSamePatchesAndDifferentSeedsDiffer() {
        #expect(EdgeDataset.make(count: 50, seed: 3).matrix() == EdgeDataset.make(count: 50, seed: 3).matrix())
        #expect(EdgeDataset.make(count: 50, seed: 3).matrix() != EdgeDataset.make(count: 50, seed: 4).matrix())
    }

    /// The tutorial's result: a [25, 8, 2] network separates edges perfectly.
    @Test func tutorialNetworkReachesFullTestAccuracy() throws {
        let network = try Network(layerSizes: [25, 8, 2], seed: 42)
        let history = try network.train(
            on: EdgeDataset.make(count: 1000, seed: 42), testingOn: EdgeDataset.make(count: 200, seed: 43),
            options: TrainingOptions(epochs: 10, batchSize: 64, learningRate: 0.1, shuffleSeed: 42))
        #expect(history.count == 10)
        let final = try #require(history.last).test
        #expect(final.correct == 200 && final.count == 200)
        #expect(history.last!.train.loss < history.first!.train.loss)
    }
}
