// mnist-train: trains a multilayer perceptron on MNIST (or the synthetic edge set), prints one
// line per epoch and the final test accuracy, and writes a safetensors model. A recipe preset
// (--recipe small|large) sets every training choice at once; options override it.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet

@main
struct MNISTTrain: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-train",
        abstract: "Train a digit classifier on MNIST and save it as a safetensors model.",
        discussion: """
            Trains a multilayer perceptron (Linear, ReLU, [Dropout,] …, Linear, softmax \
            cross-entropy), or any network --layers describes, convolutional ones included, with \
            minibatches, shuffling the training set every epoch. Prints one \
            line per epoch (train loss and accuracy, validation and test accuracy, seconds) and \
            ends with the test accuracy. The model is written atomically in the safetensors \
            format with PyTorch's nn.Sequential tensor names, so Python tools can load it.

            Without --recipe the run is the plain protocol: [784,128,64,10], 10 epochs of SGD at \
            0.1, batch 64. --recipe small trains the same network to 99% on MNIST (AdamW, \
            one-cycle, distorted digits, about 60 epochs); --recipe large a bigger one with \
            dropout; --recipe cnn a convolutional network with batch norm \
            (1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10) with label smoothing 0.1, 25 epochs on \
            all 60,000 training images, 99.7% (13 to 16 minutes on two cores; add --validation \
            5000 to watch a held-out curve). Any option given overrides the recipe's value.

            With --label-smoothing the logits of the model written are divided by a temperature \
            fitted on the training images, so that its confidences are not all near 1 − ε.

            With --validation N, N training images are held out (chosen with the seed): they \
            choose the best epoch, whose weights are saved, and --patience stops the run when \
            they stop improving. The test set never chooses anything; its column is a report.

            --checkpoint PATH saves the run after every epoch and on Ctrl-C or SIGTERM; --resume PATH \
            continues it, giving the same model as an uninterrupted run.

            --init MODEL starts from a trained model's network and weights (options that would \
            change the network are refused); without --recipe it fine-tunes: one epoch, AdamW at \
            3e-4, batch 64. --images-dir DIR teaches a folder of your own labelled PNGs (DIR/0 … \
            DIR/9, preprocessed as mnist-predict does), each seen --passes times per epoch and \
            mixed with MNIST training images (--replay, the MNIST share) so that the model does not \
            forget MNIST; --validation N then holds out N images of each class.

            Examples:
              mnist-train --epochs 10 --output model.safetensors
              mnist-train --recipe small --html report
              mnist-train --recipe large --checkpoint large.ckpt
              mnist-train --recipe cnn --output cnn.safetensors
              mnist-train --layers 1x28x28,16C5,MP2,32C5,MP2,10 --optimizer adamw
              mnist-train --resume large.ckpt      (to continue it after Ctrl-C)
              mnist-train --init model.safetensors --images-dir my-digits --validation 5 -o mine.safetensors
            """,
        version: ToolVersion.text)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("A preset of every training choice: standard (the default), small, large (perceptrons) or cnn (a convolutional network).", valueName: "name"))
    var recipe: String?

    @Option(help: ArgumentHelp("Which data to train on: mnist (from --data) or edges (synthetic 5×5 patches).", valueName: "mnist|edges"))
    var dataset: DatasetChoice = .mnist

    @Option(help: ArgumentHelp("The network, from input to classes (default 784,128,64,10; 25,8,2 for edges). " + LayerList.grammarHelp, valueName: "network"),
            transform: LayerList.parse)
    var layers: LayerList?

    @Option(parsing: .unconditional, help: ArgumentHelp("Passes over the training set (default 10).", valueName: "n"))
    var epochs: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Samples per step (default 64).", valueName: "n"))
    var batchSize: Int?

    @Option(help: ArgumentHelp("The update rule (default sgd).", valueName: "sgd|momentum|nesterov|adam|adamw"))
    var optimizer: TrainingRecipe.OptimizerKind?

    @Option(name: .customLong("init"), help: ArgumentHelp("Start from this trained model's network and weights instead of random ones (fine-tuning: AdamW at 3e-4 for one epoch unless --recipe or options say otherwise).", valueName: "model"))
    var initModel: String?

    @Option(help: ArgumentHelp("Train on a folder of labelled PNG images, DIR/0 … DIR/9 (as mnist-eval --images-dir reads), mixed with MNIST replay; --validation N then holds out N images of each class.", valueName: "dir"))
    var imagesDir: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("With --images-dir: the share of MNIST training images in the mix, in [0, 1) (default 0.5).", valueName: "fraction"))
    var replay: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("With --images-dir: how many times each of the folder's images is seen per epoch (default 25).", valueName: "n"))
    var passes: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("(Peak) step size (default 0.1 for sgd, 0.01 for momentum and nesterov, 0.001 for adam and adamw).", valueName: "rate"))
    var learningRate: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Momentum coefficient μ for momentum and nesterov (default 0.9).", valueName: "μ"))
    var momentum: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Weight decay λ on the weights: L2 for the SGD family, decoupled for adamw (default 0).", valueName: "λ"))
    var weightDecay: Float?

    @Option(help: ArgumentHelp("How the step size changes: constant, cosine (down to 0) or onecycle (up over 30% of the run, then down) (default constant).", valueName: "name"))
    var schedule: LearningRateSchedule?

    @Option(parsing: .unconditional, help: ArgumentHelp("Epochs over which the step size first rises linearly (default 0).", valueName: "n"))
    var warmup: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Dropout probability after each hidden ReLU while training (default 0).", valueName: "p"))
    var dropout: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Label smoothing ε: each step aims at 1 − ε + ε/10 for the label and ε/10 for every other class instead of 1 and 0, as PyTorch's label_smoothing (default 0).", valueName: "ε"))
    var labelSmoothing: Float?

    @Option(help: ArgumentHelp("Distort each training digit as it is drawn: affine (slant, rotation, size, position, pen width) or elastic (affine plus a smooth random warp) (default none).", valueName: "none|affine|elastic"))
    var augment: DigitAugmentation.Kind?

    @Option(parsing: .unconditional, help: ArgumentHelp("Hold out N training images to choose the best epoch (default 0: keep the last).", valueName: "n"))
    var validation: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop after K epochs without a better validation accuracy (needs --validation).", valueName: "k"))
    var patience: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Seed for the weights, shuffles, dropout and distortions; the same seed and --threads give the same model, byte for byte (default 42).", valueName: "n"))
    var seed: UInt64?

    @OptionGroup var threadOptions: ThreadOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Train on only the first N training samples (for quick trials).", valueName: "n"))
    var limit: Int?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the model.", valueName: "path"))
    var output: String = ModelOptions.defaultPath

    @Option(help: ArgumentHelp("Also write a report of the trained model on the test set, with its training curves, as DIR/index.html.", valueName: "dir"))
    var html: String?

    @Option(help: ArgumentHelp("Save the run here after every epoch and on Ctrl-C or SIGTERM, to continue it with --resume.", valueName: "path"))
    var checkpoint: String?

    @Option(help: ArgumentHelp("Continue the run saved in this checkpoint, with its settings (options given must agree); it keeps checkpointing there.", valueName: "path"))
    var resume: String?

    enum DatasetChoice: String, ExpressibleByArgument, CaseIterable {
        case mnist, edges
    }

    func validate() throws {
        if let recipe, TrainingRecipe.presets[recipe] == nil {
            throw ValidationError("--recipe must be standard, small or large, got \(recipe)")
        }
        try Self.positive("--epochs", epochs)
        try Self.positive("--batch-size", batchSize)
        try Self.positive("--limit", limit)
        try Self.positive("--patience", patience)
        try Self.notNegative("--warmup", warmup)
        try Self.notNegative("--validation", validation)
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
        }
        try Self.positive("--passes", passes)
        if let replay, !(replay >= 0 && replay < 1) { throw ValidationError("--replay must be in [0, 1), got \(replay)") }
        if let momentum, !(momentum >= 0 && momentum < 1) { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        if let weightDecay, !(weightDecay >= 0 && weightDecay < 1) { throw ValidationError("--weight-decay must be in [0, 1), got \(weightDecay)") }
        if let dropout, !(dropout >= 0 && dropout < 1) { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        if let labelSmoothing, !(labelSmoothing >= 0 && labelSmoothing < 1) { throw ValidationError("--label-smoothing must be in [0, 1), got \(labelSmoothing)") }
        if dataset == .edges, let augment, augment != .none {
            throw ValidationError("--augment \(augment.rawValue) distorts 28×28 digits; the edges dataset has 5×5 patches")
        }
        if let architecture = layers?.architecture {
            // A weight and its gradient take 8 bytes per parameter: refuse a network that cannot
            // fit in memory rather than crash allocating it. Counted in Double so it cannot overflow.
            let parameters = architecture.tensorSpecs.reduce(0.0) { $0 + $1.shape.reduce(1.0) { $0 * Double($1) } }
            guard parameters * 8 < Double(ProcessInfo.processInfo.physicalMemory) else {
                throw ValidationError("--layers \(architecture) needs \(String(format: "%.3g", parameters)) parameters, more than this machine's memory holds")
            }
        }
    }

    static func positive(_ name: String, _ value: Int?) throws {
        if let value, value <= 0 { throw ValidationError("\(name) must be positive, got \(value)") }
    }

    static func notNegative(_ name: String, _ value: Int?) throws {
        if let value, value < 0 { throw ValidationError("\(name) must not be negative, got \(value)") }
    }
}
