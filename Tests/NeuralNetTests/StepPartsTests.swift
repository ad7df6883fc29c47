// How a step cuts its batch: not at all when small, a part per thread when light, four per thread
// when heavy (so that a thread whose core is shared claims fewer of them).

@testable import NeuralNet
import Testing

@Suite struct StepPartsTests {
    typealias Step = Network.Step

    @Test func oneThreadOrSmallWorkIsOnePart() {
        #expect(Step.partCount(rows: 128, workPerSample: 11_000_000, threads: 1) == 1)
        #expect(Step.partCount(rows: 1, workPerSample: 100_000, threads: 2) == 1)
    }

    @Test func theDefaultPerceptronKeepsOnePartPerThread() {
        // 784-128-64-10 at batch 64: the parts, and so the bits, of the default run.
        let work = 784 * 128 + 128 * 64 + 64 * 10
        #expect(Step.partCount(rows: 64, workPerSample: work, threads: 2) == 2)
        #expect(Step.partCount(rows: 64, workPerSample: work, threads: 3) == 3)
    }

    @Test func aHeavyStepIsCutFourPartsPerThread() {
        // The recipe CNN: about 11 million multiply-adds per sample.
        #expect(Step.partCount(rows: 128, workPerSample: 11_000_000, threads: 2) == 8)
        #expect(Step.partCount(rows: 5, workPerSample: 200_000_000, threads: 2) == 5, "never more parts than rows")
    }

    @Test func theRecipeNetworkSplitsItsBatchIntoEightPartsOnTwoThreads() throws {
        let architecture = try Architecture(parsing: "1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10")
        let network = Network(architecture: architecture, seed: 1, pool: ComputePool(threadCount: 2))
        let x = Matrix(rows: 16, columns: 784)
        _ = network.forward(x)
        #expect(network.partsOfLastBatch == 8)
    }
}
