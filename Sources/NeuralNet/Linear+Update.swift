// How a Linear layer applies its gradients: plain SGD inside the product that forms the weight
// gradient, any other optimizer through an explicit gradient buffer and the optimizer's state.

extension Linear {
    /// Sets the optimizer of the coming update (allocating its state on first use) and counts
    /// the step. Runs before the parallel update, on one thread.
    func prepare(optimizer: Optimizer) {
        if optimizer.name != self.optimizer.name || weightState.count != optimizer.stateCount {
            weightState = (0..<optimizer.stateCount).map { _ in Matrix(rows: outputSize, columns: inputSize) }
            biasState = (0..<optimizer.stateCount).map { _ in Matrix(rows: 1, columns: outputSize) }
            gradientBuffer = optimizer.stateCount > 0 ? Matrix(rows: outputSize, columns: inputSize) : nil
            optimizerStep = 0
        }
        self.optimizer = optimizer
        optimizerStep += 1
    }

    // Part `part` of the update: the weights' columns `cols`, the biases `outs`.
    // Split by input columns: each part's product stays wide (out × in/parts), which OpenBLAS
    // runs faster than the same work split by rows. With plain SGD the weight gradient never
    // exists on its own: W ← W − η · dzᵀ · x is one sgemm with β = 1, which saves writing dL/dW
    // out and reading it back.
    func update(part: Int, of parts: Int) {
        let (x, dz) = gradientOperands()
        let columns = share(of: inputSize, part: part, parts: parts, granule: 16)
        if case .sgd(let rate) = optimizer {
            // W[:, cols] ← W[:, cols] − η · dzᵀ · x[:, cols]: the gradient never leaves the product.
            forEachColumnBlock(columns, m: outputSize, k: x.rows) { block in
                gemm(.transposed, .normal, m: outputSize, n: block.count, k: x.rows, alpha: -rate,
                     a: dz.pointer(), lda: outputSize, b: x.pointer() + block.lowerBound, ldb: inputSize,
                     beta: 1, c: weight.pointer() + block.lowerBound, ldc: inputSize)
            }
        } else if !columns.isEmpty, let gradient = gradientBuffer {
            // G[:, cols] = dzᵀ · x[:, cols], then the optimizer row by row over those columns.
            forEachColumnBlock(columns, m: outputSize, k: x.rows) { block in
                gemm(.transposed, .normal, m: outputSize, n: block.count, k: x.rows,
                     a: dz.pointer(), lda: outputSize, b: x.pointer() + block.lowerBound, ldb: inputSize,
                     beta: 0, c: gradient.pointer() + block.lowerBound, ldc: inputSize)
            }
            for row in 0..<outputSize {
                let offset = row * inputSize + columns.lowerBound
                optimizer.apply(
                    to: weight.pointer() + offset, gradient: gradient.pointer() + offset, count: columns.count,
                    first: weightState.first.map { $0.pointer() + offset },
                    second: weightState.count > 1 ? weightState[1].pointer() + offset : nil,
                    step: optimizerStep)
            }
        }
        // b[outs] ← the optimizer's step with db[outs] = Σ dz[:, outs].
        let outputs = share(of: outputSize, part: part, parts: parts)
        guard !outputs.isEmpty else { return }
        let db = biasStep.pointer()
        columnSums(of: dz, columns: outputs, into: db)
        let start = outputs.lowerBound
        optimizer.apply(
            to: bias.pointer() + start, gradient: db + start, count: outputs.count,
            first: biasState.first.map { $0.pointer() + start },
            second: biasState.count > 1 ? biasState[1].pointer() + start : nil,
            step: optimizerStep)
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
