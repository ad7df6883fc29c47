// Ctrl-C as a request rather than a kill: the handler only sets a flag, and the tool finishes its
// current step, saves what it can and exits with status 130 (128 + SIGINT), as shells expect.

import Foundation
import Synchronization

/// Whether SIGINT has arrived since `install()`.
public enum InterruptFlag {
    private static let raised = Atomic<Bool>(false)

    /// The exit status of a process stopped by SIGINT.
    public static let exitStatus: Int32 = 130

    /// Replaces SIGINT's default action (ending the process at once) with setting the flag. A
    /// second Ctrl-C while the first is being handled ends the process as usual.
    public static func install() {
        // A parent may hand the signal down blocked (some process launchers do); unblock it so
        // the handler runs.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            if InterruptFlag.raised.exchange(true, ordering: .relaxed) {
                signal(SIGINT, SIG_DFL)
                raise(SIGINT)
            }
        }
    }

    /// Whether Ctrl-C was pressed.
    public static var isRaised: Bool { raised.load(ordering: .relaxed) }
}
