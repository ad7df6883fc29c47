// gzip through the system's gzip, so the tests' compressed fixtures are not made by the code
// they test.

import Foundation

/// The system's gzip failed.
public struct GzipFailed: Error, CustomStringConvertible {
    public var status: Int32
    public var description: String { "gzip -c -n exited with status \(status)" }
}

/// `bytes` compressed by `gzip -c -n`.
/// - Throws: `GzipFailed`, or the error that kept gzip from starting.
public func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
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
    guard process.terminationStatus == 0 else { throw GzipFailed(status: process.terminationStatus) }
    return [UInt8](compressed)
}
