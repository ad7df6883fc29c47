// PyTorch's nn.Flatten between the convolutional and the dense part of a network. Samples are
// already stored flat (C×H×W in one row), so it only copies; it is a layer so that the network's
// layers line up one for one with the modules of the nn.Sequential it is saved as.

/// The identity from C×H×W samples to their `C·H·W` features.
public final class Flatten: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public let output: Matrix
    public var inputGradient: Matrix? { inputGradientBuffer }
    private let inputGradientBuffer: Matrix

    /// Flattens samples of `size` values.
    public init(size: Int) {
        inputSize = size
        output = Matrix(rows: 0, columns: size)
        inputGradientBuffer = Matrix(rows: 0, columns: size)
    }

    public func prepare(batchSize: Int, parts: Int) {
        output.resize(rows: batchSize)
        inputGradientBuffer.resize(rows: batchSize)
    }

    // x[rows] → y[rows] = x[rows]
    public func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {
        guard !rows.isEmpty else { return }
        output.pointer(row: rows.lowerBound).update(from: x.pointer(row: rows.lowerBound), count: rows.count * inputSize)
    }

    // dL/dy[rows] → dL/dx[rows] = dL/dy[rows]
    public func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        guard !rows.isEmpty else { return }
        inputGradientBuffer.pointer(row: rows.lowerBound)
            .update(from: dy.pointer(row: rows.lowerBound), count: rows.count * inputSize)
    }
}
