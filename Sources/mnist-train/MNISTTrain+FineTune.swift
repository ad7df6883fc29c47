// Fine-tuning in mnist-train: --init starts from a trained model (its network and weights), and
// --images-dir teaches a labelled folder of the user's own PNG digits, mixed with MNIST replay.
// Everything that can be wrong with either is refused before the training data loads.

import ArgumentParser
import CLISupport
import Foundation
import MNIST
import NeuralNet

extension MNISTTrain {
    /// The options that only make sense with, or cannot be used with, --init and --images-dir.
    /// - Throws: `ValidationError` saying why.
    func checkFineTuneOptions() throws {
        if let initModel {
            if layers != nil {
                throw ValidationError("--layers cannot be used with --init: a fine-tune keeps the network of \(initModel), whose weights it starts from")
            }
            if dropout != nil {
                throw ValidationError("--dropout cannot be used with --init: it would add layers to the network of \(initModel); a fine-tune keeps that network as it is")
            }
        }
        if initModel != nil || imagesDir != nil {
            let option = initModel != nil ? "--init" : "--images-dir"
            if resume != nil { throw ValidationError("--resume continues a checkpoint's own run and cannot be combined with \(option)") }
            if checkpoint != nil { throw ValidationError("--checkpoint is not available with \(option): a fine-tune is short; run it again instead") }
        }
        if imagesDir == nil {
            if replay != nil { throw ValidationError("--replay sets the mix of --images-dir training; give --images-dir DIR") }
            if passes != nil { throw ValidationError("--passes sets how often --images-dir images are seen; give --images-dir DIR") }
        } else if dataset == .edges {
            throw ValidationError("--images-dir trains on 28×28 digit images; it cannot be used with --dataset edges")
        }
    }

    /// The --init model, loaded onto `pool`, or nil without --init.
    /// - Throws: `RunFailure` naming the file and the problem.
    func initialNetwork(pool: ComputePool) throws -> Network? {
        guard let initModel else { return nil }
        guard FileManager.default.fileExists(atPath: initModel) else {
            throw RunFailure("--init \(initModel): no such file; give a model written by mnist-train")
        }
        do {
            return try Network.load(from: initModel, pool: pool).network
        } catch {
            throw RunFailure("--init \(initModel): \(error)")
        }
    }

    /// The settings of a run with --init or --images-dir: the fine-tuning recipe for the model's
    /// network (or the --recipe preset, whose network must be the model's), then the options.
    /// - Throws: `ValidationError` when the preset would change the model's network.
    func fineTuneSettings(initial: Architecture?) throws -> RunSettings {
        var settings = freshSettings()
        guard let initial else {
            if validation == nil { settings.recipe.validation = 0 }
            return settings
        }
        var recipe: TrainingRecipe
        if let name = self.recipe {
            recipe = TrainingRecipe.presets[name]!
            let presetNetwork = (try? recipe.network()) ?? recipe.layers
            guard presetNetwork == initial || recipe.layers == initial else {
                throw ValidationError("--recipe \(name) trains [\(presetNetwork)] but --init \(initModel!) holds [\(initial)]: a fine-tune keeps the model's network; leave --recipe out for the fine-tuning defaults")
            }
            // The model's network already holds any dropout layers the preset would add.
            recipe.layers = initial
            recipe.dropout = 0
        } else {
            recipe = .fineTuning(initial)
        }
        if imagesDir != nil { recipe.validation = 0 }
        apply(to: &recipe)
        settings.recipe = recipe
        return settings
    }

    /// The --images-dir folder, read and checked, or nil without it. Unreadable images are
    /// listed on standard error and skipped.
    /// - Throws: `RunFailure` for a missing folder, no images at all, an empty class folder, or a
    ///   class with too few images for --validation.
    func loadImageFolder(validationPerClass: Int) throws -> LabelledImageFolder? {
        guard let imagesDir else { return nil }
        let folder: LabelledImageFolder
        do {
            folder = try LabelledImageFolder(directory: imagesDir)
        } catch {
            throw RunFailure("--images-dir \(error)")
        }
        reportUnreadable(folder.failures, consequence: "skipped")
        let counts = folder.dataset.classCounts
        for label in 0..<MNISTDataset.classCount {
            let classFolder = (imagesDir as NSString).appendingPathComponent(String(label))
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: classFolder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            if counts[label] == 0 {
                throw RunFailure("--images-dir: \(classFolder) holds no readable .png image; add some or remove the folder")
            }
            if validationPerClass > 0 && counts[label] <= validationPerClass {
                throw RunFailure("--validation \(validationPerClass) holds out \(validationPerClass) images of each class, and \(classFolder) has only \(counts[label]): nothing would be left to learn from; give a smaller --validation")
            }
        }
        return folder
    }

    /// The mix to train on and the held-out images (nil without --validation), as the library
    /// makes them for every fine-tune.
    func fineTuneData(_ folder: LabelledImageFolder, replay source: Dataset?, settings: RunSettings) -> FineTuningData {
        let mix = ReplayMix(replay: replay ?? ReplayMix.standard.replay, passes: passes ?? ReplayMix.standard.passes)
        return FineTuningData(folder: folder.dataset, heldOutPerClass: settings.recipe.validation, replay: source,
                              mix: mix, seed: settings.seed)
    }

    /// `of which 200 images from DIR, each seen 25 times, and 5000 MNIST training images`.
    func mixText(taught: Dataset, training: Dataset) -> String {
        let passes = self.passes ?? ReplayMix.standard.passes
        return "of which \(taught.count) images from \(imagesDir!), each seen \(passes) times, and \(training.count - taught.count * passes) MNIST training images"
    }

    /// What the model file records of where its training started and what taught it.
    func fineTuneMetadata(_ data: FineTuningData?) -> [String: String] {
        var entries = data.map { $0.metadata(imagesDir: imagesDir!) } ?? [:]
        if let initModel { entries["initialised_from"] = initModel }
        return entries
    }
}
