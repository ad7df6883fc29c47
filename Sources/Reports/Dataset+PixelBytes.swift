// A sample's features as the bytes of a picture, for the reports' galleries of mistakes.

import NeuralNet

extension Dataset {
    /// The features of sample `index` as bytes 0…255: stored bytes as they are, floats scaled
    /// from 0…1 and clamped.
    func pixelBytes(of index: Int) -> [UInt8] {
        let range = (index * featureCount)..<((index + 1) * featureCount)
        switch features {
        case .bytes(let bytes, _):
            return Array(bytes[range])
        case .floats(let floats):
            return floats[range].map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        }
    }
}
