// The row-by-row side of a layer. Network runs a whole training step in two parallel regions:
// first every core pushes its own rows of the minibatch forward through all the layers, through
// the loss, and back again (no row depends on another until the weight gradients), then the cores
// split the weight updates by columns. Compared with splitting each product separately, that is
// two hand-offs per step instead of a dozen, and no core reads activations another core wrote.

/// A layer whose forward and input-gradient passes can run on any subset of rows independently.
protocol RowParallelLayer: Layer {
    /// The output, `(batch × outputSize)`, after `forward(_:rows:)` has covered every row.
    var outputBuffer: Matrix { get }
    /// The input gradient, `(batch × inputSize)`, or nil for a layer that computes none.
    var inputGradientBuffer: Matrix? { get }
    /// Sizes the buffers for a batch of `batchSize` rows (allocating only when it grows).
    func prepare(batchSize: Int)
    /// Computes rows `rows` of the output from the same rows of `x`.
    func forward(_ x: Matrix, rows: Range<Int>)
    /// Computes rows `rows` of the input gradient from the same rows of `outputGradient`.
    func backward(_ outputGradient: Matrix, rows: Range<Int>)
}
