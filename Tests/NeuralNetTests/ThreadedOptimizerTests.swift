// Every optimizer trained on 1, 2 and 3 threads: a thread count gives the same bits every time,
// and an uneven three-way split of rows and columns stays within rounding of the serial run.

import NeuralNet
import Testing

@Suite struct ThreadedOptimizerTests {
    static let optimizers: [Optimizer] = [
        .sgd(learningRate: 0.1), .momentum(learningRate: 0.05, momentum: 0.9), .adam(learningRate: 0.003),
    ]
    // Above the pool's threshold, so the work really is split; 200 inputs and a batch of 64 do not
    // divide evenly three ways.
    static let sizes = [200, 64, 48, 10]

    static func trained(_ optimizer: Optimizer, threads: Int, dropout: Float = 0) throws -> [Float] {
        let network = try Network(layerSizes: sizes, dropout: dropout, seed: 5, pool: ComputePool(threadCount: threads))
        var generator = SeededGenerator(seed: 6)
        for step in 0..<8 {
            let x = GradientCheck.randomMatrix(rows: 64, columns: sizes[0], in: 0...1, using: &generator)
            let labels = (0..<64).map { _ in generator.nextInt(below: 10) }
            network.trainStep(x, labels: labels, optimizer: optimizer, seed: UInt64(step))
        }
        return network.linearLayers.flatMap { $0.weight.elements + $0.bias.elements }
    }

    @Test(arguments: optimizers, [1, 2, 3])
    func aThreadCountGivesTheSameBitsEveryTime(optimizer: Optimizer, threads: Int) throws {
        #expect(try Self.trained(optimizer, threads: threads) == Self.trained(optimizer, threads: threads))
    }

    @Test(arguments: optimizers, [2, 3])
    func threadsAgreeWithTheSerialRun(optimizer: Optimizer, threads: Int) throws {
        let serial = try Self.trained(optimizer, threads: 1)
        let threaded = try Self.trained(optimizer, threads: threads)
        let worst = zip(serial, threaded).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "\(optimizer.name) on \(threads) threads differs by \(worst)")
    }

    @Test(arguments: [2, 3])
    func dropoutMasksDoNotDependOnTheThreadCount(threads: Int) throws {
        let serial = try Self.trained(.sgd(learningRate: 0.1), threads: 1, dropout: 0.3)
        let threaded = try Self.trained(.sgd(learningRate: 0.1), threads: threads, dropout: 0.3)
        let worst = zip(serial, threaded).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4)
    }
}
