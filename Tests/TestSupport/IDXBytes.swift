// Fixtures for the IDX tests: IDX bytes built in memory, gzip through the system's gzip, and
// scratch directories.

import Foundation
import Testing

/// IDX bytes: the magic (two zero bytes, `type`, the dimension count), big-endian dimensions,
/// then `data` (by default one byte per declared element, counting up).
func idxBytes(dimensions: [UInt32], type: UInt8 = 0x08, data: [UInt8]? = nil) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
    for dimension in dimensions {
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: dimension >> $0) }
    }
    if let data { return bytes + data }
    let count = dimensions.reduce(1) { $0 * Int($1) }
    return bytes + (0..<count).map { UInt8(truncatingIfNeeded: $0) }
}

/// `bytes` compressed by `gzip -c -n`.
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-c", "-n"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    // Write on another thread so a full output pipe cannot deadlock against a full input pipe.
    let writer = Thread {
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
    }
    writer.start()
    let compressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "gzip failed")
    return [UInt8](compressed)
}

/// A scratch directory that removes itself when the test is done with it.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("MNISTTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    var path: String { url.path }
}

/// The bundled MNIST directory, `data/mnist` at the package root.
let bundledMNISTDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data/mnist").path
