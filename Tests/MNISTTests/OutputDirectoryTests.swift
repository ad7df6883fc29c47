// The output-directory helper the reports and the tools share.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

@Suite struct OutputDirectoryTests {
    @Test func createsMissingParentsAndAcceptsAnExistingDirectory() throws {
        let scratch = try ScratchDirectory()
        let nested = scratch.path("a/b/c")
        try OutputDirectory.make(nested)
        try OutputDirectory.make(nested)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func refusesAFileInTheWay() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("taken", [1])
        #expect(throws: FileError(path: file, reason: "is a file, not a directory")) { try OutputDirectory.make(file) }
        #expect(throws: FileError.self) { try OutputDirectory.make(file + "/below") }
    }
}
