// The synthetic 5×5 edge-detection dataset from the original tutorial: a smoke test that any
// working network learns perfectly in seconds.

import NeuralNet

/// 5×5 patches labelled 1 (a vertical dark-to-bright edge) or 0 (no such edge).
///
/// An edge patch is dark (0.1) left of a random column 1–3 and bright (0.9) from it on. A non-edge
/// patch is either flat at a random level in 0.3–0.7, or the reverse: bright left, dark right.
public enum EdgeDataset {
    /// Pixels per patch.
    public static let featureCount = 25
    /// Classes: 0 no edge, 1 edge.
    public static let classCount = 2

    /// `count` patches, alternately edge and non-edge, generated from `seed`.
    public static func make(count: Int, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        var pixels: [Float] = []
        pixels.reserveCapacity(count * featureCount)
        var labels: [Int] = []
        for index in 0..<count {
            let isEdge = index % 2 == 0
            let patch: (Int) -> Float
            if isEdge {
                let boundary = 1 + generator.nextInt(below: 3)
                patch = { column in column < boundary ? 0.1 : 0.9 }
            } else if generator.nextInt(below: 2) == 0 {
                let level = 0.3 + 0.4 * generator.nextUnitFloat()
                patch = { _ in level }
            } else {
                let boundary = 1 + generator.nextInt(below: 3)
                patch = { column in column < boundary ? 0.9 : 0.1 }
            }
            for _ in 0..<5 {
                for column in 0..<5 { pixels.append(patch(column)) }
            }
            labels.append(isEdge ? 1 : 0)
        }
        return Dataset(features: .floats(pixels), labels: labels, featureCount: featureCount, classCount: classCount)
    }
}
