// Temperature scaling: dividing the logits sharpens (or softens) every probability without
// changing an answer, and the fitted temperature is the one with the least cross-entropy.

@testable import NeuralNet
import Foundation
import Testing

@Suite struct TemperatureTests {
    /// Random inputs whose labels are mostly the network's own answers: a fit with a finite minimum.
    private func fixture(_ layers: String, seed: UInt64) throws -> (Network, Dataset, [Float]) {
        let network = Network(architecture: try Architecture(parsing: layers), seed: seed)
        var generator = SeededGenerator(seed: seed + 100)
        let count = 300, width = network.inputSize
        let features = (0..<(count * width)).map { _ in Float.random(in: -1...1, using: &generator) }
        let probabilities = network.probabilities(Matrix(rows: count, columns: width, elements: features))
        let labels = (0..<count).map { row in
            Int.random(in: 0..<5, using: &generator) == 0
                ? Int.random(in: 0..<network.classCount, using: &generator)
                : probabilities.row(row).indices.max { probabilities[row, $0] < probabilities[row, $1] }!
        }
        return (network, Dataset(features: .floats(features), labels: labels, featureCount: width, classCount: network.classCount), features)
    }

    @Test func dividingTheLogitsRaisesEachProbabilityToAPowerAndKeepsTheAnswers() throws {
        let (network, _, features) = try fixture("12,16,4", seed: 1)
        let x = Matrix(rows: 20, columns: 12, elements: Array(features.prefix(20 * 12)))
        let before = network.probabilities(x)
        network.divideLogits(by: 0.5)
        let after = network.probabilities(x)
        for row in 0..<20 {
            let squared = before.row(row).map { Double($0) * Double($0) }
            let total = squared.reduce(0, +)
            for c in 0..<4 { #expect(abs(Double(after[row, c]) - squared[c] / total) < 1e-5) }
            #expect(after.row(row).indices.max { after[row, $0] < after[row, $1] }
                    == before.row(row).indices.max { before[row, $0] < before[row, $1] })
        }
    }

    @Test func theFittedTemperatureHasTheLeastLossAndFollowsAScaling() throws {
        let (network, data, _) = try fixture("12,16,4", seed: 2)
        let fitted = network.fittedTemperature(on: data)
        #expect(fitted > 0.05 && fitted < 4, "an interior minimum: \(fitted)")
        // After dividing by 3 the best temperature is a third of the first.
        network.divideLogits(by: 3)
        let refitted = network.fittedTemperature(on: data)
        #expect(abs(refitted / fitted - 1.0 / 3) < 1e-3, "\(fitted) then \(refitted)")
        // Folded in, it beats a temperature a tenth higher (softer) and a tenth lower (sharper),
        // measured by the ordinary evaluation.
        network.divideLogits(by: refitted)
        let best = network.evaluate(on: data).loss
        network.divideLogits(by: 1.1)
        let softer = network.evaluate(on: data).loss
        network.divideLogits(by: 0.9 / 1.1)
        let sharper = network.evaluate(on: data).loss
        #expect(best < softer && best < sharper, "\(best), \(softer), \(sharper)")
    }
}
