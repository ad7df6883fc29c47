// A stride-1 convolution by Winograd's minimal filtering, for Conv2d's batches: with 6×6 tiles a
// 5×5 filter costs 36 products per 4 outputs instead of 100, a 3×3 one 36 per 16 instead of 144.
// All three products of a training step go through the same tiles:
//   forward          y = Aᵀ[U ⊙ V]A                  U = G w Gᵀ, V = Bᵀ x B, per tile
//   input gradient   the convolution of dy (padded by r − 1 − p) with the filters turned by 180°
//                    and read input channel by output channel: the same algorithm, other operands
//   filter gradient  dU = Σ_tiles (A dy Aᵀ) ⊙ V, then dw = Gᵀ dU G: the exact gradient of the
//                    forward as computed
// Per tile position ξ the channel sums are one sgemm each (out × in × tiles). Samples go in
// groups of eight, one per SIMD lane (WinogradTransform+Tiles.swift); the filter gradient stays in
// the Winograd domain in one slot per part until `filterGradient` adds the slots in part order.

/// The Winograd machinery and scratch of one convolution layer.
final class WinogradConvolution {
    let input: ImageShape
    let output: ImageShape
    let kernel: Int
    let padding: Int
    let transform: WinogradTransform

    /// Tiles down and across the output, and over the input (the input gradient's output).
    private let outputTiles: (y: Int, x: Int)
    private let inputTiles: (y: Int, x: Int)
    /// The input's lane planes: padded by `padding`, tall enough for every output tile's window.
    private let inputPlanes: (height: Int, width: Int)
    /// The output gradient's lane planes: padded by `kernel − 1 − padding`.
    private let gradientPlanes: (height: Int, width: Int)
    /// Samples per chunk: lane groups whose tiles go through one product.
    static let groupsPerChunk = 2

    /// Bᵀ, G, Aᵀ and A broadcast into lanes.
    private let inputLanes, filterLanes, outputLanes, outputTransposedLanes: UnsafeMutablePointer<Lanes>
    /// The filters in the Winograd domain, for the forward (`u`) and the input gradient (`turned`).
    private let u, turned: UnsafeMutablePointer<Float>
    private let filterScratch: UnsafeMutablePointer<Lanes>
    /// dU of the whole batch, added up from the slots by `filterGradient`.
    private let gradientSum: UnsafeMutablePointer<Float>
    private var parts: [Scratch] = []
    /// Per part: dU, summed over the part's rows by `backward`.
    private(set) var gradientSlots: [UnsafeMutablePointer<Float>] = []

    var pairs: Int { output.channels * input.channels }
    private var tileCount: Int { inputTile * inputTile }
    private var inputTile: Int { transform.inputTile }

    /// Whether a convolution of these sizes is worth computing this way: stride 1, a padding that
    /// leaves the input gradient's convolution a padding of its own, and enough input channels
    /// that the channel products are real matrix products (a 1-channel first layer is not).
    static func applies(input: ImageShape, kernel: Int, stride: Int, padding: Int) -> Bool {
        stride == 1 && (2...7).contains(kernel) && padding <= kernel - 1 && input.channels >= 8
    }

    /// - Precondition: `applies(input:kernel:stride:padding:)`.
    init(input: ImageShape, output: ImageShape, kernel: Int, padding: Int) {
        self.input = input
        self.output = output
        self.kernel = kernel
        self.padding = padding
        // 6×6 tiles: F(4, 3) and F(2, 5); F(2, r) beyond.
        transform = WinogradTransform(outputTile: max(2, 7 - kernel), kernel: kernel)
        let m = transform.outputTile
        outputTiles = ((output.height + m - 1) / m, (output.width + m - 1) / m)
        inputTiles = ((input.height + m - 1) / m, (input.width + m - 1) / m)
        inputPlanes = (outputTiles.y * m + kernel - 1, outputTiles.x * m + kernel - 1)
        let turnedPadding = kernel - 1 - padding
        gradientPlanes = (max(inputTiles.y * m + kernel - 1, turnedPadding + outputTiles.y * m),
                          max(inputTiles.x * m + kernel - 1, turnedPadding + outputTiles.x * m))
        inputLanes = broadcastLanes(transform.inputMatrix)
        filterLanes = broadcastLanes(transform.filterMatrix)
        outputLanes = broadcastLanes(transform.outputMatrix)
        let (alpha, outputMatrix) = (transform.inputTile, transform.outputMatrix)
        outputTransposedLanes = broadcastLanes((0..<(alpha * m)).map { index in outputMatrix[(index % m) * alpha + index / m] })
        let pairCount = output.channels * input.channels
        u = .allocate(capacity: alpha * alpha * pairCount)
        turned = .allocate(capacity: alpha * alpha * pairCount)
        filterScratch = .allocate(capacity: transform.filterScratchCount)
        gradientSum = .allocate(capacity: alpha * alpha * pairCount)
    }

    deinit {
        for pointer in [inputLanes, filterLanes, outputLanes, outputTransposedLanes, filterScratch] { pointer.deallocate() }
        for pointer in [u, turned, gradientSum] { pointer.deallocate() }
        for slot in gradientSlots { slot.deallocate() }
    }

    /// Makes scratch for `count` parts running at once.
    func prepare(parts count: Int) {
        while parts.count < count {
            parts.append(Scratch(self))
            let slot = UnsafeMutablePointer<Float>.allocate(capacity: tileCount * pairs)
            slot.initialize(repeating: 0, count: tileCount * pairs)
            gradientSlots.append(slot)
        }
    }

    /// Takes the filters (`out × (in·k·k)`) into the Winograd domain; call whenever they change.
    func transformFilters(_ weight: Matrix) {
        transform.transformFilters(weight.pointer(), pairs: pairs, rotated: false, filterLanes: filterLanes,
                                   into: u, scratch: filterScratch)
        transform.transformFilters(weight.pointer(), pairs: pairs, rotated: true, filterLanes: filterLanes,
                                   into: turned, scratch: filterScratch)
    }

    // x[rows] → y[rows] (without bias), chunk by chunk of lane groups.
    func forward(_ x: Matrix, rows: Range<Int>, part: Int, into y: Matrix) {
        let scratch = parts[part]
        forEachChunk(of: rows) { first, count in
            let columns = gatherAndTransformInput(x, first: first, count: count, scratch: scratch)
            for xi in 0..<tileCount {
                sgemm(.normal, .normal, m: output.channels, n: columns, k: input.channels, alpha: 1,
                      a: u + xi * pairs, lda: input.channels, b: scratch.floats(scratch.transformed) + xi * input.channels * columns,
                      ldb: columns, beta: 0, c: scratch.floats(scratch.products) + xi * output.channels * columns, ldc: columns)
            }
            untransformAndScatter(scratch.products, planes: output.channels, tiles: outputTiles, shape: output,
                                  first: first, count: count, into: y, scratch: scratch)
        }
    }

    // dy[rows] → this part's dU slot, and dx[rows] when `dx` is given.
    func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int, inputGradient dx: Matrix?) {
        let scratch = parts[part], slot = gradientSlots[part]
        slot.update(repeating: 0, count: tileCount * pairs)
        let m = transform.outputTile
        let turnedPadding = kernel - 1 - padding
        forEachChunk(of: rows) { first, count in
            let columns = gatherAndTransformInput(x, first: first, count: count, scratch: scratch)
            let groupCount = groups(count)
            // The output gradient's lane planes, padded for the turned convolution.
            for group in 0..<groupCount {
                gather(dy, shape: output, first: first + group * laneCount,
                       count: min(laneCount, count - group * laneCount), padding: turnedPadding,
                       planes: scratch.gradientPlanes + group * scratch.gradientPlaneCount, height: gradientPlanes.height,
                       width: gradientPlanes.width)
            }
            // dU[ξ] += (A dy Aᵀ)[ξ] · V[ξ]ᵀ
            for group in 0..<groupCount {
                transform.transformWindows(
                    scratch.gradientPlanes + group * scratch.gradientPlaneCount, planeCount: output.channels,
                    height: gradientPlanes.height, width: gradientPlanes.width, origin: turnedPadding, window: m,
                    matrix: outputTransposedLanes, tilesY: outputTiles.y, tilesX: outputTiles.x,
                    into: scratch.products, rowStride: columns / laneCount,
                    tileOffset: group * outputTiles.y * outputTiles.x, scratch: scratch.window)
            }
            for xi in 0..<tileCount {
                sgemm(.normal, .transposed, m: output.channels, n: input.channels, k: columns, alpha: 1,
                      a: scratch.floats(scratch.products) + xi * output.channels * columns, lda: columns,
                      b: scratch.floats(scratch.transformed) + xi * input.channels * columns, ldb: columns,
                      beta: 1, c: slot + xi * pairs, ldc: input.channels)
            }
            guard let dx else { return }
            // dx: the turned filters over dy's windows.
            let inputColumns = inputTiles.y * inputTiles.x * groupCount * laneCount
            for group in 0..<groupCount {
                transform.transformWindows(
                    scratch.gradientPlanes + group * scratch.gradientPlaneCount, planeCount: output.channels,
                    height: gradientPlanes.height, width: gradientPlanes.width, origin: 0, window: inputTile,
                    matrix: inputLanes, tilesY: inputTiles.y, tilesX: inputTiles.x,
                    into: scratch.products, rowStride: inputColumns / laneCount,
                    tileOffset: group * inputTiles.y * inputTiles.x, scratch: scratch.window)
            }
            for xi in 0..<tileCount {
                sgemm(.transposed, .normal, m: input.channels, n: inputColumns, k: output.channels, alpha: 1,
                      a: turned + xi * pairs, lda: input.channels,
                      b: scratch.floats(scratch.products) + xi * output.channels * inputColumns, ldb: inputColumns,
                      beta: 0, c: scratch.floats(scratch.transformed) + xi * input.channels * inputColumns, ldc: inputColumns)
            }
            untransformAndScatter(scratch.transformed, planes: input.channels, tiles: inputTiles, shape: input,
                                  first: first, count: count, into: dx, scratch: scratch)
        }
    }

    /// dL/dw (`out × (in·k·k)`) of the filters `range` (pair `o·in + c` is row o's c-th filter):
    /// the slots of `partCount` parts added in part order, then out of the Winograd domain. Update
    /// part `part` of a step calls it for its own filters, beside the others.
    func filterGradient(pairs range: Range<Int>, partCount: Int, part: Int, into dw: UnsafeMutablePointer<Float>) {
        for xi in 0..<tileCount {
            let target = gradientSum + xi * pairs + range.lowerBound
            target.update(from: gradientSlots[0] + xi * pairs + range.lowerBound, count: range.count)
            for part in 1..<max(partCount, 1) {
                let source = gradientSlots[part] + xi * pairs + range.lowerBound
                for i in 0..<range.count { target[i] += source[i] }
            }
        }
        transform.filterGradient(gradientSum, pairs: pairs, range: range, filterLanes: filterLanes, into: dw,
                                 scratch: parts[part].filter)
    }

    // MARK: Chunks

    private func groups(_ count: Int) -> Int { (count + laneCount - 1) / laneCount }

    private func forEachChunk(of rows: Range<Int>, _ body: (_ first: Int, _ count: Int) -> Void) {
        let chunk = Self.groupsPerChunk * laneCount
        var first = rows.lowerBound
        while first < rows.upperBound {
            let count = min(chunk, rows.upperBound - first)
            body(first, count)
            first += count
        }
    }

    /// V for samples `first..<first+count`: lane planes, then Bᵀ d B per window into
    /// `scratch.transformed`. Returns the products' column count (tiles × lanes).
    private func gatherAndTransformInput(_ x: Matrix, first: Int, count: Int, scratch: Scratch) -> Int {
        let groupCount = groups(count)
        let tilesPerGroup = outputTiles.y * outputTiles.x
        let columns = tilesPerGroup * groupCount * laneCount
        for group in 0..<groupCount {
            gather(x, shape: input, first: first + group * laneCount, count: min(laneCount, count - group * laneCount),
                   padding: padding, planes: scratch.inputPlanes, height: inputPlanes.height, width: inputPlanes.width)
            transform.transformWindows(
                scratch.inputPlanes, planeCount: input.channels, height: inputPlanes.height, width: inputPlanes.width,
                origin: 0, window: inputTile, matrix: inputLanes, tilesY: outputTiles.y, tilesX: outputTiles.x,
                into: scratch.transformed, rowStride: columns / laneCount, tileOffset: group * tilesPerGroup,
                scratch: scratch.window)
        }
        return columns
    }

    /// Interleaves rows `first..<first+count` (C×H×W each) into lane planes at offset `padding`;
    /// lanes past `count` are zero, and so is the border, which nothing writes.
    private func gather(_ x: Matrix, shape: ImageShape, first: Int, count: Int, padding: Int,
                        planes: UnsafeMutablePointer<Lanes>, height: Int, width: Int) {
        let floats = UnsafeMutableRawPointer(planes).assumingMemoryBound(to: Float.self)
        for lane in 0..<laneCount {
            let source = lane < count ? UnsafePointer(x.pointer(row: first + lane)) : nil
            for channel in 0..<shape.channels {
                for row in 0..<shape.height {
                    let target = floats + (((channel * height + row + padding) * width + padding) * laneCount + lane)
                    guard let source else {
                        for column in 0..<shape.width { target[column * laneCount] = 0 }
                        continue
                    }
                    let values = source + (channel * shape.height + row) * shape.width
                    for column in 0..<shape.width { target[column * laneCount] = values[column] }
                }
            }
        }
    }

    /// Aᵀ P A for every tile of `products`, then each lane's sample into its row of `y`
    /// (cropped to `shape`).
    private func untransformAndScatter(
        _ products: UnsafeMutablePointer<Lanes>, planes planeCount: Int, tiles: (y: Int, x: Int), shape: ImageShape,
        first: Int, count: Int, into y: Matrix, scratch: Scratch
    ) {
        let m = transform.outputTile
        let (height, width) = (tiles.y * m, tiles.x * m)
        let tilesPerGroup = tiles.y * tiles.x
        let groupCount = groups(count)
        let rowStride = tilesPerGroup * groupCount
        for group in 0..<groupCount {
            transform.untransformTiles(
                products, planeCount: planeCount, rowStride: rowStride, tileOffset: group * tilesPerGroup,
                tilesY: tiles.y, tilesX: tiles.x, matrix: outputLanes, into: scratch.outputPlanes, scratch: scratch.window)
            let floats = UnsafeMutableRawPointer(scratch.outputPlanes).assumingMemoryBound(to: Float.self)
            for lane in 0..<min(laneCount, count - group * laneCount) {
                let target = y.pointer(row: first + group * laneCount + lane)
                for channel in 0..<planeCount {
                    for row in 0..<shape.height {
                        let source = floats + ((channel * height + row) * width) * laneCount + lane
                        let values = target + (channel * shape.height + row) * shape.width
                        for column in 0..<shape.width { values[column] = source[column * laneCount] }
                    }
                }
            }
        }
    }

    /// One part's working memory.
    final class Scratch {
        let inputPlanes: UnsafeMutablePointer<Lanes>
        let gradientPlanes: UnsafeMutablePointer<Lanes>
        let gradientPlaneCount: Int
        let outputPlanes: UnsafeMutablePointer<Lanes>
        /// V (or, for the input gradient, its products), `α² × in × columns`.
        let transformed: UnsafeMutablePointer<Lanes>
        /// U ⊙ V summed (or the output gradient's transforms), `α² × max(in, out) × columns`.
        let products: UnsafeMutablePointer<Lanes>
        let window: UnsafeMutablePointer<Lanes>
        /// For the filter gradient's way out of the Winograd domain.
        let filter: UnsafeMutablePointer<Lanes>
        private let counts: [Int]

        init(_ convolution: WinogradConvolution) {
            let c = convolution
            let groups = WinogradConvolution.groupsPerChunk
            let alpha2 = c.inputTile * c.inputTile
            let maxTiles = max(c.outputTiles.y * c.outputTiles.x, c.inputTiles.y * c.inputTiles.x) * groups
            let channels = max(c.input.channels, c.output.channels)
            gradientPlaneCount = c.output.channels * c.gradientPlanes.height * c.gradientPlanes.width
            let outputSide = max(c.outputTiles.y, c.inputTiles.y) * c.transform.outputTile
                * max(c.outputTiles.x, c.inputTiles.x) * c.transform.outputTile
            counts = [
                c.input.channels * c.inputPlanes.height * c.inputPlanes.width,
                gradientPlaneCount * groups,
                channels * outputSide,
                alpha2 * channels * maxTiles,
                alpha2 * channels * maxTiles,
                c.inputTile * c.inputTile * 2,
                c.transform.filterScratchCount,
            ]
            let pointers = counts.map { count -> UnsafeMutablePointer<Lanes> in
                let pointer = UnsafeMutablePointer<Lanes>.allocate(capacity: count)
                pointer.initialize(repeating: Lanes(), count: count)
                return pointer
            }
            (inputPlanes, gradientPlanes, outputPlanes, transformed, products, window, filter) =
                (pointers[0], pointers[1], pointers[2], pointers[3], pointers[4], pointers[5], pointers[6])
        }

        deinit {
            for pointer in [inputPlanes, gradientPlanes, outputPlanes, transformed, products, window, filter] {
                pointer.deallocate()
            }
        }

        func floats(_ lanes: UnsafeMutablePointer<Lanes>) -> UnsafeMutablePointer<Float> {
            UnsafeMutableRawPointer(lanes).assumingMemoryBound(to: Float.self)
        }
    }
}
