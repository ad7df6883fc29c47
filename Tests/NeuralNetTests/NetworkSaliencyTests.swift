// Saliency against finite differences of the network's own forward pass: the gradient of one
// logit with respect to each input.

import NeuralNet
import Testing

@Suite struct NetworkSaliencyTests {
    @Test(arguments: [[6, 5, 3], [6, 5, 4, 3], [4, 3]])
    func matchesFiniteDifferencesOfTheLogit(layerSizes: [Int]) throws {
        let network = try Network(layerSizes: layerSizes, seed: 7)
        var generator = SeededGenerator(seed: 11)
        let input = (0..<layerSizes[0]).map { _ in Float.random(in: 0...1, using: &generator) }
        for classIndex in 0..<network.classCount {
            let analytic = network.saliency(of: input, classIndex: classIndex)
            let logit = { (x: [Float]) -> Double in
                Double(network.forward(Matrix(rows: 1, columns: x.count, elements: x))[0, classIndex])
            }
            var differences: [Double] = []
            for index in input.indices {
                var above = input, below = input
                above[index] += 1e-3
                below[index] -= 1e-3
                differences.append((logit(above) - logit(below)) / Double(above[index] - below[index]))
            }
            GradientCheck.expectClose(analytic, differences, "saliency of class \(classIndex)")
        }
    }

    @Test func aClosedReLUStopsTheGradient() throws {
        // With every first-layer bias very negative, no hidden unit opens and no input matters.
        let network = try Network(layerSizes: [3, 2, 2], seed: 1)
        network.linearLayers[0].bias.fill(-100)
        #expect(network.saliency(of: [0.5, 0.5, 0.5], classIndex: 1) == [0, 0, 0])
    }

    @Test(arguments: [Float(0), 0.3])
    func onePassGivesTheProbabilitiesAndThePredictedClasssSaliency(dropout: Float) throws {
        let network = try Network(layerSizes: [8, 6, 5, 4], dropout: dropout, seed: 3)
        var generator = SeededGenerator(seed: 4)
        let input = (0..<8).map { _ in Float.random(in: 0...1, using: &generator) }
        let expected = network.probabilities(Matrix([input]))
        let classIndex = expected.argmaxPerRow()[0]
        let expectedSaliency = network.saliency(of: input, classIndex: classIndex)
        let answer = network.probabilitiesAndSaliency(of: input)
        #expect(answer.probabilities == expected.row(0))
        #expect(answer.classIndex == classIndex)
        #expect(answer.saliency == expectedSaliency)
        #expect(answer.saliency.contains { $0 != 0 })
    }
}
