// Turning a decoded image upright by its Exif orientation (ExifOrientation.swift).

extension GrayImage {
    /// The image as it is meant to be shown: turned and mirrored as `orientation` says.
    public func oriented(_ orientation: ExifOrientation) -> GrayImage {
        guard orientation != .up else { return self }
        let (shownWidth, shownHeight) = orientation.swapsSides ? (height, width) : (width, height)
        var shown = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<shownHeight {
            for x in 0..<shownWidth {
                // The stored pixel that appears at (x, y) once the image is upright.
                let (sourceX, sourceY): (Int, Int)
                switch orientation {
                case .up: (sourceX, sourceY) = (x, y)
                case .upMirrored: (sourceX, sourceY) = (width - 1 - x, y)
                case .down: (sourceX, sourceY) = (width - 1 - x, height - 1 - y)
                case .downMirrored: (sourceX, sourceY) = (x, height - 1 - y)
                case .leftMirrored: (sourceX, sourceY) = (y, x)
                case .right: (sourceX, sourceY) = (y, height - 1 - x)
                case .rightMirrored: (sourceX, sourceY) = (width - 1 - y, height - 1 - x)
                case .left: (sourceX, sourceY) = (width - 1 - y, x)
                }
                shown[y * shownWidth + x] = pixels[sourceY * width + sourceX]
            }
        }
        return GrayImage(width: shownWidth, height: shownHeight, pixels: shown)
    }
}
