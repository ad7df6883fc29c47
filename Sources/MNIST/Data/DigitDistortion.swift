// One sample's draw of distortions: what `DigitAugmenter` picks from a seed and then applies.
// Kept apart from the drawing so that a test (or a picture) can apply an exact distortion.

/// The distortions applied to one digit: a stroke-width change, then an affine map about the
/// image centre, then (optionally) an elastic displacement field.
public struct DigitDistortion: Sendable, Equatable {
    /// Stroke-width change in `-1...1`: above 0 the image is blended this far towards its
    /// grey-level dilation by a cross (each pixel and its four neighbours: thicker strokes),
    /// below 0 that far towards its erosion by the cross (thinner).
    public var stroke: Float
    /// Rotation in degrees (clockwise on screen, where y runs down).
    public var rotation: Float
    /// Horizontal shear: a point moves right by `shear` pixels per pixel it lies below the centre.
    public var shear: Float
    /// Factor the digit's size is multiplied by.
    public var scale: Float
    /// Further factor for the width alone.
    public var aspect: Float
    /// Shift in pixels, right.
    public var shiftX: Float
    /// Shift in pixels, down.
    public var shiftY: Float
    /// Which windows of the augmenter's field bank displace the sample, if any.
    var elastic: ElasticWindow?

    /// A distortion from its parts; the defaults leave the image as it is.
    public init(stroke: Float = 0, rotation: Float = 0, shear: Float = 0, scale: Float = 1, aspect: Float = 1, shiftX: Float = 0, shiftY: Float = 0) {
        self.stroke = stroke
        self.rotation = rotation
        self.shear = shear
        self.scale = scale
        self.aspect = aspect
        self.shiftX = shiftX
        self.shiftY = shiftY
        elastic = nil
    }

    /// No distortion.
    public static let identity = DigitDistortion()

    /// Whether the distortion includes an elastic displacement field.
    public var isElastic: Bool { elastic != nil }
}

/// Two windows of an `ElasticFieldBank`, one for each displacement component.
struct ElasticWindow: Sendable, Equatable {
    /// Index in the bank's values of the horizontal displacement of the window's top-left pixel.
    var originX: Int
    /// The same for the vertical displacement (in another plane).
    var originY: Int
    /// 1 or −1: the bank's fields are symmetric, so a flipped sign is another valid field.
    var signX: Float
    var signY: Float
}
