// An 8-bit greyscale raster: what PNG decoding produces and what preprocessing consumes and returns.

/// An 8-bit greyscale image, row-major, top row first.
///
/// What the levels mean depends on the stage: a decoded PNG is 0 black … 255 white (paper is
/// usually light); a preprocessed digit is in MNIST's convention, ink 255 on a background of 0.
public struct GrayImage: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `width * height` levels, row after row.
    public var pixels: [UInt8]

    /// An image from its levels, row after row; `pixels` must hold `width * height` of them.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "image dimensions must not be negative")
        precondition(pixels.count == width * height, "expected \(width * height) pixels, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A `width × height` image filled with `level`.
    public init(width: Int, height: Int, filledWith level: UInt8) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: level, count: width * height))
    }

    /// The level at column `x`, row `y`.
    public subscript(x x: Int, y y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// The same image with every level `l` replaced by `255 - l`.
    public func inverted() -> GrayImage {
        GrayImage(width: width, height: height, pixels: pixels.map { 255 - $0 })
    }

    /// The levels scaled to 0…1 (divided by 255), as a network input row.
    public var normalizedPixels: [Float] {
        pixels.map { Float($0) / 255 }
    }
}
