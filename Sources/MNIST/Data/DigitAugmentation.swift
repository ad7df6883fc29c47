// The settings of on-the-fly digit augmentation: which distortions, and how strong. A value type,
// so a training run can record it in its model's metadata and compare it with another run's.

/// How strongly `DigitAugmenter` distorts each training digit.
///
/// Every sample gets its own random draw of each distortion, uniform within the ranges given here:
/// a stroke-width change (thicker or thinner pen), an affine map (shift, rotation, scale, aspect,
/// shear = slant) and, for `.elastic`, a smooth random displacement field (Simard et al. 2003).
/// These are the ways other writers' digits differ from MNIST's, which is why they carry over.
public struct DigitAugmentation: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Which distortions are applied.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The plain image: no distortion at all, whatever the other settings say.
        case none
        /// Stroke width and the affine map.
        case affine
        /// Stroke width, the affine map and an elastic displacement field.
        case elastic
    }

    /// Which distortions are applied.
    public var kind: Kind
    /// Largest shift in pixels, horizontally and vertically (each drawn in `-maxShift...maxShift`).
    public var maxShift: Float
    /// Largest rotation in degrees, either way.
    public var maxRotation: Float
    /// The range the digit's size is multiplied by (1 keeps it).
    public var scaleRange: ClosedRange<Float>
    /// Largest relative change of width against height: the width is multiplied by a factor in
    /// `1 - maxAspectChange ... 1 + maxAspectChange` on top of the scale.
    public var maxAspectChange: Float
    /// Largest horizontal shear (slant), as horizontal pixels per pixel of height, either way.
    public var maxShear: Float
    /// Largest stroke-width change, in `0...1`: each sample's pen is thickened (grey-level
    /// dilation by a pixel and its four neighbours) or thinned (erosion by the same cross) and
    /// blended with the original by up to this fraction.
    public var maxStrokeChange: Float
    /// Scale of the elastic displacement field, in pixels (Simard's α).
    public var elasticAlpha: Float
    /// Standard deviation in pixels of the Gaussian that smooths the field (Simard's σ).
    public var elasticSigma: Float

    /// Settings from their parts; each default is the one the built-in presets use.
    ///
    /// The defaults were chosen by looking at distorted test digits (docs/augmentation.png): they
    /// stay readable and look like other people's writing. σ is 5 rather than Simard's 4 because
    /// at 4 (with α 34) loops turn into triangles and squares; at 5 the field bends whole strokes.
    public init(
        kind: Kind = .elastic,
        maxShift: Float = 2,
        maxRotation: Float = 12,
        scaleRange: ClosedRange<Float> = 0.9...1.1,
        maxAspectChange: Float = 0.1,
        maxShear: Float = 0.15,
        maxStrokeChange: Float = 0.5,
        elasticAlpha: Float = 34,
        elasticSigma: Float = 5
    ) {
        self.kind = kind
        self.maxShift = maxShift
        self.maxRotation = maxRotation
        self.scaleRange = scaleRange
        self.maxAspectChange = maxAspectChange
        self.maxShear = maxShear
        self.maxStrokeChange = maxStrokeChange
        self.elasticAlpha = elasticAlpha
        self.elasticSigma = elasticSigma
    }

    /// No augmentation.
    public static let none = DigitAugmentation(kind: .none)
    /// Stroke width and the affine map at the default strengths.
    public static let affine = DigitAugmentation(kind: .affine)
    /// Stroke width, the affine map and the elastic field at the default strengths.
    public static let elastic = DigitAugmentation(kind: .elastic)

    /// The settings as one line for model metadata, e.g.
    /// `affine(shift=2,rotation=12,scale=0.9-1.1,aspect=0.1,shear=0.15,stroke=0.5)`;
    /// `elastic(…)` adds `alpha` and `sigma`. Settings that `kind` does not use are left out.
    public var description: String {
        guard kind != .none else { return "none" }
        var parts = [
            "shift=\(compact(maxShift))",
            "rotation=\(compact(maxRotation))",
            "scale=\(compact(scaleRange.lowerBound))-\(compact(scaleRange.upperBound))",
            "aspect=\(compact(maxAspectChange))",
            "shear=\(compact(maxShear))",
            "stroke=\(compact(maxStrokeChange))",
        ]
        if kind == .elastic {
            parts += ["alpha=\(compact(elasticAlpha))", "sigma=\(compact(elasticSigma))"]
        }
        return "\(kind.rawValue)(\(parts.joined(separator: ",")))"
    }

    /// Checks that every setting is usable.
    /// - Throws: `DigitAugmentationError.invalidSetting` naming the first one that is not.
    public func validate() throws(DigitAugmentationError) {
        let checks: [(name: String, value: Float, valid: Bool, requirement: String)] = [
            ("shift", maxShift, maxShift >= 0, "at least 0 pixels"),
            ("rotation", maxRotation, maxRotation >= 0 && maxRotation <= 180, "between 0 and 180 degrees"),
            ("scale", scaleRange.lowerBound, scaleRange.lowerBound > 0, "a range of positive factors"),
            ("scale", scaleRange.upperBound, scaleRange.upperBound.isFinite, "a range of positive factors"),
            ("aspect", maxAspectChange, maxAspectChange >= 0 && maxAspectChange < 1, "at least 0 and below 1"),
            ("shear", maxShear, maxShear >= 0, "at least 0"),
            ("stroke", maxStrokeChange, maxStrokeChange >= 0 && maxStrokeChange <= 1, "between 0 and 1"),
            ("alpha", elasticAlpha, elasticAlpha >= 0, "at least 0 pixels"),
            ("sigma", elasticSigma, elasticSigma >= 0 && elasticSigma <= 64, "between 0 and 64 pixels"),
        ]
        // NaN fails every comparison above; infinity is caught here.
        for check in checks where !check.valid || !check.value.isFinite {
            throw .invalidSetting(name: check.name, value: check.value, requirement: check.requirement)
        }
    }
}

/// `value` without a trailing `.0`: "34" rather than "34.0", "0.15" as it is.
private func compact(_ value: Float) -> String {
    let text = value.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}

/// A `DigitAugmentation` setting that cannot be used.
public enum DigitAugmentationError: Error, Equatable, CustomStringConvertible {
    /// Setting `name` has `value`, which is not `requirement`.
    case invalidSetting(name: String, value: Float, requirement: String)

    public var description: String {
        switch self {
        case .invalidSetting(let name, let value, let requirement):
            return "augmentation setting \(name) is \(value); it must be \(requirement)"
        }
    }
}
