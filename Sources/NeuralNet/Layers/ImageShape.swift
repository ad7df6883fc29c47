// The shape of one sample between the layers of a convolutional network.

/// Channels × height × width of one sample, stored channel by channel, each row by row (PyTorch's
/// C×H×W order). A flat vector of `n` features is `n × 1 × 1`.
public struct ImageShape: Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    /// A shape of `channels` planes of `height × width`.
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// `n` features with no spatial extent.
    public init(features n: Int) {
        self.init(channels: n, height: 1, width: 1)
    }

    /// Values per sample.
    public var count: Int { channels * height * width }
    /// Values per channel.
    public var planeSize: Int { height * width }
    /// Whether the shape has a spatial extent, so that convolution and pooling apply.
    public var isSpatial: Bool { height > 1 || width > 1 }

    /// `1x28x28`, or `784` for features alone.
    public var description: String {
        isSpatial ? "\(channels)x\(height)x\(width)" : "\(channels)"
    }
}
