// A failure found while a tool runs (not a misuse of its options): printed as "Error: …" without
// the usage text, with exit status 1.

/// A runtime failure with a message a user can act on.
public struct RunFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
