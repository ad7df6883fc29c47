// Wall-clock timing on a monotonic clock, and the median/min/max summary every benchmark reports.

/// Seconds elapsed between two instants of `ContinuousClock` (monotonic, unaffected by clock changes).
func seconds(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Double {
    let duration = end - start
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}

/// Runs `body` once and returns how long it took, in seconds.
func time(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    return seconds(from: start, to: clock.now)
}

/// The durations of repeated runs of one measurement, summarised.
struct Timings: Sendable {
    /// Every timed run in order, in seconds (warm-up runs excluded).
    let runs: [Double]

    init(runs: [Double]) {
        precondition(!runs.isEmpty, "a measurement needs at least one run")
        self.runs = runs
    }

    /// The middle run, or the mean of the two middle runs for an even count.
    var median: Double {
        let sorted = runs.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var min: Double { runs.min()! }
    var max: Double { runs.max()! }
}

/// Runs `body` `warmups + repeats` times and keeps the durations `body` reports for the last `repeats`.
///
/// `body` returns its own duration so that a run can time only part of what it does (an epoch's
/// training steps without the set-up around them).
func measure(repeats: Int, warmups: Int, _ body: () throws -> Double) rethrows -> Timings {
    var runs: [Double] = []
    for index in 0..<(warmups + repeats) {
        let duration = try body()
        if index >= warmups { runs.append(duration) }
    }
    return Timings(runs: runs)
}
