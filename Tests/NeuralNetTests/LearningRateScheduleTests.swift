// Learning-rate schedules: the constant one changes nothing, the cosine one falls from 1 to 0.

import NeuralNet
import Testing

@Suite struct LearningRateScheduleTests {
    @Test func constantKeepsTheStepSize() {
        #expect((0..<100).allSatisfy { LearningRateSchedule.constant.factor(step: $0, of: 100) == 1 })
    }

    @Test func cosineFallsFromOneToZero() {
        let total = 1000
        let factors = (0..<total).map { LearningRateSchedule.cosine.factor(step: $0, of: total) }
        #expect(factors.first == 1)
        #expect(abs(factors[total / 2] - 0.5) < 1e-6)
        #expect(factors.last! < 1e-4 && factors.last! > 0)
        #expect(zip(factors, factors.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func scalingAnOptimizerScalesOnlyItsLearningRate() {
        #expect(Optimizer.sgd(learningRate: 0.2).scaled(by: 0.5) == .sgd(learningRate: 0.1))
        #expect(Optimizer.momentum(learningRate: 0.2, momentum: 0.9).scaled(by: 0.5) == .momentum(learningRate: 0.1, momentum: 0.9))
        #expect(Optimizer.adam(learningRate: 0.002, beta1: 0.8).scaled(by: 0.5) == .adam(learningRate: 0.001, beta1: 0.8))
    }

    @Test func aCosineScheduleEndsWithSmallerStepsThanAConstantOne() throws {
        // Same start, same data: with the step size falling to zero the weights move less over the
        // last epoch than with the step size held.
        func lastEpochChange(_ schedule: LearningRateSchedule) throws -> Float {
            let network = try Network(layerSizes: [4, 6, 2], seed: 3)
            var generator = SeededGenerator(seed: 4)
            let features = (0..<(64 * 4)).map { _ in generator.nextUnitFloat() }
            let labels = (0..<64).map { row in features[row * 4] > 0.5 ? 1 : 0 }
            let data = Dataset(features: .floats(features), labels: labels, featureCount: 4, classCount: 2)
            var snapshot: [Float] = []
            _ = try network.train(
                on: data, testingOn: data,
                options: TrainingOptions(epochs: 4, batchSize: 8, optimizer: .sgd(learningRate: 0.5), schedule: schedule),
                epochEnded: { summary in
                    if summary.epoch == 3 { snapshot = network.linearLayers[0].weight.elements }
                })
            return zip(snapshot, network.linearLayers[0].weight.elements).map { abs($0 - $1) }.reduce(0, +)
        }
        #expect(try lastEpochChange(.cosine) < 0.5 * lastEpochChange(.constant))
    }

    @Test func warmUpRisesLinearlyToTheSchedulesStart() {
        let factors = (0..<4).map { LearningRateSchedule.cosine.factor(step: $0, of: 14, warmupSteps: 4) }
        #expect(factors == [0.25, 0.5, 0.75, 1])
        // After the warm-up the cosine runs over the remaining 10 steps: halfway down at step 9.
        #expect(abs(LearningRateSchedule.cosine.factor(step: 9, of: 14, warmupSteps: 4) - 0.5) < 1e-6)
        #expect(LearningRateSchedule.constant.factor(step: 2, of: 10, warmupSteps: 4) == 0.75)
    }

    @Test func oneCycleRisesFromOneTwentyFifthToThePeakThenFallsFarBelow() {
        let total = 100
        let schedule = LearningRateSchedule.oneCycle
        #expect(abs(schedule.factor(step: 0, of: total) - 0.04) < 1e-6)
        #expect(abs(schedule.factor(step: 30, of: total) - 1) < 1e-6)
        // Halfway up the rise: the mean of 1/25 and 1.
        #expect(abs(schedule.factor(step: 15, of: total) - 0.52) < 1e-6)
        #expect(schedule.factor(step: total, of: total) < 1e-5)
        let falling = (30...total).map { schedule.factor(step: $0, of: total) }
        #expect(zip(falling, falling.dropFirst()).allSatisfy { $0 >= $1 })
    }
}
