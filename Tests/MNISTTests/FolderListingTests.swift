// The one folder walker (FolderListing, FolderWalk) and the labelled folder built on it: which
// entries are images, what the others are called in messages, names that are not UTF-8, and
// what mnist-eval --images-dir skips.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

/// A file name that is not UTF-8: "café.png" with é in Latin-1.
private let latin1Name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".png".utf8)

/// Creates a file whose name is raw bytes in `directory`.
private func createFile(named name: [UInt8], in directory: String, bytes: [UInt8]) throws {
    let path = FileSystemPath(directory).appending(FileSystemPath(bytes: name))
    let descriptor = path.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
    try #require(descriptor >= 0)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}

/// A 28×28 PNG holding a bar, dark on white: something preprocessing finds ink in.
private func digitPNG() throws -> [UInt8] {
    var image = GrayImage(width: 28, height: 28, filledWith: 255)
    for y in 4..<24 { for x in 12..<16 { image[x: x, y: y] = 0 } }
    return try image.pngData()
}

@Suite struct FolderListingTests {
    @Test func entriesAreSortedAndKnownByKind() throws {
        let scratch = try ScratchDirectory(prefix: "FolderListingTests")
        for name in ["b.PNG", "a.jpg", "c.JPEG", "readme.txt", "scan.gif", ".hidden.png"] {
            try scratch.write(name, [1])
        }
        _ = try scratch.subdirectory("sub")
        try FileManager.default.createSymbolicLink(atPath: scratch.path("loop"), withDestinationPath: scratch.path)
        let listing = try FolderListing(of: FileSystemPath(scratch.path))
        let names = listing.entries.map { $0.summary() }
        #expect(names == [
            "a.jpg", "b.PNG", "c.JPEG", "loop/ (a link to a folder, not followed)", "readme.txt (not an image)",
            "scan.gif (a GIF image; only PNG and JPEG images are read)", "sub/ (a folder)",
        ])
        #expect(listing.images.map(\.lastComponent.description) == ["a.jpg", "b.PNG", "c.JPEG"])
        #expect(listing.folders.map(\.lastComponent.description) == ["sub"])
    }

    @Test func aWalkFindsImagesAtAnyDepthAndListsTheRest() throws {
        let scratch = try ScratchDirectory(prefix: "FolderListingTests-walk")
        _ = try scratch.subdirectory("x/y")
        try scratch.write("x/y/deep.png", [1])
        try scratch.write("x/notes.txt", [1])
        try scratch.write("top.jpeg", [1])
        let walk = try FolderWalk(below: FileSystemPath(scratch.path))
        #expect(walk.images.map { $0.description } == [scratch.path("top.jpeg"), scratch.path("x/y/deep.png")])
        #expect(walk.skipped.map { $0.path(below: FileSystemPath(scratch.path)) } == ["x/notes.txt"])
        #expect(walk.failures.isEmpty)
    }

    @Test func aNameThatIsNotUTF8CanStillBeRead() throws {
        let scratch = try ScratchDirectory(prefix: "FolderListingTests-latin1")
        let png = try digitPNG()
        try createFile(named: latin1Name, in: scratch.path, bytes: png)
        let listing = try FolderListing(of: FileSystemPath(scratch.path))
        let path = try #require(listing.images.first)
        #expect(path.lastComponent.bytes == latin1Name)
        #expect(path.description.hasSuffix("caf\u{FFFD}.png"))
        #expect(try readFile(path) == png)
        // The same name as a String (U+FFFD in place of the byte) names no file.
        #expect(throws: FileError.self) { try readFile(path.description) }
    }

    @Test func aMissingFolderSaysSo() {
        #expect(throws: FileError(path: "/no/such/folder", reason: "no such directory")) {
            try FolderListing(of: FileSystemPath("/no/such/folder"))
        }
    }
}

@Suite struct LabelledImageFolderTests {
    @Test func foldersThatAreNotClassesAreListedAsSkipped() throws {
        let scratch = try ScratchDirectory(prefix: "LabelledImageFolderTests")
        let png = try digitPNG()
        for folder in ["1", "03", "seven", "10"] {
            _ = try scratch.subdirectory(folder)
            try scratch.write("\(folder)/a.png", png)
        }
        try scratch.write("1/notes.txt", [1])
        try scratch.write("readme.txt", [1])
        let folder = try LabelledImageFolder(directory: scratch.path)
        #expect(folder.files == [scratch.path("1/a.png")])
        #expect(folder.dataset.labels == [1])
        #expect(folder.skipped == [
            "\(scratch.path("03"))/ (a folder; class folders are named 0 … 9)",
            "\(scratch.path("1/notes.txt")) (not an image)",
            "\(scratch.path("10"))/ (a folder; class folders are named 0 … 9)",
            "\(scratch.path("readme.txt")) (not an image)",
            "\(scratch.path("seven"))/ (a folder; class folders are named 0 … 9)",
        ])
    }

    @Test func withNothingUsableTheErrorSaysWhatWasFound() throws {
        let scratch = try ScratchDirectory(prefix: "LabelledImageFolderTests-none")
        _ = try scratch.subdirectory("seven")
        _ = try scratch.subdirectory("03")
        try scratch.write("a.png", try digitPNG())
        let error = try #require(throws: LabelledImageFolderError.self) { try LabelledImageFolder(directory: scratch.path) }
        #expect(error.description.hasSuffix(
            "has no class folders: expected subfolders 0 … 9 holding images (.png, .jpg, .jpeg), as in DIR/0/a.png, DIR/7/b.jpg; "
            + "it holds 03/ (a folder; not a class name), a.png, seven/ (a folder; not a class name)"), "\(error)")

        let empty = try ScratchDirectory(prefix: "LabelledImageFolderTests-emptyclass")
        _ = try empty.subdirectory("4")
        try empty.write("4/scan.bmp", [1])
        let noImages = try #require(throws: LabelledImageFolderError.self) { try LabelledImageFolder(directory: empty.path) }
        #expect(noImages.description.hasSuffix("its class folders hold no images (.png, .jpg, .jpeg); they hold \(empty.path("4/scan.bmp")) (a BMP image; only PNG and JPEG images are read)"), "\(noImages)")
    }

    @Test func aFileIsNotADirectory() throws {
        let scratch = try ScratchDirectory(prefix: "LabelledImageFolderTests-file")
        let file = try scratch.write("digit.png", try digitPNG())
        #expect(throws: LabelledImageFolderError.notADirectory(file, reason: "is a file, not a directory of class folders 0 … 9")) {
            try LabelledImageFolder(directory: file)
        }
        #expect(throws: LabelledImageFolderError.notADirectory("/no/such", reason: "no such directory")) {
            try LabelledImageFolder(directory: "/no/such")
        }
    }
}
