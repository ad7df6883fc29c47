// SIGHUP reloads the model file, as Unix servers reread their configuration: replace the file
// (atomically, with mv), send SIGHUP, and new requests get the new model while those in flight
// finish on the old one (ServedModel).

import Dispatch
import Foundation

/// Reloads the served model's file on every SIGHUP until the returned source is released; a file
/// that cannot be loaded leaves the model served as it is, and says why on standard error.
func reloadOnHangup(_ model: ServedModel) -> DispatchSourceSignal {
    // The default action of SIGHUP ends the process; the dispatch source sees it only when ignored.
    signal(SIGHUP, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "mnist-serve.sighup"))
    source.setEventHandler {
        do {
            let fresh = try model.reload()
            FileHandle.standardOutput.write(Data("mnist-serve: SIGHUP: reloaded \(fresh.modelPath): \(fresh.summary)\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("mnist-serve: SIGHUP: kept the model served: \(error)\n".utf8))
        }
    }
    source.resume()
    return source
}
