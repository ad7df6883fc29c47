// One step of a network, split across the pool's threads.
//
// A step is a few parallel regions. In the first, each part pushes its own rows of the minibatch
// forward through every layer, through the loss, and back again: rows are independent until the
// weight gradients, so no part reads what another wrote. In the last the parts split each layer's
// update by parameters. Compared with splitting each product on its own, that is two hand-offs per
// step instead of a dozen.
//
// A layer that needs the whole batch's statistics (batch norm) cuts the first region where it
// stands (Layer.swift says why a region boundary): going forward, the region ends once every part
// has added its rows into the layer's slots, one thread combines them, and the next region starts
// with that layer; going back, likewise. A network without such layers keeps its two regions.
// The schedules are built once, so running them allocates nothing.

extension Network {
    /// The work of one parallel region, run part by part by the network's pool.
    final class Step: ParallelTask {
        /// What a step computes.
        enum Region {
            /// forward rows, then softmax rows.
            case predict
            /// forward rows, then loss rows.
            case evaluate
            /// forward rows, loss rows, backward rows.
            case train
            /// backward rows alone, after an `evaluate` of the same batch.
            case backward
            /// update parameters.
            case update
            /// backward rows from the gradient the caller put in place of the loss's, down to the
            /// input, after a `predict` of one sample.
            case saliency
        }

        /// One call of a region's part, over its rows (or, for `update`, its share of parameters).
        enum Phase {
            case forward(Int)
            case statistics(Int)
            case softmax
            case loss
            case lossBackward
            case backward(Int)
            case gradientStatistics(Int)
            case update
        }

        /// A parallel region and what one thread does after it, before the next.
        struct Segment {
            var phases: [Phase] = []
            /// The layer whose statistics (or, `ofGradient`, gradient statistics) are combined.
            var combines: (layer: Int, ofGradient: Bool)?
        }

        private let layers: [any Layer]
        private let loss: SoftmaxCrossEntropy
        private let pool: ComputePool
        /// Multiply-adds per sample: how much a region's work is worth splitting.
        private let workPerSample: Int
        /// Schedules by region, for inference-mode (`[0]`) and training-mode (`[1]`) forwards.
        private let schedules: [Region: [[Segment]]]
        private var segment = Segment()
        private var input = Matrix(rows: 0, columns: 0)
        private var mode = ForwardMode.inference
        /// The parts the current batch is split into.
        private(set) var parts = 1
        /// Each part's loss sum and correct count, added up in part order so results are reproducible.
        private let partLoss: UnsafeMutableBufferPointer<Double>
        private let partCorrect: UnsafeMutableBufferPointer<Int>

        init(layers: [any Layer], loss: SoftmaxCrossEntropy, pool: ComputePool) {
            self.layers = layers
            self.loss = loss
            self.pool = pool
            workPerSample = layers.reduce(0) { $0 + $1.workPerSample }
            var schedules: [Region: [[Segment]]] = [:]
            for region in [Region.predict, .evaluate, .train, .backward, .update, .saliency] {
                schedules[region] = [false, true].map { Self.schedule(region, training: $0, layers: layers) }
            }
            self.schedules = schedules
            partLoss = .allocate(capacity: pool.threadCount * Self.finePartsPerThread)
            partLoss.initialize(repeating: 0)
            partCorrect = .allocate(capacity: pool.threadCount * Self.finePartsPerThread)
            partCorrect.initialize(repeating: 0)
        }

        deinit {
            partLoss.deallocate()
            partCorrect.deallocate()
        }

        /// The segments of `region`, cut at every layer that needs batch statistics when `training`.
        private static func schedule(_ region: Region, training: Bool, layers: [any Layer]) -> [Segment] {
            var segments = [Segment()]
            func add(_ phase: Phase) { segments[segments.count - 1].phases.append(phase) }
            func cut(_ layer: Int, ofGradient: Bool) {
                segments[segments.count - 1].combines = (layer, ofGradient)
                segments.append(Segment())
            }
            let cuts = training ? Set(layers.indices.filter { layers[$0].usesBatchStatistics }) : []
            if region == .update {
                add(.update)
                return segments
            }
            if region == .saliency {
                for index in layers.indices.reversed() { add(.backward(index)) }
                return segments
            }
            if region != .backward {
                for index in layers.indices {
                    if cuts.contains(index) {
                        add(.statistics(index))
                        cut(index, ofGradient: false)
                    }
                    add(.forward(index))
                }
                add(region == .predict ? .softmax : .loss)
            }
            if region == .train || region == .backward {
                add(.lossBackward)
                for index in layers.indices.reversed() {
                    if cuts.contains(index) {
                        add(.gradientStatistics(index))
                        cut(index, ofGradient: true)
                    }
                    add(.backward(index))
                    // The first layer that computes no input gradient ends the pass: nothing below learns.
                    if layers[index].inputGradient == nil { break }
                }
            }
            return segments
        }

        /// Parts per thread for a heavy step.
        static let finePartsPerThread = 4
        /// Multiply-adds per part from which a step is cut into `finePartsPerThread` parts per thread.
        static let finePartWork = 20_000_000

        /// How many parts a batch of `rows` is split into: one when it is too small to repay a
        /// hand-off; one per thread for light steps such as the perceptrons', whose parts are tens of
        /// microseconds; four per thread for heavy steps such as a CNN's. Parts are claimed as threads
        /// come free, so where another process has taken half a core, the thread that still has a
        /// whole one does more of them; with one part per thread it would wait for the other's.
        static func partCount(rows: Int, workPerSample: Int, threads: Int) -> Int {
            let work = rows * workPerSample
            if threads == 1 || work < parallelWorkThreshold { return 1 }
            let fine = threads * finePartsPerThread
            return work / fine >= finePartWork ? min(fine, rows, 0xFF) : threads
        }

        /// The batch the step works on; sizes every layer's buffers for it.
        func begin(_ x: Matrix, labels: [Int]? = nil, labelSmoothing: Float = 0, mode: ForwardMode = .inference) {
            input = x
            self.mode = mode
            parts = Self.partCount(rows: x.rows, workPerSample: workPerSample, threads: pool.threadCount)
            for layer in layers { layer.prepare(batchSize: x.rows, parts: parts) }
            loss.probabilities.resize(rows: x.rows)
            if let labels {
                precondition(labels.count == x.rows, "\(labels.count) labels for \(x.rows) rows")
                loss.prepare(labels: labels, smoothing: labelSmoothing)
            }
        }

        /// Runs `region` over the current batch, segment by segment.
        func run(_ region: Region) {
            for segment in schedules[region]![mode.isTraining ? 1 : 0] {
                self.segment = segment
                pool.run(self, parts: parts)
                if let (layer, ofGradient) = segment.combines {
                    if ofGradient {
                        layers[layer].combineGradientStatistics(parts: parts)
                    } else {
                        layers[layer].combineStatistics(parts: parts)
                    }
                }
            }
        }

        func run(part: Int, of parts: Int) {
            let rows = share(of: input.rows, part: part, parts: parts)
            for phase in segment.phases {
                switch phase {
                case .forward(let index):
                    layers[index].forward(inputOfLayer(index), rows: rows, part: part, mode: mode)
                case .statistics(let index):
                    layers[index].accumulateStatistics(inputOfLayer(index), rows: rows, part: part)
                case .softmax:
                    loss.softmax(layers.last!.output, rows: rows)
                case .loss:
                    let (lossSum, correct) = loss.forward(layers.last!.output, rows: rows)
                    partLoss[part] = lossSum
                    partCorrect[part] = correct
                case .lossBackward:
                    loss.backward(rows: rows)
                case .backward(let index):
                    layers[index].backward(outputGradientOfLayer(index), input: inputOfLayer(index), rows: rows, part: part)
                case .gradientStatistics(let index):
                    layers[index].accumulateGradientStatistics(
                        outputGradientOfLayer(index), input: inputOfLayer(index), rows: rows, part: part)
                case .update:
                    for index in layers.indices {
                        layers[index].update(
                            input: inputOfLayer(index), outputGradient: outputGradientOfLayer(index), part: part, of: parts)
                    }
                }
            }
        }

        /// The mean loss and the correct count of the last `evaluate` or `train` region.
        func results() -> StepResult {
            var total = 0.0, correct = 0
            for part in partLoss.indices {
                total += partLoss[part]
                correct += partCorrect[part]
                partLoss[part] = 0
                partCorrect[part] = 0
            }
            return StepResult(loss: Float(total / Double(max(input.rows, 1))), correct: correct)
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
