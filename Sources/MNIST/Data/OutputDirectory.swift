// Making the directory a tool writes its outputs into (an HTML report, preprocessed images), with
// errors that say what is in the way. Here rather than in a tool because the reports need it too.

import Foundation
import NeuralNet

/// A directory that outputs are written into.
public enum OutputDirectory {
    /// Creates `path` and its parents, unless it is already a directory, and checks that files
    /// can be made in it.
    /// - Throws: `FileError` for `path` when it is a file, cannot be created, or does not take new
    ///   files (with the system's reason).
    public static func make(_ path: String) throws(FileError) {
        guard !path.isEmpty else { throw FileError(path: path, reason: "an empty path names no directory") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileError(path: path, reason: "is a file, not a directory") }
            try checkWritableDirectory(path)
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: path, reason: "cannot be created (\(String(cString: strerror(errno))))")
        }
    }
}

extension OutputDirectory {
    /// Checks that files can be created in the directory `path` by creating one and removing it:
    /// a permission test alone would pass for root on a read-only file system.
    /// - Throws: `FileError` for `path` with the system's reason.
    public static func checkWritable(_ path: String) throws(FileError) {
        let probe = (path as NSString).appendingPathComponent(".write-test-\(UUID().uuidString)")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw FileError(path: path, reason: "is not writable (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        unlink(probe)
    }
}
