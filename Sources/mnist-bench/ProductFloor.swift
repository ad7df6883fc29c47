// The yardstick for a convolutional network's epoch: how many floating-point operations its
// products take, and how fast this machine's sgemm runs them at best.

import Foundation
import NeuralNet

/// Floating-point operations of one training sample of `network`: two per multiply-add of each
/// convolution's and dense layer's forward product, its weight-gradient product and (except for
/// the first layer) its input-gradient product.
func trainingFlopsPerSample(of network: Network) -> Double {
    network.layers.enumerated().reduce(0.0) { total, item in
        let (index, layer) = item
        guard layer is Conv2d || layer is Linear else { return total }
        let products = index == 0 ? 2.0 : 3.0
        return total + 2 * products * Double(layer.workPerSample)
    }
}

/// The best sgemm rate of this machine in operations per second: a 512×512×512 product timed on
/// every thread of a pool of `threads` at once, the fastest of a few rounds.
func sgemmRate(threads: Int) -> Double {
    let size = 512
    let pool = ComputePool(threadCount: threads)
    let network = Network(architecture: try! Architecture(layerSizes: [size, size]), seed: 1, pool: pool)
    let batch = Matrix(rows: size * threads, columns: size)
    batch.fill(0.5)
    // One inference forward of size·threads rows is one size×size×size product per thread.
    var best = Double.infinity
    for _ in 0..<5 {
        let start = ContinuousClock.now
        _ = network.forward(batch)
        best = min(best, seconds(from: start, to: .now))
    }
    return 2 * Double(size * size * size * threads) / best
}
