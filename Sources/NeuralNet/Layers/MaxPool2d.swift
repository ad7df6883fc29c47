// Max pooling, PyTorch's nn.MaxPool2d(size) with the stride equal to the size: each output pixel
// is the largest of a size×size window; the gradient goes back to that one input pixel.

/// Max pooling over non-overlapping `size × size` windows of each channel; rows and columns
/// that do not fill a window are dropped, as in PyTorch.
///
/// Ties go to the first maximum in the window, scanning its rows top to bottom and each row
/// left to right (PyTorch's CPU kernel picks the same one), so the gradient of a flat window goes
/// to its top-left pixel.
public final class MaxPool2d: Layer {
    public let inputShape: ImageShape
    public let outputShape: ImageShape
    /// The side of the window, and the stride.
    public let size: Int
    public let output: Matrix
    public var inputGradient: Matrix? { inputGradientBuffer }
    public var inputSize: Int { inputShape.count }
    public var outputSize: Int { outputShape.count }

    private let inputGradientBuffer: Matrix
    /// For each output value of the last forward, the offset of its maximum within the sample.
    private var winners: UnsafeMutablePointer<Int32>
    private var winnerCapacity = 0

    /// Pooling of `input` samples over `size × size` windows.
    public init(input: ImageShape, size: Int = 2) {
        precondition(size > 0 && input.height >= size && input.width >= size, "the window does not fit the input")
        inputShape = input
        self.size = size
        outputShape = ImageShape(channels: input.channels, height: input.height / size, width: input.width / size)
        output = Matrix(rows: 0, columns: outputShape.count)
        inputGradientBuffer = Matrix(rows: 0, columns: input.count)
        winners = .allocate(capacity: 1)
    }

    deinit {
        winners.deallocate()
    }

    public func prepare(batchSize: Int, parts: Int) {
        output.resize(rows: batchSize)
        inputGradientBuffer.resize(rows: batchSize)
        if batchSize * outputSize > winnerCapacity {
            winners.deallocate()
            winnerCapacity = batchSize * outputSize
            winners = .allocate(capacity: winnerCapacity)
        }
    }

    // x[rows]: rows × (C·H·W) → y[rows]: rows × (C·H/s·W/s), remembering where each maximum was
    public func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {
        let (width, outHeight, outWidth) = (inputShape.width, outputShape.height, outputShape.width)
        for row in rows {
            let source = UnsafePointer(x.pointer(row: row)), target = output.pointer(row: row)
            let winner = winners + row * outputSize
            var out = 0
            for c in 0..<inputShape.channels {
                let channel = c * inputShape.planeSize
                for oy in 0..<outHeight {
                    for ox in 0..<outWidth {
                        let corner = channel + oy * size * width + ox * size
                        let best = size == 2 ? pairMaximum(source, corner: corner, width: width)
                                             : windowMaximum(source, corner: corner, width: width)
                        target[out] = source[best]
                        winner[out] = Int32(best)
                        out += 1
                    }
                }
            }
        }
    }

    /// The offset of the first maximum of the window whose top-left value is `corner`.
    @inline(__always)
    private func windowMaximum(_ source: UnsafePointer<Float>, corner: Int, width: Int) -> Int {
        var best = corner
        for dy in 0..<size {
            let line = corner + dy * width
            for dx in 0..<size where source[line + dx] > source[best] { best = line + dx }
        }
        return best
    }

    /// `windowMaximum` for a 2×2 window (every network the grammar's `MP2` builds): the four
    /// values compared in the same order, without the loops.
    @inline(__always)
    private func pairMaximum(_ source: UnsafePointer<Float>, corner: Int, width: Int) -> Int {
        var best = corner
        if source[corner + 1] > source[best] { best = corner + 1 }
        if source[corner + width] > source[best] { best = corner + width }
        if source[corner + width + 1] > source[best] { best = corner + width + 1 }
        return best
    }

    // dL/dy[rows] → dL/dx[rows]: each output's gradient to its window's maximum, zero elsewhere
    public func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        for row in rows {
            let gradient = dy.pointer(row: row), dx = inputGradientBuffer.pointer(row: row)
            let winner = winners + row * outputSize
            dx.update(repeating: 0, count: inputSize)
            for out in 0..<outputSize { dx[Int(winner[out])] += gradient[out] }
        }
    }
}
