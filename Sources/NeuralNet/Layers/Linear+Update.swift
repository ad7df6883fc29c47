// How a Linear layer applies its gradients: plain SGD inside the product that forms the weight
// gradient, any other optimizer through an explicit gradient buffer and the optimizer's state.

extension Linear {
    public func prepareUpdate(using optimizer: Optimizer) {
        optimizerState.begin(optimizer)
    }

    // Part `part` of the update: the weights' input columns `columns`, the biases `outputs`.
    // Split by input columns: each part's product stays wide (out × in/parts), which OpenBLAS
    // runs faster than the same work split by rows.
    public func update(input x: Matrix, outputGradient dz: Matrix, part: Int, of parts: Int) {
        let columns = share(of: inputSize, part: part, parts: parts, granule: 16)
        let state = optimizerState
        if case .sgd(let rate, let decay) = state.optimizer {
            // W[:, cols] ← (1 − ηλ) · W[:, cols] − η · dzᵀ · x[:, cols]: one product whose β is the
            // decay, so the gradient is never written out and read back.
            gemm(.transposed, .normal, m: outputSize, n: columns.count, k: x.rows, alpha: -rate,
                 a: dz.pointer(), lda: outputSize, b: x.pointer() + columns.lowerBound, ldb: inputSize,
                 beta: 1 - rate * decay, c: weight.pointer() + columns.lowerBound, ldc: inputSize)
        } else if !columns.isEmpty, let gradient = state.weightGradient {
            // G[:, cols] = dzᵀ · x[:, cols], then the optimizer row by row over those columns.
            gemm(.transposed, .normal, m: outputSize, n: columns.count, k: x.rows,
                 a: dz.pointer(), lda: outputSize, b: x.pointer() + columns.lowerBound, ldb: inputSize,
                 beta: 0, c: gradient.pointer() + columns.lowerBound, ldc: inputSize)
            for row in 0..<outputSize {
                let offset = row * inputSize + columns.lowerBound
                state.apply(to: weight.pointer() + offset, gradient: gradient.pointer() + offset,
                            count: columns.count, offset: offset)
            }
        }
        // b[outs] ← the optimizer's step with db[outs] = Σ dz[:, outs].
        let outputs = share(of: outputSize, part: part, parts: parts)
        guard hasBias, !outputs.isEmpty else { return }
        let db = biasGradientBuffer.pointer()
        columnSums(of: dz, columns: outputs, into: db)
        let start = outputs.lowerBound
        state.apply(to: bias.pointer() + start, gradient: db + start, count: outputs.count,
                    offset: start, ofBias: true)
    }
}

/// `sums[c] = Σ_rows m[row, c]` for each column `c` in `columns` (`sums` indexed like `m`'s columns).
func columnSums(of m: Matrix, columns: Range<Int>, into sums: UnsafeMutablePointer<Float>) {
    let target = sums + columns.lowerBound
    target.update(repeating: 0, count: columns.count)
    for row in 0..<m.rows {
        let source = m.pointer(row: row) + columns.lowerBound
        for c in 0..<columns.count { target[c] += source[c] }
    }
}
