// What a fine-tune on a labelled folder learns from and is scored on: the folder's images less a
// few held out per class, each seen `passes` times and shuffled with MNIST replay. mnist-train
// --init --images-dir and mnist-serve's "Learn from my digits" both build their runs from it.

import NeuralNet

/// The training set and the held-out images of a fine-tune on a person's digits.
public struct FineTuningData: Sendable {
    /// The mix to train on: `taught`, `mix.passes` times, with MNIST replay.
    public let training: Dataset
    /// The folder's images that are learnt from.
    public let taught: Dataset
    /// The folder's images held out for scoring (nil when none are).
    public let heldOut: Dataset?
    /// How the mix was made.
    public let mix: ReplayMix

    /// Splits `folder` into taught and held-out images and mixes the taught ones with `replay`.
    /// - Parameters:
    ///   - folder: the person's images, as `LabelledImageFolder` reads them.
    ///   - heldOutPerClass: images of every class held out for scoring (0: none).
    ///   - replay: MNIST training images to mix in (nil: none).
    ///   - seed: decides the hold-out and the replay drawn; the run's seed.
    public init(folder: Dataset, heldOutPerClass: Int, replay: Dataset?, mix: ReplayMix = .standard, seed: UInt64) {
        if heldOutPerClass > 0 {
            let split = folder.holdingOut(perClass: heldOutPerClass, seed: seed)
            (taught, heldOut) = (split.rest, split.heldOut)
        } else {
            (taught, heldOut) = (folder, nil)
        }
        self.mix = mix
        training = mix.dataset(user: taught, replay: replay, seed: mixSeed(seed, 19))
    }

    /// The trainer of a fine-tune of `network` with `recipe` (usually `.fineTuning`), validating
    /// on the held-out images and testing on `test`.
    /// - Throws: `DigitAugmentationError` if the recipe's augmentation cannot be set up.
    public func trainer(network: Network, recipe: TrainingRecipe, test: Dataset, seed: UInt64) throws(DigitAugmentationError) -> Trainer {
        Trainer(network: network, training: training, validation: heldOut, test: test,
                options: try recipe.trainingOptions(seed: seed))
    }

    /// What a fine-tuned model's file records of the folder: `images_dir`, `images_count`,
    /// `images_validation` (with held-out images), `replay` and `passes`.
    public func metadata(imagesDir: String) -> [String: String] {
        var entries = [
            "images_dir": imagesDir,
            "images_count": String(taught.count),
            "replay": String(mix.replay),
            "passes": String(mix.passes),
        ]
        if let heldOut { entries["images_validation"] = String(heldOut.count) }
        return entries
    }
}
