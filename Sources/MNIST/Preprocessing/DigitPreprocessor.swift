// The MNIST recipe applied to any greyscale image of one digit:
//   0. flatten the paper: an unevenly lit page brought to one paper level;
//   1. measure paper and ink: the paper level and noise from the border, the ink's polarity;
//   2. remove the background: ink strength above the noise floor, stretched to 0…255, ink bright;
//   3. crop to the ink's bounding box; a digit that will be shrunk first loses its faintest ink
//      (a JPEG's ringing; GrayImage+FaintInk.swift);
//   4. thicken thin strokes that shrinking would make faint (GrayImage+Stroke.swift);
//   5. resize, aspect preserved and anti-aliased, so the longer side is 20 pixels;
//   6. place in a 28×28 field with the centre of mass on the centre pixel.
// An image already in MNIST form (28×28, white ink on black, 20-pixel box, centred) passes
// through unchanged but for a contrast stretch when its brightest pixel is below 255.

/// Turns a decoded image of one digit into the 28×28 input an MNIST model expects.
public struct DigitPreprocessor: Sendable {
    /// Side of the output field (MNIST: 28).
    public var fieldSide: Int
    /// Length of the digit's longer side after resizing (MNIST: 20).
    public var boxSide: Int
    /// Strokes of a digit that is shrunk are thickened to at least this width in output pixels
    /// (0: never); MNIST's strokes are 1.6 to 3.3 pixels wide (5th to 90th percentile).
    public var minimumStrokeWidth: Double
    /// Ink fainter than this fraction of full ink is removed from a digit whose clear ink is larger
    /// than the box, before it is cropped (0: never): a JPEG's ringing, which would widen the crop.
    /// Chosen on training digits 55,000–59,999, never on the test set (docs/preprocessing.md).
    public var faintInkFraction: Double

    /// A preprocessor with MNIST's sizes: a 20-pixel digit in a 28-pixel field.
    public init(
        fieldSide: Int = MNISTDataset.side, boxSide: Int = 20, minimumStrokeWidth: Double = 2,
        faintInkFraction: Double = DigitPreprocessor.defaultFaintInkFraction
    ) {
        precondition(boxSide > 0 && fieldSide >= boxSide, "the box must fit in the field")
        precondition(minimumStrokeWidth >= 0 && minimumStrokeWidth < Double(boxSide), "strokes must be narrower than the box")
        precondition(faintInkFraction >= 0 && faintInkFraction < 0.1, "faint ink must be fainter than clear ink (a tenth)")
        self.fieldSide = fieldSide
        self.boxSide = boxSide
        self.minimumStrokeWidth = minimumStrokeWidth
        self.faintInkFraction = faintInkFraction
    }

    /// The fraction of full ink below which a shrunk digit's faint ink is dropped: 9%, above the
    /// ringing of a quality-90 JPEG (at most 7.5% of full ink more than a pixel from a stroke).
    public static let defaultFaintInkFraction = 0.09

    /// The digit in MNIST form: `fieldSide × fieldSide`, ink 255 on a background of 0.
    /// - Parameters:
    ///   - image: a decoded image, light or dark ink, any size.
    ///   - path: only labels errors.
    /// - Throws: `PreprocessError.noInk` when nothing stands out from the paper.
    public func preprocess(_ image: GrayImage, path: String) throws(PreprocessError) -> GrayImage {
        guard let flat = image.flattenedBackground() else { throw .noInk(path: path) }
        guard let levels = InkLevels(measuring: flat) else { throw .noInk(path: path) }
        var ink = levels.inkMap(of: flat)
        guard let clear = ink.clearInkBounds(ignoringSpecks: levels.noise > 0) else { throw .noInk(path: path) }
        if max(clear.columns.count, clear.rows.count) > boxSide {
            // The cut stays below clear ink (a tenth of the peak, which the ink map sets to 255),
            // so the clear box found above is still the clear box.
            ink = ink.withoutInk(below: UInt8((faintInkFraction * 255).rounded()))
        }
        let bounds = ink.inkBounds(widening: clear)
        let crop = ink.cropped(columns: bounds.columns, rows: bounds.rows)
        let digit = LevelPlane(crop.withStrokes(atLeast: minimumStrokeWidth, afterShrinkingTo: boxSide))

        let scale = Double(boxSide) / Double(max(digit.width, digit.height))
        let width = max(1, Int((Double(digit.width) * scale).rounded()))
        let height = max(1, Int((Double(digit.height) * scale).rounded()))
        return digit.resized(width: width, height: height).centred(inField: fieldSide)
    }

    /// Checks that an image is already `fieldSide × fieldSide` and returns it as it is, for input
    /// that is MNIST-formatted (white ink on black) and must not be preprocessed.
    /// - Throws: `PreprocessError.notMNISTSize` for any other size.
    public func raw(_ image: GrayImage, path: String) throws(PreprocessError) -> GrayImage {
        guard image.width == fieldSide, image.height == fieldSide else {
            throw .notMNISTSize(path: path, width: image.width, height: image.height, side: fieldSide)
        }
        return image
    }
}
