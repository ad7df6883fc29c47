// Colours for the heat map's shades, mixed in sRGB.

import Foundation

/// An sRGB colour, for mixing the shades of heat maps.
struct RGBColor: Equatable {
    var red: Double
    var green: Double
    var blue: Double

    static let white = RGBColor(red: 255, green: 255, blue: 255)

    /// The colour a fraction `t` (0…1) of the way from `self` to `other`.
    func mixed(with other: RGBColor, _ t: Double) -> RGBColor {
        let t = min(max(t, 0), 1)
        return RGBColor(
            red: red + (other.red - red) * t, green: green + (other.green - green) * t,
            blue: blue + (other.blue - blue) * t)
    }

    /// Perceived brightness, 0 (black) to 1 (white), to choose a readable text colour on top.
    var luminance: Double { (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255 }

    /// `#rrggbb`.
    var hex: String {
        String(format: "#%02x%02x%02x", Int(red.rounded()), Int(green.rounded()), Int(blue.rounded()))
    }
}
