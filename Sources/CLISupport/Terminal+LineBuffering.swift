// Line-buffered standard output, so that `2>&1` keeps lines in the order they were printed.

// Only Glibc here, imported @preconcurrency: `stdout` is a C global that Swift 6 cannot prove
// safe, and through Foundation's re-export the import attribute does not apply. It is changed
// once, before any thread starts.
@preconcurrency import Glibc

extension Terminal {
    /// Makes standard output line-buffered. Piped into a file or `tee` it would otherwise be
    /// block-buffered while standard error is not, and under `2>&1` an error printed later would
    /// come out before lines printed earlier. Call it first thing in `run()`.
    public static func lineBufferStandardOutput() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }
}
