// A temporary directory per test (or per shared fixture), removed when it is released.

import Foundation

/// A fresh directory under the system's temporary directory that removes itself on deinit.
public final class ScratchDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates `<tmp>/<prefix>-<process id>-<UUID>`, first removing any `<prefix>-<id>-…` whose
    /// process has ended: a fixture shared through a `static let` is never released, so its
    /// directory outlives the test run, and the next run clears it.
    public init(prefix: String = "mnist-swift-tests") throws {
        let temporary = FileManager.default.temporaryDirectory
        Self.removeLeftovers(of: prefix, in: temporary)
        let process = ProcessInfo.processInfo.processIdentifier
        url = temporary.appendingPathComponent("\(prefix)-\(process)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Removes `<prefix>-<id>-…` directories in `folder` whose process `<id>` no longer runs.
    private static func removeLeftovers(of prefix: String, in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(prefix + "-") {
            let rest = name.dropFirst(prefix.count + 1)
            guard let dash = rest.firstIndex(of: "-"), let id = Int32(rest[..<dash]), id > 0,
                  !FileManager.default.fileExists(atPath: "/proc/\(id)") else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The directory's path.
    public var path: String { url.path }

    /// The path of `name` inside the directory (which need not exist).
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// The names of the files and directories in it.
    public var contents: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    }

    /// A new, empty subdirectory `name`, created with its parents.
    public func subdirectory(_ name: String) throws -> URL {
        let directory = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Writes `bytes` to `name` in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = self.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
