// How a convolution applies its gradients: the parts' slots added up in part order (so the sum is
// the same bits however the parts were scheduled), then the optimizer, each part over its own
// share of the weights.

extension Conv2d {
    public func prepareUpdate(using optimizer: Optimizer) {
        optimizerState.begin(optimizer)
    }

    public func update(input x: Matrix, outputGradient: Matrix, part: Int, of parts: Int) {
        let state = optimizerState
        if usesWinograd, let winograd {
            // Whole filters: each leaves the Winograd domain in one piece.
            let filters = share(of: winograd.pairs, part: part, parts: parts)
            let taps = kernel * kernel
            let weights = filters.lowerBound * taps..<filters.upperBound * taps
            if !weights.isEmpty {
                winograd.filterGradient(pairs: filters, partCount: partCount, part: part, into: weightGradient.pointer())
                state.apply(to: weight.pointer() + weights.lowerBound, gradient: weightGradient.pointer() + weights.lowerBound,
                            count: weights.count, offset: weights.lowerBound)
            }
        } else {
            applyWeightUpdate(state, part: part, of: parts)
        }
        let biases = share(of: bias.count, part: part, parts: parts)
        guard hasBias, !biases.isEmpty else { return }
        sumSlots(biasGradientSlots, range: biases, into: biasGradient)
        state.apply(to: bias.pointer() + biases.lowerBound, gradient: biasGradient.pointer() + biases.lowerBound,
                    count: biases.count, offset: biases.lowerBound, ofBias: true)
    }

    /// The unfolded path's weight update: the slots of dL/dW added up, then the optimizer.
    private func applyWeightUpdate(_ state: OptimizerState, part: Int, of parts: Int) {
        let weights = share(of: weight.count, part: part, parts: parts, granule: 16)
        if !weights.isEmpty {
            sumSlots(weightGradientSlots, range: weights, into: weightGradient)
            state.apply(to: weight.pointer() + weights.lowerBound, gradient: weightGradient.pointer() + weights.lowerBound,
                        count: weights.count, offset: weights.lowerBound)
        }
    }

    /// `total[range] = Σ_part slots[part][range]`, over the parts of the last backward, in order.
    private func sumSlots(_ slots: [Matrix], range: Range<Int>, into total: Matrix) {
        let target = total.pointer() + range.lowerBound
        target.update(from: slots[0].pointer() + range.lowerBound, count: range.count)
        for part in 1..<max(partCount, 1) {
            let source = slots[part].pointer() + range.lowerBound
            for i in 0..<range.count { target[i] += source[i] }
        }
    }
}
