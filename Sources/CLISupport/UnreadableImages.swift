// One way for every tool to list the images of a folder it could not read.

import Foundation
import MNIST
import NeuralNet

/// Writes one line per unreadable image to standard error: `DIR/3/x.png: error: … (skipped)`.
/// - Parameter consequence: what became of the image, as the tool puts it (`not counted`, `skipped`).
public func reportUnreadable(_ failures: [FileError], consequence: String) {
    for failure in failures {
        FileHandle.standardError.write(Data("\(failure.path): error: \(failure.reason) (\(consequence))\n".utf8))
    }
}
