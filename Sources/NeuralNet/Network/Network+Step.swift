// One step of a network, split across the pool's threads.
//
// A step is two parallel regions. In the first, each thread pushes its own rows of the minibatch
// forward through every layer, through the loss, and back again: rows are independent until the
// weight gradients, so no thread reads what another wrote. In the second the threads split each
// layer's update by parameters. Compared with splitting each product on its own, that is two
// hand-offs per step instead of a dozen.

extension Network {
    /// The work of one parallel region, run part by part by the network's pool.
    final class Step: ParallelTask {
        /// What a region computes; each is a plain list of the phases below.
        enum Region {
            /// forward rows, then softmax rows.
            case predict
            /// forward rows, then loss rows.
            case evaluate
            /// forward rows, loss rows, backward rows.
            case train
            /// backward rows alone, after an `evaluate` of the same batch.
            case backward
            /// update columns.
            case update
        }

        private let layers: [any Layer]
        private let loss: SoftmaxCrossEntropy
        private let pool: ComputePool
        /// Multiply-adds per sample: how much a region's work is worth splitting.
        private let workPerSample: Int
        private var region = Region.predict
        private var input = Matrix(rows: 0, columns: 0)
        private var mode = ForwardMode.inference
        /// Each part's loss sum and correct count, added up in part order so results are reproducible.
        private let partLoss: UnsafeMutableBufferPointer<Double>
        private let partCorrect: UnsafeMutableBufferPointer<Int>

        init(layers: [any Layer], loss: SoftmaxCrossEntropy, pool: ComputePool, workPerSample: Int) {
            self.layers = layers
            self.loss = loss
            self.pool = pool
            self.workPerSample = workPerSample
            partLoss = .allocate(capacity: pool.threadCount)
            partLoss.initialize(repeating: 0)
            partCorrect = .allocate(capacity: pool.threadCount)
            partCorrect.initialize(repeating: 0)
        }

        deinit {
            partLoss.deallocate()
            partCorrect.deallocate()
        }

        /// The batch the step works on; sizes every layer's buffers for it.
        func begin(_ x: Matrix, labels: [Int]? = nil, mode: ForwardMode = .inference) {
            input = x
            self.mode = mode
            for layer in layers { layer.prepare(batchSize: x.rows) }
            loss.probabilities.resize(rows: x.rows)
            if let labels {
                precondition(labels.count == x.rows, "\(labels.count) labels for \(x.rows) rows")
                loss.prepare(labels: labels)
            }
        }

        /// Runs `region` over the current batch, split across the pool when it is worth it.
        func run(_ region: Region) {
            self.region = region
            pool.run(self, work: input.rows * workPerSample)
        }

        func run(part: Int, of parts: Int) {
            let rows = share(of: input.rows, part: part, parts: parts)
            switch region {
            case .predict:
                forward(rows)
                loss.softmax(layers.last!.output, rows: rows)
            case .evaluate:
                forward(rows)
                lossForward(rows, part: part)
            case .train:
                forward(rows)
                lossForward(rows, part: part)
                backward(rows)
            case .backward:
                backward(rows)
            case .update:
                update(part: part, of: parts)
            }
        }

        /// The mean loss and the correct count of the last `evaluate` or `train` region.
        func results() -> StepResult {
            var total = 0.0, correct = 0
            for part in 0..<pool.threadCount {
                total += partLoss[part]
                correct += partCorrect[part]
                partLoss[part] = 0
                partCorrect[part] = 0
            }
            return StepResult(loss: Float(total / Double(max(input.rows, 1))), correct: correct)
        }

        // MARK: The phases

        // x[rows] → logits[rows]: each layer's output is the next one's input.
        private func forward(_ rows: Range<Int>) {
            for index in layers.indices {
                layers[index].forward(inputOfLayer(index), rows: rows, mode: mode)
            }
        }

        private func lossForward(_ rows: Range<Int>, part: Int) {
            let (lossSum, correct) = loss.forward(layers.last!.output, rows: rows)
            partLoss[part] = lossSum
            partCorrect[part] = correct
        }

        // dL/dlogits[rows] → every layer's input gradient, last layer first, down to the first
        // layer that computes none.
        private func backward(_ rows: Range<Int>) {
            loss.backward(rows: rows)
            for index in layers.indices.reversed() {
                layers[index].backward(outputGradientOfLayer(index), input: inputOfLayer(index), rows: rows)
                if layers[index].inputGradient == nil { break }
            }
        }

        // Each layer's share `part` of its parameter update.
        private func update(part: Int, of parts: Int) {
            for index in layers.indices {
                layers[index].update(
                    input: inputOfLayer(index), outputGradient: outputGradientOfLayer(index), part: part, of: parts)
            }
        }

        /// x of layer `index`: the batch for the first layer, else the output of the layer below.
        func inputOfLayer(_ index: Int) -> Matrix {
            index == 0 ? input : layers[index - 1].output
        }

        /// dL/dy of layer `index`: the loss's gradient for the last layer, else the input
        /// gradient of the layer above (which every layer but the first computes).
        func outputGradientOfLayer(_ index: Int) -> Matrix {
            index == layers.count - 1 ? loss.probabilities : layers[index + 1].inputGradient!
        }
    }
}
