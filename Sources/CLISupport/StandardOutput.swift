// Whether what a tool printed reached its standard output. `print` never fails: a write to a full
// disk, /dev/full or a closed terminal only sets the C stream's error flag, and a tool that
// ignored it would exit 0 having written nothing.

@preconcurrency import Glibc

/// Standard output's final check, made once as a tool ends.
public enum StandardOutput {
    /// The exit status of a run whose own status was `status`, once standard output has been
    /// flushed: `status` if everything printed was written, else a failure (1, or `status` if it
    /// already was one), with a message on standard error.
    public static func finish(status: Int32) -> Int32 {
        // fflush's errno is the reason when the last lines were still buffered; an earlier line's
        // failure only left the stream's error flag, and its errno is gone.
        errno = 0
        let flushFailed = fflush(stdout) != 0
        let reason = flushFailed && errno != 0 ? " (\(String(cString: strerror(errno))))" : ""
        guard flushFailed || ferror(stdout) != 0 else { return status }
        StandardError.write("Error: standard output could not be written\(reason); what this tool printed is incomplete\n")
        return status == 0 ? 1 : status
    }
}

/// Messages to standard error, unbuffered.
public enum StandardError {
    /// Writes `text` as it is (add the newline yourself).
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // nowhere left to report it
                }
            }
        }
    }
}
