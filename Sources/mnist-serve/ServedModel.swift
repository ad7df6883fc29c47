// The model being served, replaceable while requests run: a request takes the current classifier
// once and keeps it to the end, so a switch (SIGHUP, or a fine-tune that did better) never drops
// or mixes a request in flight; the old networks go when their last request does.

import Synchronization

/// The classifier requests use now.
final class ServedModel: Sendable {
    private let current: Mutex<DigitClassifier>

    init(_ classifier: DigitClassifier) {
        current = Mutex(classifier)
    }

    /// The classifier to use for one request.
    var classifier: DigitClassifier { current.withLock { $0 } }

    /// Serves `classifier` from now on.
    func serve(_ classifier: DigitClassifier) {
        current.withLock { $0 = classifier }
    }

    /// Loads the served model's file again and serves it; the model served stays on failure.
    /// - Returns: the new classifier.
    /// - Throws: what loading the file throws.
    @discardableResult
    func reload() throws -> DigitClassifier {
        let fresh = try classifier.reloaded()
        serve(fresh)
        return fresh
    }
}
