// Placing a resized digit in the output field so that its centre of mass lands on the field's
// centre pixel, as MNIST did. The shift is a whole number of pixels, so an image already in MNIST
// form is not resampled again.

extension LevelPlane {
    /// The intensity-weighted mean column and row, in pixel indices; nil for an all-zero plane.
    var centreOfMass: (x: Double, y: Double)? {
        var total = 0.0, sumX = 0.0, sumY = 0.0
        for y in 0..<height {
            for x in 0..<width {
                let value = Double(values[y * width + x])
                total += value
                sumX += value * Double(x)
                sumY += value * Double(y)
            }
        }
        guard total > 0 else { return nil }
        return (sumX / total, sumY / total)
    }

    /// A `side × side` image holding this plane, shifted so its centre of mass rounds to pixel
    /// `side / 2` (14 of 28, where MNIST puts it); what falls outside the field is cut off.
    func centred(inField side: Int) -> GrayImage {
        let centre = centreOfMass ?? (Double(width - 1) / 2, Double(height - 1) / 2)
        let offsetX = side / 2 - Int(centre.x.rounded())
        let offsetY = side / 2 - Int(centre.y.rounded())
        var field = GrayImage(width: side, height: side, filledWith: 0)
        for y in 0..<height where (0..<side).contains(y + offsetY) {
            for x in 0..<width where (0..<side).contains(x + offsetX) {
                let level = min(max(values[y * width + x].rounded(), 0), 255)
                field[x: x + offsetX, y: y + offsetY] = UInt8(level)
            }
        }
        return field
    }
}
