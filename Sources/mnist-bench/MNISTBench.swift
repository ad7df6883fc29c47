// mnist-bench: times training epochs, loading and inference in-process, in whatever build it was
// compiled as (scripts/bench builds it in release mode). Prints one JSON line per measurement as it
// finishes, then a table.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet

@main
struct MNISTBench: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-bench",
        abstract: "Time MNIST training, loading and inference; report median, min and max of repeated runs.",
        discussion: """
            Measurements, each repeated and timed on a monotonic clock:
              train_epoch  seconds per epoch of training on the 60,000 images
              load_mnist   MNISTDataset.load on --data (gzip IDX → datasets)
              inference    evaluating the 10,000 test images, chunks of 1000

            train_epoch covers 784-128-64-10 at every --batch-sizes and the big network at batch \
            64, for every --threads count. Every measurement prints a JSON line (snake_case keys, \
            times in seconds) as it ends; a table follows. other_cores is how many cores other \
            processes kept busy meanwhile, on average (from /proc/stat): above 0 the machine was \
            shared and the times are suspect. Build in release mode for meaningful numbers: \
            scripts/bench does.
            """,
        version: ToolVersion.text)

    @OptionGroup var dataOptions: DataOptions

    var data: String { dataOptions.data }

    @Option(parsing: .unconditional, help: ArgumentHelp("Timed epochs per configuration of the default network, and timed loads and inference passes.", valueName: "n"))
    var repeats: Int = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Timed epochs per thread count of the big network.", valueName: "n"))
    var bigRepeats: Int = 2

    @Option(help: ArgumentHelp("Layer sizes of the big network, comma-separated, from 784 to 10 (default: 784,800,800,10).", valueName: "sizes"),
            transform: LayerList.parse)
    var bigLayers = LayerList(try! Architecture(layerSizes: [784, 800, 800, 10]))

    @Option(help: ArgumentHelp("The convolutional network to time (default: --recipe cnn's).", valueName: "network"),
            transform: LayerList.parse)
    var cnnLayers = LayerList(TrainingRecipe.cnn.layers)

    @Option(parsing: .unconditional, help: ArgumentHelp("Training samples per timed pass of the convolutional network; its seconds per epoch are scaled to 60,000.", valueName: "n"))
    var cnnSamples: Int = 12_000

    // A list, unlike the other tools' single --threads (ThreadOptions), but checked by the same rule.
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Thread counts to time training and inference with, each 1 to 255.", valueName: "n"))
    var threads: [Int] = [1, 2]

    @Flag(help: "Fewer runs: 2 epochs per configuration, 1 for the big network.")
    var quick = false

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Which measurements to run.", valueName: "load|train|big|inference|augment|cnn"))
    var only: [Part] = Part.allCases

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Batch sizes to train the default network with.", valueName: "n"))
    var batchSizes: [Int] = [64, 256]

    @Option(help: ArgumentHelp("What to print: json (lines only), table, or both.", valueName: "json|table|both"))
    var format: OutputFormat = .both

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, table, both
    }

    /// A group of measurements that `--only` can select.
    enum Part: String, ExpressibleByArgument, CaseIterable {
        /// `load_mnist`.
        case load
        /// `train_epoch` of the default network at every `--batch-sizes`.
        case train
        /// `train_epoch` of `--big-layers` at batch 64.
        case big
        /// `inference` over the test set.
        case inference
        /// `train_epoch` with and without on-the-fly distortions (`augmentation`: none, affine,
        /// elastic), interleaved, for the default network and `--big-layers`, 2 threads.
        case augment
        /// `train_epoch` of `--cnn-layers` at batch 128 over `--cnn-samples`, with its operation
        /// count and the fraction of the sgemm floor it reaches.
        case cnn
    }

    /// The tutorial's network.
    static let defaultLayers = [784, 128, 64, 10]

    func validate() throws {
        try requirePositive("--repeats", repeats)
        guard !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--batch-sizes needs one or more positive sizes, got \(batchSizes)")
        }
        try requirePositive("--big-repeats", bigRepeats)
        try requirePositive("--cnn-samples", cnnSamples)
        guard !threads.isEmpty else { throw ValidationError("--threads needs one or more counts") }
        for count in threads { try ThreadOptions.check(count) }
        guard let sizes = bigLayers.architecture.layerSizes, sizes.first == 784, sizes.last == 10 else {
            throw ValidationError("--big-layers must be layer sizes from 784 to 10, got \(bigLayers.description)")
        }
    }

    func run() throws {
        Terminal.lineBufferStandardOutput()
        let epochRepeats = quick ? 2 : repeats
        let bigEpochRepeats = quick ? 1 : bigRepeats
        var results: [BenchResult] = []
        func record(_ result: BenchResult) {
            results.append(result)
            if format != .table { print(result.jsonLine) }
            fflush(nil)  // each line out as soon as it is measured, even into a pipe
        }

        if only.contains(.load) {
            note("loading \(data)")
            record(BenchResult(
                name: "load_mnist",
                measured: try watchingOtherProcesses { try loadTimings(directory: data, repeats: repeats) }))
        }
        let (training, test) = try MNISTDataset.load(directory: data)

        var trainingCases: [(layers: [Int], batchSize: Int, repeats: Int)] = []
        if only.contains(.train) {
            trainingCases += batchSizes.map { (Self.defaultLayers, $0, epochRepeats) }
        }
        if only.contains(.big) { trainingCases.append((bigLayers.architecture.layerSizes!, 64, bigEpochRepeats)) }
        for trainingCase in trainingCases {
            for threadCount in threads {
                note("training \(trainingCase.layers) batch \(trainingCase.batchSize), \(threadCount) thread(s), \(trainingCase.repeats) epochs")
                let measured = try watchingOtherProcesses {
                    try trainEpochTimings(
                        layers: trainingCase.layers, batchSize: trainingCase.batchSize, threads: threadCount,
                        training: training, test: test, repeats: trainingCase.repeats)
                }
                record(BenchResult(
                    name: "train_epoch", layers: trainingCase.layers, batchSize: trainingCase.batchSize,
                    threads: threadCount, items: training.count, measured: measured))
            }
        }

        if only.contains(.augment) {
            let kinds: [DigitAugmentation.Kind] = [.none, .affine, .elastic]
            let augmenters = try kinds.map { $0 == .none ? nil : try DigitAugmenter(DigitAugmentation(kind: $0)) }
            let cases = [(Self.defaultLayers, epochRepeats)] + (only.contains(.big) ? [(bigLayers.architecture.layerSizes!, bigEpochRepeats)] : [])
            for (layers, rounds) in cases {
                note("training \(layers) batch 64, 2 threads, plain and distorted epochs interleaved, \(rounds) rounds")
                var timings: [Timings] = []
                let otherCores = try watchingOtherProcesses {
                    timings = try augmentedEpochTimings(
                        layers: layers, batchSize: 64, threads: 2, training: training, test: test, rounds: rounds,
                        augmentations: augmenters)
                    return timings[0]
                }.otherCores
                for (kind, timing) in zip(kinds, timings) {
                    var result = BenchResult(
                        name: "train_epoch_augmented", layers: layers, batchSize: 64, threads: 2, items: training.count,
                        measured: (timing, otherCores))
                    result.augmentation = kind.rawValue
                    record(result)
                }
            }
        }

        for threadCount in threads where only.contains(.cnn) {
            let samples = min(cnnSamples, training.count)
            note("training \(cnnLayers.description) batch 128 on \(samples) samples, \(threadCount) thread(s), \(epochRepeats) passes")
            let measured = try watchingOtherProcesses {
                try trainEpochTimings(
                    architecture: cnnLayers.architecture, batchSize: 128, threads: threadCount,
                    training: training.prefix(samples), test: test, repeats: epochRepeats)
            }
            var result = BenchResult(name: "train_epoch_cnn", batchSize: 128, threads: threadCount, items: samples, measured: measured)
            result.network = cnnLayers.description
            let flops = trainingFlopsPerSample(of: Network(architecture: cnnLayers.architecture)) * Double(samples)
            result.flops = flops
            result.gflopsPerSecond = flops / result.medianSeconds / 1e9
            result.floorFraction = flops / sgemmRate(threads: threadCount) / result.medianSeconds
            record(result)
        }

        for threadCount in threads where only.contains(.inference) {
            note("inference, \(threadCount) thread(s)")
            let chunkSize = 1000
            let measured = try watchingOtherProcesses {
                try inferenceTimings(
                    layers: Self.defaultLayers, chunkSize: chunkSize, threads: threadCount, test: test, repeats: repeats)
            }
            record(BenchResult(
                name: "inference", layers: Self.defaultLayers, batchSize: chunkSize, threads: threadCount,
                items: test.count, measured: measured))
        }

        if format != .json {
            if format == .both { print() }
            print(table(of: results))
        }
    }

    /// A progress line on standard error, so that standard output stays machine-readable.
    private func note(_ message: String) {
        FileHandle.standardError.write(Data("mnist-bench: \(message)\n".utf8))
    }
}
