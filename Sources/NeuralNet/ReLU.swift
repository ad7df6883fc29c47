// The rectified linear unit, y = max(x, 0).

/// `y = max(x, 0)` element-wise. Its gradient passes where the output is positive.
public final class ReLU: Layer {
    public let inputSize: Int
    public var outputSize: Int { inputSize }

    private let output: Matrix
    private let inputGradient: Matrix

    /// A ReLU over `size` features.
    public init(size: Int) {
        inputSize = size
        output = Matrix(rows: 0, columns: size)
        inputGradient = Matrix(rows: 0, columns: size)
    }

    // x: (batch × n) → y: (batch × n)
    public func forward(_ x: Matrix) -> Matrix {
        prepare(batchSize: x.rows)
        forward(x, rows: 0..<x.rows)
        return output
    }

    // dL/dy: (batch × n) → dL/dx: (batch × n), masked by y > 0 from the last forward.
    public func backward(_ dy: Matrix) -> Matrix? {
        backward(dy, rows: 0..<dy.rows)
        return inputGradient
    }

    /// ReLU has no parameters.
    public func update(learningRate: Float) {}
}

extension ReLU: RowParallelLayer {
    var outputBuffer: Matrix { output }
    var inputGradientBuffer: Matrix? { inputGradient }

    func prepare(batchSize: Int) {
        output.resize(rows: batchSize)
        inputGradient.resize(rows: batchSize)
    }

    func forward(_ x: Matrix, rows: Range<Int>) {
        let start = rows.lowerBound * inputSize, count = rows.count * inputSize
        let xp = x.pointer() + start, y = output.pointer() + start
        for i in 0..<count {
            y[i] = max(xp[i], 0)
        }
    }

    func backward(_ dy: Matrix, rows: Range<Int>) {
        let start = rows.lowerBound * inputSize, count = rows.count * inputSize
        let dyp = dy.pointer() + start, y = output.pointer() + start, dx = inputGradient.pointer() + start
        for i in 0..<count {
            // A multiply by a 0/1 mask rather than a branch: the compiler vectorises it, and
            // random signs would make a branch mispredict half the time.
            let mask: Float = y[i] > 0 ? 1 : 0
            dx[i] = dyp[i] * mask
        }
    }
}
