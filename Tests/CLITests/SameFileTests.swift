// `sameFile`: two spellings of one output are one file, existing or not; two files are two.

import CLISupport
import Foundation
import TestSupport
import Testing

@Suite struct SameFileTests {
    @Test func spellingsOfOneFileAreTheSameFile() throws {
        let directory = try ScratchDirectory(prefix: "SameFile")
        let a = directory.path("a.bin")
        // Not there yet: compared by resolved path.
        #expect(sameFile(a, directory.path("sub/../a.bin")))
        #expect(sameFile(a, directory.path("./a.bin")))
        #expect(!sameFile(a, directory.path("b.bin")))
        #expect(!sameFile(a, ""))
        // There: a symbolic link and a hard link name it too; a copy does not.
        try Data("x".utf8).write(to: URL(fileURLWithPath: a))
        try FileManager.default.createSymbolicLink(atPath: directory.path("soft.bin"), withDestinationPath: "a.bin")
        try FileManager.default.linkItem(atPath: a, toPath: directory.path("hard.bin"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory.path("copy.bin")))
        #expect(sameFile(a, directory.path("soft.bin")))
        #expect(sameFile(a, directory.path("hard.bin")))
        #expect(!sameFile(a, directory.path("copy.bin")))
    }
}
