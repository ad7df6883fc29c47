// A stride-1 convolution by Winograd's minimal filtering, for Conv2d's batches: with 8×8 tiles a
// 5×5 filter costs 64 products per 16 outputs instead of 400; with 6×6 tiles a 3×3 one costs 36
// per 16 instead of 144.
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
    let outputTiles: (y: Int, x: Int)
    let inputTiles: (y: Int, x: Int)
    /// The input's lane planes: padded by `padding`, tall enough for every output tile's window.
    let inputPlanes: (height: Int, width: Int)
    /// The output gradient's lane planes: padded by `kernel − 1 − padding`.
    let gradientPlanes: (height: Int, width: Int)
    /// Lane groups per chunk: their tiles go through one product each.
    static let groupsPerChunk = 1

    /// G broadcast into lanes.
    private let filterLanes: UnsafeMutablePointer<Lanes>
    /// The filters in the Winograd domain, for the forward (`u`) and the input gradient (`turned`).
    private let u, turned: UnsafeMutablePointer<Float>
    private let filterScratch: UnsafeMutablePointer<Lanes>
    /// dU of the whole batch, added up from the slots by `filterGradient`.
    private let gradientSum: UnsafeMutablePointer<Float>
    private var parts: [Scratch] = []
    /// Per part: dU, summed over the part's rows by `backward`.
    private(set) var gradientSlots: [UnsafeMutablePointer<Float>] = []

    var pairs: Int { output.channels * input.channels }
    var tileCount: Int { inputTile * inputTile }
    var inputTile: Int { transform.inputTile }

    /// Whether a convolution of these sizes is worth computing this way: stride 1, a padding that
    /// leaves the input gradient's convolution a padding of its own, and enough input channels
    /// that the channel products are real matrix products (a 1-channel first layer is not).
    static func applies(input: ImageShape, kernel: Int, stride: Int, padding: Int) -> Bool {
        stride == 1 && (2...5).contains(kernel) && padding <= kernel - 1 && input.channels >= 8
    }

    /// The tile side α for a kernel: 8×8 tiles for 4×4 and 5×5 kernels (F(5, 4), F(4, 5)), 6×6
    /// for smaller ones (F(5, 2), F(4, 3)). For the recipe's 5×5 on 14×14, 8×8 tiles take 16
    /// tiles of 64 products a channel pair where 6×6 took 49 of 36: 1,024 against 1,764.
    static func inputTile(kernel: Int) -> Int { kernel >= 4 ? 8 : 6 }

    /// - Precondition: `applies(input:kernel:stride:padding:)`.
    init(input: ImageShape, output: ImageShape, kernel: Int, padding: Int) {
        self.input = input
        self.output = output
        self.kernel = kernel
        self.padding = padding
        let alpha = Self.inputTile(kernel: kernel)
        transform = WinogradTransform(outputTile: alpha + 1 - kernel, kernel: kernel)
        let m = transform.outputTile
        outputTiles = ((output.height + m - 1) / m, (output.width + m - 1) / m)
        inputTiles = ((input.height + m - 1) / m, (input.width + m - 1) / m)
        inputPlanes = (outputTiles.y * m + kernel - 1, outputTiles.x * m + kernel - 1)
        let turnedPadding = kernel - 1 - padding
        gradientPlanes = (max(inputTiles.y * m + kernel - 1, turnedPadding + outputTiles.y * m),
                          max(inputTiles.x * m + kernel - 1, turnedPadding + outputTiles.x * m))
        filterLanes = broadcastLanes(transform.filterMatrix)
        let pairCount = output.channels * input.channels
        u = .allocate(capacity: alpha * alpha * pairCount)
        turned = .allocate(capacity: alpha * alpha * pairCount)
        filterScratch = .allocate(capacity: transform.filterScratchCount)
        gradientSum = .allocate(capacity: alpha * alpha * pairCount)
    }

    deinit {
        for pointer in [filterLanes, filterScratch] { pointer.deallocate() }
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

    // x[rows] → y[rows] (without bias), chunk by chunk. A training pass keeps each chunk's V for
    // the filter gradient (`keepsTransforms`), so backward need not transform x again.
    func forward(_ x: Matrix, rows: Range<Int>, part: Int, keepsTransforms: Bool, into y: Matrix) {
        let scratch = parts[part]
        if keepsTransforms { scratch.reserveKept(chunks: chunkCount(rows.count), chunkSize: transformedSize) }
        scratch.keptRows = keepsTransforms ? rows : nil
        forEachChunk(of: rows) { chunk, first, count in
            let transformed = keepsTransforms ? scratch.kept + chunk * transformedSize : scratch.transformed
            let columns = transformInput(x, first: first, count: count, into: transformed, scratch: scratch)
            for xi in 0..<tileCount {
                sgemm(.normal, .normal, m: output.channels, n: columns, k: input.channels, alpha: 1,
                      a: u + xi * pairs, lda: input.channels, b: floats(transformed) + xi * columns,
                      ldb: tileCount * columns, beta: 0, c: floats(scratch.products) + xi * columns, ldc: tileCount * columns)
            }
            transformOutput(scratch.products, planes: output.channels, tiles: outputTiles, shape: output,
                            first: first, count: count, into: y, scratch: scratch)
        }
    }

    // dy[rows] → this part's dU slot, and dx[rows] when `dx` is given, after a forward of x.
    func backward(_ dy: Matrix, input x: Matrix, rows: Range<Int>, part: Int, inputGradient dx: Matrix?) {
        let scratch = parts[part], slot = gradientSlots[part]
        slot.update(repeating: 0, count: tileCount * pairs)
        let turnedPadding = kernel - 1 - padding
        forEachChunk(of: rows) { chunk, first, count in
            let groupCount = groups(count)
            let columns = outputTiles.y * outputTiles.x * groupCount * laneCount
            // V as the training forward kept it, or afresh after an inference forward.
            let transformed = scratch.keptRows == rows ? scratch.kept + chunk * transformedSize : scratch.transformed
            if scratch.keptRows != rows { _ = transformInput(x, first: first, count: count, into: transformed, scratch: scratch) }
            // The output gradient's lane planes, padded for the turned convolution, and A dy Aᵀ.
            for group in 0..<groupCount {
                let planes = scratch.gradientPlanes + group * scratch.gradientPlaneCount
                gather(dy, shape: output, first: first + group * laneCount, count: min(laneCount, count - group * laneCount),
                       padding: turnedPadding, planes: planes, height: gradientPlanes.height, width: gradientPlanes.width)
                transform.transformGradient(
                    planes, planeCount: output.channels, height: gradientPlanes.height, width: gradientPlanes.width,
                    origin: turnedPadding, tilesY: outputTiles.y, tilesX: outputTiles.x, into: scratch.products,
                    rowStride: columns / laneCount, tileOffset: group * outputTiles.y * outputTiles.x, scratch: scratch.window)
            }
            // dU[ξ] += (A dy Aᵀ)[ξ] · V[ξ]ᵀ
            for xi in 0..<tileCount {
                sgemm(.normal, .transposed, m: output.channels, n: input.channels, k: columns, alpha: 1,
                      a: floats(scratch.products) + xi * columns, lda: tileCount * columns,
                      b: floats(transformed) + xi * columns, ldb: tileCount * columns,
                      beta: 1, c: slot + xi * pairs, ldc: input.channels)
            }
            guard let dx else { return }
            // dx: the turned filters over dy's windows.
            let inputColumns = inputTiles.y * inputTiles.x * groupCount * laneCount
            for group in 0..<groupCount {
                transform.transformInput(
                    scratch.gradientPlanes + group * scratch.gradientPlaneCount, planeCount: output.channels,
                    height: gradientPlanes.height, width: gradientPlanes.width, origin: 0,
                    tilesY: inputTiles.y, tilesX: inputTiles.x, into: scratch.products, rowStride: inputColumns / laneCount,
                    tileOffset: group * inputTiles.y * inputTiles.x, scratch: scratch.window)
            }
            for xi in 0..<tileCount {
                sgemm(.transposed, .normal, m: input.channels, n: inputColumns, k: output.channels, alpha: 1,
                      a: turned + xi * pairs, lda: input.channels,
                      b: floats(scratch.products) + xi * inputColumns, ldb: tileCount * inputColumns,
                      beta: 0, c: floats(scratch.transformed) + xi * inputColumns, ldc: tileCount * inputColumns)
            }
            transformOutput(scratch.transformed, planes: input.channels, tiles: inputTiles, shape: input,
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

    /// Samples per chunk: lane groups whose tiles go through one product each.
    private static let chunkRows = groupsPerChunk * laneCount
    private func groups(_ count: Int) -> Int { (count + laneCount - 1) / laneCount }
    private func chunkCount(_ rows: Int) -> Int { (rows + Self.chunkRows - 1) / Self.chunkRows }
    /// Lanes of one chunk's V: `α² × in × tiles × groups`.
    private var transformedSize: Int { tileCount * input.channels * outputTiles.y * outputTiles.x * Self.groupsPerChunk }

    private func forEachChunk(of rows: Range<Int>, _ body: (_ chunk: Int, _ first: Int, _ count: Int) -> Void) {
        var (chunk, first) = (0, rows.lowerBound)
        while first < rows.upperBound {
            let count = min(Self.chunkRows, rows.upperBound - first)
            body(chunk, first, count)
            chunk += 1
            first += count
        }
    }

    private func floats(_ lanes: UnsafeMutablePointer<Lanes>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(lanes).assumingMemoryBound(to: Float.self)
    }

    /// V for samples `first..<first+count`: lane planes, then Bᵀ d B per window into
    /// `transformed`. Returns the products' column count (tiles × lanes).
    private func transformInput(_ x: Matrix, first: Int, count: Int, into transformed: UnsafeMutablePointer<Lanes>,
                                scratch: Scratch) -> Int {
        let groupCount = groups(count)
        let tilesPerGroup = outputTiles.y * outputTiles.x
        let columns = tilesPerGroup * groupCount * laneCount
        for group in 0..<groupCount {
            gather(x, shape: input, first: first + group * laneCount, count: min(laneCount, count - group * laneCount),
                   padding: padding, planes: scratch.inputPlanes, height: inputPlanes.height, width: inputPlanes.width)
            transform.transformInput(
                scratch.inputPlanes, planeCount: input.channels, height: inputPlanes.height, width: inputPlanes.width,
                origin: 0, tilesY: outputTiles.y, tilesX: outputTiles.x, into: transformed, rowStride: columns / laneCount,
                tileOffset: group * tilesPerGroup, scratch: scratch.window)
        }
        return columns
    }

    /// Interleaves rows `first..<first+count` (C×H×W each) into lane planes at offset `padding`;
    /// lanes past `count` are zero, and so is the border, which nothing writes.
    private func gather(_ x: Matrix, shape: ImageShape, first: Int, count: Int, padding: Int,
                        planes: UnsafeMutablePointer<Lanes>, height: Int, width: Int) {
        let floats = floats(planes)
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
    private func transformOutput(
        _ products: UnsafeMutablePointer<Lanes>, planes planeCount: Int, tiles: (y: Int, x: Int), shape: ImageShape,
        first: Int, count: Int, into y: Matrix, scratch: Scratch
    ) {
        let m = transform.outputTile
        let (height, width) = (tiles.y * m, tiles.x * m)
        let tilesPerGroup = tiles.y * tiles.x
        let groupCount = groups(count)
        let rowStride = tilesPerGroup * groupCount
        for group in 0..<groupCount {
            transform.transformOutput(
                products, planeCount: planeCount, rowStride: rowStride, tileOffset: group * tilesPerGroup,
                tilesY: tiles.y, tilesX: tiles.x, into: scratch.outputPlanes, scratch: scratch.window)
            let floats = floats(scratch.outputPlanes)
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
}
