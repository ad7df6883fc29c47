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
        output.resize(rows: x.rows)
        let xp = x.pointer(), y = output.pointer()
        for i in 0..<x.count {
            y[i] = max(xp[i], 0)
        }
        return output
    }

    // dL/dy: (batch × n) → dL/dx: (batch × n), masked by y > 0 from the last forward.
    public func backward(_ dy: Matrix) -> Matrix? {
        inputGradient.resize(rows: dy.rows)
        let dyp = dy.pointer(), y = output.pointer(), dx = inputGradient.pointer()
        for i in 0..<dy.count {
            // A multiply by a 0/1 mask rather than a branch: the compiler vectorises it, and
            // random signs would make a branch mispredict half the time.
            let mask: Float = y[i] > 0 ? 1 : 0
            dx[i] = dyp[i] * mask
        }
        return inputGradient
    }

    /// ReLU has no parameters.
    public func update(learningRate: Float) {}
}
