// The measurements themselves: training epochs through the library's own loop, loading the
// bundled MNIST, and inference over the test set. Each returns its timings; printing is the caller's.

import MNIST
import NeuralNet

/// Seconds per epoch of `Network.train`, the loop users get, for one network shape and thread count.
///
/// Each timed run is one epoch on the full training set, continuing from the previous one with a
/// fresh shuffle. The time runs from the call to the end of the epoch's last step, read in the
/// progress callback, so the test evaluation that `train` does after the epoch is not counted.
/// A short warm-up on a few batches first touches the workspaces, the pool and OpenBLAS.
func trainEpochTimings(
    layers: [Int], batchSize: Int, threads: Int, training: Dataset, test: Dataset, repeats: Int
) throws -> Timings {
    try trainEpochTimings(architecture: Architecture(layerSizes: layers), batchSize: batchSize, threads: threads,
                          training: training, test: test, repeats: repeats)
}

/// Seconds per epoch of `Network.train` for any network (see above).
func trainEpochTimings(
    architecture: Architecture, batchSize: Int, threads: Int, training: Dataset, test: Dataset, repeats: Int
) throws -> Timings {
    let pool = ComputePool(threadCount: threads)
    let network = Network(architecture: architecture, seed: 42, pool: pool)
    // train evaluates after every epoch; one test sample keeps that (untimed) evaluation short.
    let probe = test.prefix(1)

    let warmUp = TrainingOptions(epochs: 1, batchSize: batchSize, shuffleSeed: 0)
    try network.train(on: training.prefix(20 * batchSize), testingOn: probe, options: warmUp)

    var epoch: UInt64 = 0
    return try measure(repeats: repeats, warmups: 0) {
        epoch += 1
        let options = TrainingOptions(epochs: 1, batchSize: batchSize, shuffleSeed: epoch)
        return try timedEpoch(of: network, on: training, probe: probe, options: options)
    }
}

/// Seconds of one epoch of `network.train`, from the call to the end of the epoch's last step
/// (read in the progress callback, so the evaluation after the epoch is not counted).
private func timedEpoch(of network: Network, on training: Dataset, probe: Dataset, options: TrainingOptions) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var lastStep = start
    try network.train(on: training, testingOn: probe, options: options, progress: { progress in
        if progress.batch == progress.batches { lastStep = clock.now }
    })
    return seconds(from: start, to: lastStep)
}

/// Seconds to load the four bundled MNIST files (gzip → datasets), after one untimed load that
/// brings the files into the page cache.
func loadTimings(directory: String, repeats: Int) throws -> Timings {
    try measure(repeats: repeats, warmups: 1) {
        try time { _ = try MNISTDataset.load(directory: directory) }
    }
}

/// Seconds for `Network.evaluate(on:chunkSize:)` over `test` (gather, forward, loss per chunk),
/// after one untimed pass. The weights are He-initialised: their values do not change the work.
func inferenceTimings(layers: [Int], chunkSize: Int, threads: Int, test: Dataset, repeats: Int) throws -> Timings {
    let pool = ComputePool(threadCount: threads)
    let network = try Network(layerSizes: layers, seed: 42, pool: pool)
    return measure(repeats: repeats, warmups: 1) {
        time { _ = network.evaluate(on: test, chunkSize: chunkSize) }
    }
}

/// Seconds per epoch of `Network.train` for one network shape with each augmentation in
/// `augmentations` (nil: none), interleaved: every round trains one epoch of each, so a busy spell
/// of the machine slows them alike and their ratio holds.
func augmentedEpochTimings(
    layers: [Int], batchSize: Int, threads: Int, training: Dataset, test: Dataset, rounds: Int,
    augmentations: [(any SampleAugmentation)?]
) throws -> [Timings] {
    let pool = ComputePool(threadCount: threads)
    let probe = test.prefix(1)
    let networks = try augmentations.map { _ in try Network(layerSizes: layers, seed: 42, pool: pool) }
    var runs = Array(repeating: [Double](), count: augmentations.count)
    for round in 0...rounds {
        for (index, augmentation) in augmentations.enumerated() {
            let options = TrainingOptions(
                epochs: 1, batchSize: batchSize, optimizer: .sgd(learningRate: 0.1),
                shuffleSeed: UInt64(round), augmentation: augmentation)
            let seconds = try timedEpoch(of: networks[index], on: training, probe: probe, options: options)
            // Round 0 warms every network and the augmenters' code up; it is not counted.
            if round > 0 { runs[index].append(seconds) }
        }
    }
    return runs.map(Timings.init(runs:))
}
