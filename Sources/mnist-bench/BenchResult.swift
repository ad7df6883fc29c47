// One measured quantity, written as a JSON line for scripts and as a row of the human table.

import Foundation

/// The outcome of one benchmark: what was measured, under which configuration, and its timings.
struct BenchResult: Codable, Sendable {
    /// What was timed: `train_epoch`, `load_mnist` or `inference`.
    var name: String
    /// Layer sizes of the network, for training and inference.
    var layers: [Int]?
    /// Samples per SGD step (training) or per forward chunk (inference).
    var batchSize: Int?
    /// Threads in the network's compute pool.
    var threads: Int?
    /// Samples processed per timed run (an epoch's training samples, the test images).
    var items: Int?
    /// Median, fastest and slowest of the timed runs, in seconds.
    var medianSeconds: Double
    var minSeconds: Double
    var maxSeconds: Double
    /// `items / medianSeconds`: samples or images per second at the median.
    var itemsPerSecond: Double?
    /// Every timed run, in seconds.
    var runs: [Double]
    /// The on-the-fly distortion of the training samples (`none`, `affine`, `elastic`), if any.
    var augmentation: String?
    /// Cores kept busy by other processes during the measurement, on average (see `watchingOtherProcesses`).
    var otherCores: Double?
    /// A network that is not a layer-size list, in the grammar (`1x28x28,32C5,…`).
    var network: String?
    /// Floating-point operations of the timed work (2 per multiply-add of the forward and backward
    /// products), counted as a direct convolution would multiply; a convolution on the Winograd
    /// path multiplies fewer, so for it the two figures below are equivalents and can exceed the floor.
    var flops: Double?
    /// `flops / medianSeconds / 1e9`.
    var gflopsPerSecond: Double?
    /// The same operations timed at the machine's sgemm rate (a large product on every thread)
    /// over the median: how close the step comes to the direct convolution's product floor.
    var floorFraction: Double?

    init(
        name: String, layers: [Int]? = nil, batchSize: Int? = nil, threads: Int? = nil, items: Int? = nil,
        measured: (Timings, otherCores: Double?)
    ) {
        let timings = measured.0
        self.name = name
        self.layers = layers
        self.batchSize = batchSize
        self.threads = threads
        self.items = items
        medianSeconds = timings.median
        minSeconds = timings.min
        maxSeconds = timings.max
        itemsPerSecond = items.map { Double($0) / timings.median }
        runs = timings.runs
        otherCores = measured.otherCores
    }

    /// The result as one line of JSON with snake_case keys.
    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain numbers, strings and arrays cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }

    /// The configuration in a few words, e.g. `784-128-64-10 b64 t2`.
    var configuration: String {
        var words: [String] = []
        if let layers { words.append(layers.map(String.init).joined(separator: "-")) }
        if let network { words.append(network) }
        if let batchSize { words.append("b\(batchSize)") }
        if let threads { words.append("t\(threads)") }
        if let augmentation { words.append(augmentation) }
        return words.joined(separator: " ")
    }
}

/// A fixed-width table of results, one row each, for people.
func table(of results: [BenchResult]) -> String {
    let header = ["measurement", "configuration", "runs", "median s", "min s", "max s", "per second", "other cores"]
    let rows = results.map { result in
        [
            result.name, result.configuration, String(result.runs.count),
            String(format: "%.4f", result.medianSeconds),
            String(format: "%.4f", result.minSeconds),
            String(format: "%.4f", result.maxSeconds),
            result.itemsPerSecond.map { String(format: "%.0f", $0) } ?? "",
            result.otherCores.map { String(format: "%.2f", $0) } ?? "?",
        ]
    }
    let widths = header.indices.map { column in
        ([header] + rows).map { $0[column].count }.max()!
    }
    func line(_ cells: [String]) -> String {
        zip(cells, widths).map { cell, width in cell.padding(toLength: width, withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
}
