// The rectified linear unit, y = max(x, 0).

/// `y = max(x, 0)` element-wise. Its gradient passes where the output is positive.
public final class ReLU: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public let output: Matrix
    public var inputGradient: Matrix? { inputGradientBuffer }

    private let inputGradientBuffer: Matrix

    /// A ReLU over `size` features.
    public init(size: Int) {
        inputSize = size
        output = Matrix(rows: 0, columns: size)
        inputGradientBuffer = Matrix(rows: 0, columns: size)
    }

    public func prepare(batchSize: Int, parts: Int) {
        output.resize(rows: batchSize)
        inputGradientBuffer.resize(rows: batchSize)
    }

    // x[rows]: (rows × n) → y[rows]: (rows × n)
    public func forward(_ x: Matrix, rows: Range<Int>, part: Int, mode: ForwardMode) {
        let start = rows.lowerBound * inputSize, count = rows.count * inputSize
        let xp = x.pointer() + start, y = output.pointer() + start
        for i in 0..<count {
            y[i] = max(xp[i], 0)
        }
    }

    // dL/dy[rows] → dL/dx[rows], masked by y > 0 from the last forward.
    public func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int) {
        let start = rows.lowerBound * inputSize, count = rows.count * inputSize
        let dyp = dy.pointer() + start, y = output.pointer() + start, dx = inputGradientBuffer.pointer() + start
        for i in 0..<count {
            // A multiply by a 0/1 mask rather than a branch: the compiler vectorises it, and
            // random signs would make a branch mispredict half the time.
            let mask: Float = y[i] > 0 ? 1 : 0
            dx[i] = dyp[i] * mask
        }
    }
}
