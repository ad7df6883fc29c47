// Reading whole files and writing them atomically, with errors that name the file.

import Foundation

/// A file that could not be read, written or used.
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var path: String
    /// What went wrong, in words.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Reads a whole file: a regular file, or a pipe or device such as `/dev/stdin` or a shell's
/// `<(command)`, read to its end.
/// - Throws: `FileError` when it is missing, a directory, or unreadable, with the system's reason.
public func readFile(_ path: String) throws(FileError) -> [UInt8] {
    try readFile(FileSystemPath(path))
}

/// Reads a whole file whose path is kept as bytes (a name found by listing a folder); errors
/// carry the path's printable form.
/// - Throws: `FileError` when it is missing, a directory, or unreadable, with the system's reason.
public func readFile(_ path: FileSystemPath) throws(FileError) -> [UInt8] {
    let name = path.description
    var info = stat()
    guard path.withCString({ stat($0, &info) }) == 0 else {
        let reason = errno == ENOENT || errno == ENOTDIR ? "no such file" : "cannot be read: \(String(cString: strerror(errno)))"
        throw FileError(path: name, reason: reason)
    }
    guard (info.st_mode & S_IFMT) != S_IFDIR else { throw FileError(path: name, reason: "is a directory, not a file") }
    let descriptor = path.withCString { open($0, O_RDONLY) }
    guard descriptor >= 0 else { throw FileError(path: name, reason: "cannot be read: \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    return try readToEnd(descriptor, path: name)
}

/// Everything left to read from an open descriptor (a file, a pipe, standard input).
/// - Throws: `FileError` with `path` as the name when a read fails.
public func readToEnd(_ descriptor: Int32, path: String) throws(FileError) -> [UInt8] {
    var bytes: [UInt8] = []
    // A regular file is read in chunks of its own size (small PNGs are a few hundred bytes, and
    // zeroing 64 KiB for each of thousands of them showed in mnist-predict's time); a pipe in 64 KiB.
    var info = stat()
    let isRegular = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    let chunkSize = isRegular ? min(max(Int(info.st_size), 1), 1 << 26) : 1 << 16
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            throw FileError(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
        }
        bytes.append(contentsOf: chunk[..<count])
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file beside it, then renamed over it, so
/// a reader sees the old file or the new one, never half of one, and a failure leaves the old one.
/// - Throws: `FileError` when the directory is missing or not writable, or the disk is full.
public func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw FileError(path: path, reason: "cannot write: directory \(directory) does not exist")
    }
    // Unique per call, not just per process: two threads may write beside each other.
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o666)
    guard descriptor >= 0 else {
        throw FileError(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
    var failure: Int32 = 0
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                failure = written < 0 ? errno : ENOSPC
                return
            }
            offset += written
        }
    }
    if close(descriptor) != 0 && failure == 0 { failure = errno }
    guard failure == 0 else {
        unlink(temporary.path)
        throw FileError(path: path, reason: "cannot write: \(String(cString: strerror(failure)))")
    }
    guard rename(temporary.path, path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw FileError(path: path, reason: "cannot replace the file: \(reason)")
    }
}

/// Checks, before any work, that `writeFileAtomically(_:to:)` will be able to write `path`: its
/// directory exists and takes new files, and `path` is not a directory or a device (the rename
/// that makes the write atomic would replace a device node or a pipe instead of writing to it).
/// - Throws: `FileError` saying what is in the way.
public func checkWritable(_ path: String) throws(FileError) {
    guard !path.isEmpty else { throw FileError(path: path, reason: "an empty path names no file") }
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw FileError(path: path, reason: "cannot write: directory \(directory) does not exist")
    }
    var info = stat()
    if stat(path, &info) == 0 {
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileError(path: path, reason: "cannot write: it is a directory")
        default: throw FileError(path: path, reason: "cannot write: it is not a regular file (a device, pipe or socket); name a file")
        }
    }
    do {
        try checkWritableDirectory(directory)
    } catch {
        throw FileError(path: path, reason: "cannot write: directory \(directory) \(error.reason)")
    }
}

/// Checks that new files can be made in `directory` by making one and removing it. A test of the
/// permission bits alone (`access`) would pass for root on a read-only file system's
/// directories that refuse even root, and for files a full inode table cannot hold.
/// - Throws: `FileError` for `directory`, with the system's reason.
public func checkWritableDirectory(_ directory: String) throws(FileError) {
    let probe = URL(fileURLWithPath: directory).appendingPathComponent(".write-check.\(UUID().uuidString).tmp").path
    let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else {
        throw FileError(path: directory, reason: "does not take new files (\(String(cString: strerror(errno))))")
    }
    close(descriptor)
    unlink(probe)
}
