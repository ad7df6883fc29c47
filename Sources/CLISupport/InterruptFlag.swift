// Ctrl-C (SIGINT) and SIGTERM as requests rather than kills: the handler only records the signal,
// and the tool finishes its current step, saves what it can and exits with status 128 + the
// signal's number (130 for SIGINT, 143 for SIGTERM), as shells and process managers expect.
// SIGTERM is what `kill`, `timeout`, systemd and container runtimes send to stop a process.

import Foundation
import Synchronization

/// Whether SIGINT or SIGTERM has arrived since `install()`, and which came first.
public enum InterruptFlag {
    /// The first signal received, or 0.
    private static let received = Atomic<Int32>(0)

    /// The signals treated as a request to stop.
    public static let signals: [Int32] = [SIGINT, SIGTERM]

    /// Replaces the default action of SIGINT and SIGTERM (ending the process at once) with
    /// recording the signal. A second signal while the first is being handled ends the process
    /// as usual.
    public static func install() {
        // A parent may hand the signals down blocked (some process launchers do); unblock them
        // so the handler runs.
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for number in signals {
            signal(number) { number in
                if InterruptFlag.received.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged { return }
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    /// Whether a stop was requested.
    public static var isRaised: Bool { received.load(ordering: .relaxed) != 0 }

    /// The exit status of a process stopped by the signal received: 128 + its number (130 for
    /// SIGINT, 143 for SIGTERM).
    public static var exitStatus: Int32 { 128 + received.load(ordering: .relaxed) }

    /// How the stop was asked for, for messages: `Ctrl-C`, `SIGTERM`, or nil if it was not.
    public static var requestName: String? {
        switch received.load(ordering: .relaxed) {
        case 0: return nil
        case SIGINT: return "Ctrl-C"
        case SIGTERM: return "SIGTERM"
        case let other: return "signal \(other)"
        }
    }
}
