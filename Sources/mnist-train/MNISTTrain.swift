// mnist-train: trains a multilayer perceptron on MNIST (or the synthetic edge set) with minibatch
// SGD (plain, with momentum, or Adam), prints one line per epoch and the final test accuracy, and
// writes a safetensors model.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet
import Reports

@main
struct MNISTTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-train",
        abstract: "Train a digit classifier on MNIST and save it as a safetensors model.",
        discussion: """
            Trains a multilayer perceptron (Linear, ReLU, …, Linear, softmax cross-entropy) with \
            minibatch SGD (plain by default, with momentum, or Adam; at a constant step size or on \
            a cosine schedule), shuffling the training set every epoch. Prints one line per epoch \
            (mean train loss, train accuracy, test accuracy, seconds) and ends with the test \
            accuracy. The model is written atomically in the safetensors format with PyTorch's \
            nn.Sequential tensor names, so Python tools can load it. On a terminal a progress bar \
            shows each epoch as it runs.

            Example: mnist-train --epochs 10 --output model.safetensors
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Which data to train on: mnist (from --data) or edges (synthetic 5×5 patches).", valueName: "mnist|edges"))
    var dataset: DatasetChoice = .mnist

    @Option(help: ArgumentHelp("Layer sizes from input to classes, comma-separated; 784,128,64,10 for MNIST, 25,8,2 for edges.", valueName: "sizes"))
    var layers: LayerList?

    @Option(help: "Passes over the training set.")
    var epochs: Int = 10

    @Option(help: "Samples per SGD step.")
    var batchSize: Int = 64

    @Option(help: ArgumentHelp("The update rule: plain SGD, SGD with momentum, or Adam.", valueName: "sgd|momentum|adam"))
    var optimizer: OptimizerChoice = .sgd

    @Option(help: ArgumentHelp("Step size (default: 0.1 for sgd, 0.01 for momentum, 0.001 for adam).", valueName: "rate"))
    var learningRate: Float?

    @Option(help: "Momentum coefficient μ for --optimizer momentum.")
    var momentum: Float = 0.9

    @Option(help: ArgumentHelp("How the step size changes: constant, or cosine (down to 0 by the last step).", valueName: "constant|cosine"))
    var schedule: LearningRateSchedule = .constant

    @Option(help: "Seed for the initial weights and the shuffles; the same seed and --threads give the same model, byte for byte.")
    var seed: UInt64 = 42

    @OptionGroup var threadOptions: ThreadOptions

    @Option(help: "Train on only the first N training samples (for quick trials).")
    var limit: Int?

    @Option(name: .shortAndLong, help: "Where to write the model.")
    var output: String = "model.safetensors"

    @Option(help: ArgumentHelp("Also write a report of the trained model on the test set, with its training curves, as DIR/index.html.", valueName: "DIR"))
    var html: String?

    var data: String { dataOptions.data }
    var threads: Int { threadOptions.threads }

    enum DatasetChoice: String, ExpressibleByArgument, CaseIterable {
        case mnist, edges
    }

    enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
        case sgd, momentum, adam
    }

    /// The update rule the options describe.
    var chosenOptimizer: Optimizer {
        switch optimizer {
        case .sgd: return .sgd(learningRate: learningRate ?? 0.1)
        case .momentum: return .momentum(learningRate: learningRate ?? 0.01, momentum: momentum)
        case .adam: return .adam(learningRate: learningRate ?? 0.001)
        }
    }

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
        }
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive, got \(limit)") }
        if let sizes = layers?.sizes {
            // A weight and its gradient take 8 bytes per parameter: refuse a list that cannot fit
            // in memory rather than crash allocating it. Counted in Double so it cannot overflow.
            let parameters = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0 + 1) * Double($1.1) }
            guard parameters * 8 < Double(ProcessInfo.processInfo.physicalMemory) else {
                throw ValidationError("--layers \(LayerList(sizes).description) needs \(String(format: "%.3g", parameters)) parameters, more than this machine's memory holds")
            }
        }
    }

    func run() throws {
        let loadStart = Date()
        let (training, test) = try loadData()
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let sizes = layers?.sizes ?? (dataset == .mnist ? [784, 128, 64, 10] : [25, 8, 2])
        guard sizes.first == training.featureCount else {
            throw ValidationError("--layers starts with \(sizes.first ?? 0) inputs but the data has \(training.featureCount) features per sample")
        }
        guard sizes.last == training.classCount else {
            throw ValidationError("--layers ends with \(sizes.last ?? 0) outputs but the data has \(training.classCount) classes")
        }

        let pool = ComputePool(threadCount: threads)
        let network = try Network(layerSizes: sizes, seed: seed, pool: pool)
        print("training [\(LayerList(sizes).description)] (\(network.parameterCount) parameters) on \(training.count) samples, testing on \(test.count) (loaded in \(String(format: "%.2f", loadSeconds))s)")
        print("\(epochs) epoch\(epochs == 1 ? "" : "s"), batch \(batchSize), \(optimizer.rawValue) with learning rate \(chosenOptimizer.learningRate)\(schedule == .cosine ? " on a cosine schedule" : ""), seed \(seed), \(threads) thread\(threads == 1 ? "" : "s")")

        let options = TrainingOptions(
            epochs: epochs, batchSize: batchSize, optimizer: chosenOptimizer, schedule: schedule, shuffleSeed: seed)
        let display = ProgressDisplay(epochs: epochs)
        let history = try network.train(
            on: training, testingOn: test, options: options, progress: display.update, epochEnded: display.epochEnded)

        let final = history.last!.test
        let metadata = ModelMetadata.training(dataset: dataset.rawValue, options: options, seed: seed, history: history)
        try network.save(to: output, metadata: metadata)
        print("model written to \(output)")
        if let html {
            let report = EvaluationReport(
                network: network, dataset: test, modelPath: output,
                dataDescription: dataset == .mnist ? data : "synthetic edge patches", metadata: metadata)
            print("HTML report written to \(try report.writeHTML(toDirectory: html))")
        }
        print(String(format: "test accuracy: %.2f%% (%d/%d)", 100 * final.accuracy, final.correct, final.count))
    }

    private func loadData() throws -> (Dataset, Dataset) {
        switch dataset {
        case .mnist:
            let (training, test) = try MNISTDataset.load(directory: data)
            return (limit.map { training.prefix($0) } ?? training, test)
        case .edges:
            return (EdgeDataset.make(count: limit ?? 1000, seed: seed), EdgeDataset.make(count: 200, seed: seed &+ 1))
        }
    }
}

extension LearningRateSchedule: ExpressibleByArgument {}
