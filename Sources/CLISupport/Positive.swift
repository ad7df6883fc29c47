// The one check of counts given on the command line, so every tool words it the same way.

import ArgumentParser

/// Refuses a count that is zero or negative, naming the option: `--top must be positive, got -1`.
/// (Options that take counts use `parsing: .unconditional`, so that `-1` reaches this check
/// instead of being read as an option and reported as a missing value.)
/// - Throws: `ValidationError`.
public func requirePositive(_ option: String, _ value: Int?) throws {
    if let value, value <= 0 { throw ValidationError("\(option) must be positive, got \(value)") }
}
