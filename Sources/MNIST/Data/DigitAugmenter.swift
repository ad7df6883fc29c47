// On-the-fly augmentation of MNIST digits for training: each sample, seeded by the loader, gets its
// own stroke-width change, affine map and elastic field, and the result goes straight into the
// minibatch as floats.

import NeuralNet

/// Distorts 28×28 MNIST digits (ink 255 on 0) as `DigitAugmentation` settings say, for the
/// minibatch loader.
///
/// Everything random about a sample comes from its seed, and the augmenter is immutable after
/// creation, so calls from several threads at once are safe and an epoch's samples do not depend
/// on which thread distorted them. Distorting a sample allocates nothing: the elastic fields are
/// precomputed (`ElasticFieldBank`) and the work is two passes over small stack buffers.
public final class DigitAugmenter: SampleAugmentation {
    /// The settings the augmenter was made with.
    public let settings: DigitAugmentation
    /// Smooth displacement fields, scaled by α; empty apart from the zero row unless elastic.
    let fields: ElasticFieldBank

    /// An augmenter for `settings`, whose elastic fields are drawn from `fieldSeed`.
    /// - Throws: `DigitAugmentationError.invalidSetting` if a setting is out of range.
    public init(_ settings: DigitAugmentation, fieldSeed: UInt64 = 0) throws(DigitAugmentationError) {
        try settings.validate()
        self.settings = settings
        let elastic = settings.kind == .elastic && settings.elasticAlpha > 0
        fields = elastic
            ? ElasticFieldBank(alpha: settings.elasticAlpha, sigma: settings.elasticSigma, seed: fieldSeed)
            : ElasticFieldBank.empty
    }

    /// Writes a distorted copy of the 28×28 byte image at `source` into the 784 floats at
    /// `destination`, each level multiplied by `scale`; the distortion is drawn from `seed`.
    public func augment(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, scale: Float, seed: UInt64) {
        apply(distortion(seed: seed), to: source, into: destination, scale: scale)
    }

    /// The distortion that `augment` applies for `seed`: every parameter uniform in its range.
    public func distortion(seed: UInt64) -> DigitDistortion {
        guard settings.kind != .none else { return .identity }
        // Seeding xoshiro through SplitMix64 costs a few nanoseconds, and neighbouring seeds (the
        // loader's consecutive samples) give unrelated streams.
        var random = SeededGenerator(seed: seed)
        let scaleRange = settings.scaleRange
        var distortion = DigitDistortion(
            stroke: settings.maxStrokeChange * random.nextSigned(),
            rotation: settings.maxRotation * random.nextSigned(),
            shear: settings.maxShear * random.nextSigned(),
            scale: scaleRange.lowerBound + (scaleRange.upperBound - scaleRange.lowerBound) * random.nextUnitFloat(),
            aspect: 1 + settings.maxAspectChange * random.nextSigned(),
            shiftX: settings.maxShift * random.nextSigned(),
            shiftY: settings.maxShift * random.nextSigned())
        if fields.hasPlanes {
            distortion.elastic = fields.window(using: &random)
        }
        return distortion
    }

    /// The distorted copy of a 28×28 `image` as an image (levels rounded), for looking at.
    public func augmented(_ image: GrayImage, seed: UInt64) -> GrayImage {
        augmented(image, by: distortion(seed: seed))
    }

    /// `image` under `distortion`, levels rounded.
    public func augmented(_ image: GrayImage, by distortion: DigitDistortion) -> GrayImage {
        precondition(image.width == MNISTDataset.side && image.height == MNISTDataset.side, "DigitAugmenter distorts 28×28 images")
        var levels = [Float](repeating: 0, count: MNISTDataset.side * MNISTDataset.side)
        image.pixels.withUnsafeBufferPointer { source in
            levels.withUnsafeMutableBufferPointer { destination in
                apply(distortion, to: source.baseAddress!, into: destination.baseAddress!, scale: 1)
            }
        }
        return GrayImage(width: MNISTDataset.side, height: MNISTDataset.side, pixels: levels.map { UInt8(min(max($0, 0), 255).rounded()) })
    }
}

extension SeededGenerator {
    /// Uniform in [−1, 1).
    fileprivate mutating func nextSigned() -> Float {
        2 * nextUnitFloat() - 1
    }
}
