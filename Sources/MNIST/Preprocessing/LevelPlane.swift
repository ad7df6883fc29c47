// Resizing a cropped digit, separably (rows, then columns). Shrinking averages the area each output
// pixel covers, which anti-aliases as MNIST's own normalisation did; enlarging interpolates
// linearly. A side that keeps its length is copied unchanged.

/// A greyscale plane of `Float` levels (0…255) for resampling and centring.
struct LevelPlane {
    var width: Int
    var height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "plane holds \(values.count) values, not \(width)×\(height)")
        self.width = width
        self.height = height
        self.values = values
    }

    init(_ image: GrayImage) {
        self.init(width: image.width, height: image.height, values: image.pixels.map(Float.init))
    }

    /// The plane resampled to `newWidth × newHeight`.
    func resized(width newWidth: Int, height newHeight: Int) -> LevelPlane {
        let across = resamplingWeights(from: width, to: newWidth)
        let down = resamplingWeights(from: height, to: newHeight)
        // Rows first: height × newWidth.
        var wide = [Float](repeating: 0, count: height * newWidth)
        for y in 0..<height {
            for (x, taps) in across.enumerated() {
                wide[y * newWidth + x] = taps.reduce(0) { $0 + $1.weight * values[y * width + $1.index] }
            }
        }
        var result = [Float](repeating: 0, count: newHeight * newWidth)
        for (y, taps) in down.enumerated() {
            for x in 0..<newWidth {
                result[y * newWidth + x] = taps.reduce(0) { $0 + $1.weight * wide[$1.index * newWidth + x] }
            }
        }
        return LevelPlane(width: newWidth, height: newHeight, values: result)
    }
}

/// For each of `outputs` positions along an axis of `inputs` pixels, the input pixels it draws on
/// and their weights (summing to 1).
func resamplingWeights(from inputs: Int, to outputs: Int) -> [[(index: Int, weight: Float)]] {
    precondition(inputs > 0 && outputs > 0, "cannot resample an empty axis")
    let ratio = Double(inputs) / Double(outputs)
    return (0..<outputs).map { output in
        if inputs == outputs { return [(output, 1)] }
        if inputs > outputs {
            // Area average: output pixel covers [start, end) of the input axis.
            let start = Double(output) * ratio
            let end = Double(output + 1) * ratio
            var taps: [(index: Int, weight: Float)] = []
            for index in Int(start)..<min(Int(end.rounded(.up)), inputs) {
                let overlap = min(end, Double(index + 1)) - max(start, Double(index))
                if overlap > 0 { taps.append((index, Float(overlap / ratio))) }
            }
            return taps
        }
        // Linear interpolation between the two nearest input pixel centres.
        let centre = (Double(output) + 0.5) * ratio - 0.5
        let left = Int(centre.rounded(.down))
        let fraction = Float(centre - Double(left))
        let clamp = { (index: Int) in min(max(index, 0), inputs - 1) }
        return [(clamp(left), 1 - fraction), (clamp(left + 1), fraction)]
    }
}
