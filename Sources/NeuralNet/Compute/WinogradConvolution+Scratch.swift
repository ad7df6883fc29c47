// A Winograd convolution's working memory for one part of a batch: the lane planes, the
// transformed tiles and their products, and the V that a training forward keeps for backward.

extension WinogradConvolution {
    /// One part's working memory.
    final class Scratch {
        /// The input's lane planes, one lane group.
        let inputPlanes: UnsafeMutablePointer<Lanes>
        /// The output gradient's lane planes, one per lane group of a chunk.
        let gradientPlanes: UnsafeMutablePointer<Lanes>
        let gradientPlaneCount: Int
        /// Transformed-back tiles before they are cropped into rows.
        let outputPlanes: UnsafeMutablePointer<Lanes>
        /// V in inference (or the input gradient's products), `α² × max(in, out) × columns`.
        let transformed: UnsafeMutablePointer<Lanes>
        /// U·V (or the output gradient's transforms), `α² × max(in, out) × columns`.
        let products: UnsafeMutablePointer<Lanes>
        /// The tile kernels' own.
        let window: UnsafeMutablePointer<Lanes>
        /// For the filter gradient's way out of the Winograd domain.
        let filter: UnsafeMutablePointer<Lanes>
        /// Every chunk's V from the last training forward, for backward; grows with the part.
        private(set) var kept: UnsafeMutablePointer<Lanes>
        private var keptCapacity = 0
        /// The rows whose V `kept` holds: those of the last forward, if it was a training one.
        var keptRows: Range<Int>?

        init(_ c: WinogradConvolution) {
            let m = c.transform.outputTile
            let maxTiles = max(c.outputTiles.y * c.outputTiles.x, c.inputTiles.y * c.inputTiles.x) * WinogradConvolution.groupsPerChunk
            let channels = max(c.input.channels, c.output.channels)
            gradientPlaneCount = c.output.channels * c.gradientPlanes.height * c.gradientPlanes.width
            let outputSide = max(c.outputTiles.y, c.inputTiles.y) * m * max(c.outputTiles.x, c.inputTiles.x) * m
            let alpha = c.inputTile
            let rowPass = ((max(c.outputTiles.y, c.inputTiles.y) - 1) * m + alpha) * max(c.outputTiles.x, c.inputTiles.x) * alpha
            func allocate(_ count: Int) -> UnsafeMutablePointer<Lanes> {
                let pointer = UnsafeMutablePointer<Lanes>.allocate(capacity: count)
                pointer.initialize(repeating: Lanes(), count: count)
                return pointer
            }
            inputPlanes = allocate(c.input.channels * c.inputPlanes.height * c.inputPlanes.width)
            gradientPlanes = allocate(gradientPlaneCount * WinogradConvolution.groupsPerChunk)
            outputPlanes = allocate(channels * outputSide)
            transformed = allocate(c.tileCount * channels * maxTiles)
            products = allocate(c.tileCount * channels * maxTiles)
            window = allocate(max(rowPass, alpha * m))
            filter = allocate(c.transform.filterScratchCount)
            kept = allocate(1)
        }

        /// Room for `chunks` chunks' V of `chunkSize` lanes each; allocates only to grow.
        func reserveKept(chunks: Int, chunkSize: Int) {
            guard chunks * chunkSize > keptCapacity else { return }
            kept.deallocate()
            keptCapacity = chunks * chunkSize
            kept = .allocate(capacity: keptCapacity)
        }

        deinit {
            for pointer in [inputPlanes, gradientPlanes, outputPlanes, transformed, products, window, filter, kept] {
                pointer.deallocate()
            }
        }
    }
}
