// What the tools need to know about where their output goes: whether standard output is a
// terminal that takes cursor movement, how wide it is, and buffering that keeps lines in order.

import Foundation

/// Standard output's terminal, if any.
public enum Terminal {
    /// Whether standard output may be redrawn in place: a terminal, and not one that declares
    /// itself unable to move the cursor (`TERM=dumb`, as in Emacs shells and some CI logs).
    public static func isLive(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isatty(STDOUT_FILENO) != 0 && environment["TERM"] != "dumb"
    }

    /// Standard output's width in columns: the terminal's own, else `$COLUMNS`, else 80.
    public static func columns(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        return 80
    }
}
