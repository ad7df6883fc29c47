// A hook through which a dataset's samples can be varied on the fly (distorted digits, say) while
// a minibatch is gathered. The network library knows nothing of images; it only calls this.

/// Writes a randomly varied copy of one sample while a minibatch is gathered.
///
/// The loader calls it from several threads at once, one call per sample, so an implementation
/// must be safe to call concurrently and must not allocate. Its randomness comes from `seed`
/// alone, which the loader derives from the run's seed, the epoch and the sample's position in the
/// epoch, so an epoch's samples are the same whatever the thread count.
public protocol SampleAugmentation: AnyObject, Sendable {
    /// Writes a varied copy of the byte sample at `source` (`featureCount` bytes) into
    /// `destination` as floats, each byte multiplied by `scale` as the plain gather would.
    func augment(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, scale: Float, seed: UInt64)
}
