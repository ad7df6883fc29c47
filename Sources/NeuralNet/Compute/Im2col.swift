// The gather behind a convolution (darknet's im2col_cpu, and col2im for the way back): every
// k×k window of the input becomes one column, so the convolution is one product with the weights.

/// The geometry of a k×k convolution window sliding over a C×H×W input.
struct ConvolutionGeometry {
    let input: ImageShape
    let kernel: Int
    let stride: Int
    let padding: Int
    let outputHeight: Int
    let outputWidth: Int

    init(input: ImageShape, kernel: Int, stride: Int, padding: Int) {
        self.input = input
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        outputHeight = (input.height + 2 * padding - kernel) / stride + 1
        outputWidth = (input.width + 2 * padding - kernel) / stride + 1
    }

    /// Rows of the unfolded patches: C·k·k.
    var patchSize: Int { input.channels * kernel * kernel }
    /// Columns of the unfolded patches: H'·W'.
    var outputPlane: Int { outputHeight * outputWidth }
    /// Whether the patches are the input itself (a 1×1 kernel, stride 1, no padding).
    var unfoldsToInput: Bool { kernel == 1 && stride == 1 && padding == 0 }

    /// The output columns `ox` whose input column `ox·stride − padding + kx` lies inside the image.
    @inline(__always)
    func validColumns(kx: Int) -> Range<Int> {
        let shift = kx - padding
        let first = shift >= 0 ? 0 : (-shift + stride - 1) / stride
        let limit = input.width - 1 - shift
        let end = limit >= 0 ? min(limit / stride + 1, outputWidth) : 0
        return min(first, end)..<end
    }

    // x: C×H×W → cols: (C·k·k) × (H'·W'), cols[(c·k + ky)·k + kx][oy·W' + ox] = x[c][iy][ix]
    // with iy = oy·s − p + ky, ix = ox·s − p + kx, and 0 outside the image.
    /// Unfolds one sample's windows into `cols`.
    func im2col(_ x: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        let (height, width, plane) = (input.height, input.width, input.planeSize)
        var row = cols
        for c in 0..<input.channels {
            let channel = x + c * plane
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let valid = validColumns(kx: kx)
                    for oy in 0..<outputHeight {
                        let target = row + oy * outputWidth
                        let iy = oy * stride - padding + ky
                        guard iy >= 0, iy < height, !valid.isEmpty else {
                            target.update(repeating: 0, count: outputWidth)
                            continue
                        }
                        target.update(repeating: 0, count: valid.lowerBound)
                        let source = channel + iy * width + kx - padding
                        if stride == 1 {
                            (target + valid.lowerBound).update(from: source + valid.lowerBound, count: valid.count)
                        } else {
                            for ox in valid { target[ox] = source[ox * stride] }
                        }
                        (target + valid.upperBound).update(repeating: 0, count: outputWidth - valid.upperBound)
                    }
                    row += outputPlane
                }
            }
        }
    }

    // cols: (C·k·k) × (H'·W') → dx: C×H×W, each column's values added back where im2col took them.
    /// Folds gradients of the unfolded patches back onto one sample's input, overwriting `dx`.
    func col2im(_ cols: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let (height, width, plane) = (input.height, input.width, input.planeSize)
        dx.update(repeating: 0, count: input.count)
        var row = cols
        for c in 0..<input.channels {
            let channel = dx + c * plane
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let valid = validColumns(kx: kx)
                    for oy in 0..<outputHeight {
                        let iy = oy * stride - padding + ky
                        guard iy >= 0, iy < height else { continue }
                        let source = row + oy * outputWidth
                        let target = channel + iy * width + kx - padding
                        if stride == 1 {
                            for ox in valid { target[ox] += source[ox] }
                        } else {
                            for ox in valid { target[ox * stride] += source[ox] }
                        }
                    }
                    row += outputPlane
                }
            }
        }
    }
}
