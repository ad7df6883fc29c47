// Telling ink from paper: the paper's level and noise are read from the image's border, the ink's
// polarity from which side of the paper level the outlying pixels lie on.

/// How ink and paper look in one image, measured from its histogram and its border.
struct InkLevels: Equatable {
    /// The paper's level: the median of the outermost ring of pixels.
    var paper: Int
    /// The paper's noise: 1.4826 × the median absolute deviation of the ring (σ for Gaussian noise).
    var noise: Double
    /// Whether the ink is darker than the paper (pencil on paper) rather than lighter (MNIST itself).
    var inkIsDark: Bool
    /// Ink strengths (distance from the paper level) up to this are paper.
    var floor: Int
    /// The strongest ink strength in the image.
    var peak: Int

    /// Ink must stand this many levels above the paper's noise floor to count as a digit.
    static let minimumContrast = 24

    /// Measures `image`; nil when nothing stands out from the paper.
    init?(measuring image: GrayImage) {
        guard let polarity = Polarity(of: image) else { return nil }
        paper = polarity.paper
        inkIsDark = polarity.inkIsDark
        let histogram = polarity.histogram
        let extreme = inkIsDark ? histogram.firstIndex { $0 > 0 }! : histogram.lastIndex { $0 > 0 }!
        peak = abs(extreme - paper)
        noise = max(polarity.noise, Self.faintNoise(histogram, paper: paper, inkIsDark: inkIsDark, peak: peak))
        floor = Int((4 * noise).rounded(.up))
        guard peak - floor >= Self.minimumContrast, polarity.hasOutliers else { return nil }
    }

    /// The ink strength of every pixel, stretched so that the floor is 0 and the peak 255:
    /// bright ink on a black background, as in MNIST.
    func inkMap(of image: GrayImage) -> GrayImage {
        var table = [UInt8](repeating: 0, count: 256)
        let range = Double(peak - floor)
        for level in 0..<256 {
            let strength = inkIsDark ? paper - level : level - paper
            let stretched = Double(strength - floor) / range * 255
            table[level] = UInt8(min(max(stretched.rounded(), 0), 255))
        }
        return GrayImage(width: image.width, height: image.height, pixels: image.pixels.map { table[Int($0)] })
    }

    /// The noise among the pixels fainter than clear ink (a tenth of the peak strength): their
    /// 90th percentile strength over 1.645, which is σ for Gaussian noise, as the border's MAD
    /// estimate is. A JPEG's ringing sits beside the strokes, not on a clean border, and counted
    /// as ink it stretches the crop; on a clean scan or an MNIST digit the faint pixels are too few
    /// to move the percentile off 0.
    private static func faintNoise(_ histogram: [Int], paper: Int, inkIsDark: Bool, peak: Int) -> Double {
        let clear = max(peak / 10, 1)
        var faint = [Int](repeating: 0, count: clear)
        for (level, count) in histogram.enumerated() {
            let strength = max(0, inkIsDark ? paper - level : level - paper)
            if strength < clear { faint[strength] += count }
        }
        let total = faint.reduce(0, +)
        var seen = 0
        for (strength, count) in faint.enumerated() {
            seen += count
            if 10 * seen >= 9 * total { return Double(strength) / 1.645 }
        }
        return 0
    }

    /// The level at which half the counted pixels are at or below.
    fileprivate static func median(of histogram: [Int]) -> Int {
        let total = histogram.reduce(0, +)
        var seen = 0
        for (level, count) in histogram.enumerated() {
            seen += count
            if 2 * seen >= total { return level }
        }
        return histogram.count - 1
    }
}

/// The paper's level and noise from an image's border, and which side of the paper the ink lies on.
struct Polarity {
    /// The median of the outermost ring of pixels.
    var paper: Int
    /// 1.4826 × the median absolute deviation of the ring.
    var noise: Double
    /// Whether more of the mass lying beyond the noise is below the paper level than above it.
    var inkIsDark: Bool
    /// Whether any pixel lies beyond the noise at all.
    var hasOutliers: Bool
    /// How many pixels of the image have each level.
    var histogram: [Int]

    /// Reads `image`; nil for an empty one.
    init?(of image: GrayImage) {
        guard image.width > 0, image.height > 0 else { return nil }
        var border = [Int](repeating: 0, count: 256)
        forEachBorderPixel(of: image) { border[Int($0)] += 1 }
        paper = InkLevels.median(of: border)
        var deviations = [Int](repeating: 0, count: 256)
        for (level, count) in border.enumerated() { deviations[abs(level - paper)] += count }
        noise = 1.4826 * Double(InkLevels.median(of: deviations))

        histogram = [Int](repeating: 0, count: 256)
        for level in image.pixels { histogram[Int(level)] += 1 }
        // Which side of the paper holds more ink mass beyond the noise.
        let outlier = max(Int((3 * noise).rounded(.up)), 16)
        var darkMass = 0
        var lightMass = 0
        for (level, count) in histogram.enumerated() where count > 0 {
            darkMass += count * max(0, paper - level - outlier)
            lightMass += count * max(0, level - paper - outlier)
        }
        inkIsDark = darkMass > lightMass
        hasOutliers = darkMass + lightMass > 0
    }
}

/// Calls `body` with every pixel of the image's outermost ring once.
private func forEachBorderPixel(of image: GrayImage, _ body: (UInt8) -> Void) {
    let (w, h) = (image.width, image.height)
    for x in 0..<w {
        body(image[x: x, y: 0])
        if h > 1 { body(image[x: x, y: h - 1]) }
    }
    for y in 1..<max(h - 1, 1) {
        body(image[x: 0, y: y])
        if w > 1 { body(image[x: w - 1, y: y]) }
    }
}

