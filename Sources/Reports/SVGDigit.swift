// A grayscale digit image as inline SVG: dark ink on white, one rectangle per horizontal run of
// equal pixels, drawn with crisp edges so the enlarged pixels stay square.

enum SVGDigit {
    /// The image at `scale` screen pixels per image pixel.
    /// - Parameters:
    ///   - pixels: `side × side` bytes, row-major, ink 255.
    ///   - side: width and height.
    ///   - scale: enlargement.
    ///   - label: the accessible description.
    static func svg(pixels: [UInt8], side: Int, scale: Int, label: String) -> String {
        precondition(pixels.count == side * side, "\(pixels.count) pixels for a \(side)×\(side) image")
        let size = side * scale
        var parts = [
            "<svg class=\"digit\" viewBox=\"0 0 \(side) \(side)\" width=\"\(size)\" height=\"\(size)\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">",
            "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#ffffff\"/>",
        ]
        for row in 0..<side {
            var column = 0
            while column < side {
                let value = pixels[row * side + column]
                var end = column + 1
                while end < side && pixels[row * side + end] == value { end += 1 }
                if value > 0 {
                    let gray = 255 - Int(value)
                    let hex = RGBColor(red: Double(gray), green: Double(gray), blue: Double(gray)).hex
                    parts.append("<rect x=\"\(column)\" y=\"\(row)\" width=\"\(end - column)\" height=\"1\" fill=\"\(hex)\"/>")
                }
                column = end
            }
        }
        parts.append("</svg>")
        return parts.joined()
    }
}
