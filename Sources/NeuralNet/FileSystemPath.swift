// A path as the file system holds it: bytes, which need not be UTF-8. Names found by listing a
// folder are kept this way, so that a file called `caf\xE9.png` (Latin-1) can still be opened;
// a Swift `String` would replace the byte with U+FFFD and name a file that does not exist.

/// A file-system path kept as its bytes, printable through `description`.
public struct FileSystemPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The path's bytes, without a terminating zero.
    public let bytes: [UInt8]

    /// The path of a string, as the user typed it.
    public init(_ string: String) {
        bytes = Array(string.utf8)
    }

    /// The path of raw bytes, as `readdir` gives them.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The path for messages: its UTF-8 text, any byte that is not UTF-8 shown as U+FFFD.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// The last component, as `NSString.lastPathComponent` gives it.
    public var lastComponent: FileSystemPath {
        var trimmed = bytes[...]
        while trimmed.count > 1, trimmed.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: UInt8(ascii: "/")), trimmed.count > 1 else {
            return FileSystemPath(bytes: Array(trimmed))
        }
        return FileSystemPath(bytes: Array(trimmed[(slash + 1)...]))
    }

    /// `self/name`, with one slash between them.
    public func appending(_ name: FileSystemPath) -> FileSystemPath {
        if bytes.isEmpty { return name }
        return FileSystemPath(bytes: bytes.last == UInt8(ascii: "/") ? bytes + name.bytes : bytes + [UInt8(ascii: "/")] + name.bytes)
    }

    /// Calls `body` with the path as a zero-terminated C string.
    public func withCString<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// Byte order, which is the order `ls` shows in the C locale.
    public static func < (lhs: FileSystemPath, rhs: FileSystemPath) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
