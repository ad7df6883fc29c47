// A small copy of an image for galleries: each thumbnail pixel the mean of the pixels it covers.

extension GrayImage {
    /// The image scaled down so that neither side exceeds `side` (aspect kept), by box averaging;
    /// an image that already fits is returned as it is.
    public func thumbnail(fitting side: Int) -> GrayImage {
        precondition(side > 0, "a thumbnail needs a positive size")
        guard width > side || height > side else { return self }
        let scale = Double(max(width, height)) / Double(side)
        let newWidth = max(1, Int((Double(width) / scale).rounded()))
        let newHeight = max(1, Int((Double(height) / scale).rounded()))
        var result = GrayImage(width: newWidth, height: newHeight, filledWith: 0)
        for y in 0..<newHeight {
            let rows = (y * height / newHeight)..<max(y * height / newHeight + 1, (y + 1) * height / newHeight)
            for x in 0..<newWidth {
                let columns = (x * width / newWidth)..<max(x * width / newWidth + 1, (x + 1) * width / newWidth)
                var sum = 0
                for row in rows { for column in columns { sum += Int(pixels[row * width + column]) } }
                result[x: x, y: y] = UInt8(sum / (rows.count * columns.count))
            }
        }
        return result
    }
}
