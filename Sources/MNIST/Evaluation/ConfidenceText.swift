// How a confidence is written for people, the same in mnist-predict's lines and the reports.

import Foundation

/// The written form of a classifier's confidence.
public enum ConfidenceText {
    /// `0.99962` → `"99.9%"`: one decimal, rounded down, so that a confidence below 1 never
    /// reads as 100%.
    public static func percentRoundedDown(_ fraction: Double) -> String {
        String(format: "%.1f%%", (1000 * fraction).rounded(.down) / 10)
    }
}
