// `--threads`: how many threads a tool splits its matrix products across, checked once for all
// tools against what a ComputePool can hold.

import ArgumentParser
import NeuralNet

/// The `--threads` option of the tools that train or evaluate a network.
public struct ThreadOptions: ParsableArguments {
    /// The thread counts a `ComputePool` accepts.
    public static let allowed = 1...255

    @Option(name: .customLong("threads"), parsing: .unconditional,
            help: ArgumentHelp("Threads to split the matrix products across, 1 to 255 (default: one per core).", valueName: "n"))
    public var requestedThreads: Int?

    /// The thread count to use: the one given, or one per core.
    public var threads: Int { requestedThreads ?? ComputePool.availableCores }

    /// Whether `--threads` was given.
    public var threadsGiven: Bool { requestedThreads != nil }

    public init() {}

    public func validate() throws {
        try Self.check(threads)
    }

    /// Refuses a thread count a `ComputePool` cannot hold, naming the option.
    /// - Throws: `ValidationError` saying which counts are allowed.
    public static func check(_ count: Int, option: String = "--threads") throws {
        guard allowed.contains(count) else {
            throw ValidationError("\(option) must be \(allowed.lowerBound) to \(allowed.upperBound), got \(count)")
        }
    }
}
