// mnist-serve --collect DIR: the page's drawings, each saved as the PNG that was classified under
// DIR/<digit>/, the layout mnist-train --images-dir and mnist-eval --images-dir read. The server
// makes every name itself (time and a random UUID), so two saves never collide and no request can
// name a path, let alone one outside DIR; files are written atomically.

import Foundation
import Hummingbird
import MNIST
import NeuralNet
import Synchronization

/// The folder of collected digits and how many of each it holds.
final class SampleStore: Sendable {
    /// The default `--collect-limit`: far more than anyone draws, far less than fills a disk
    /// (a drawing is 2–10 KB).
    static let defaultLimit = 10_000

    /// The folder, as given.
    let directory: String
    /// The most image files the folder may hold; a save beyond it is refused with 507.
    let limit: Int
    /// Images in each class folder, counted at start and kept up to date.
    private let counts: Mutex<[Int]>

    /// Opens `directory` for collecting, making it (and its parents) if it does not exist, and
    /// counts the images already in its class folders.
    /// - Throws: `FileError` when it cannot be made, is a file, or does not take new files.
    init(directory: String, limit: Int = SampleStore.defaultLimit) throws(FileError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileError(path: directory, reason: "is a file, not a folder to collect digits in") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw FileError(path: directory, reason: "cannot be made: \((error as NSError).localizedDescription)")
            }
        }
        try checkWritableDirectory(directory)
        self.directory = directory
        self.limit = limit
        // The walk mnist-train's folder reader makes, so the counts are of the images it will read.
        counts = Mutex((0..<MNISTDataset.classCount).map { digit in
            (try? FolderWalk(below: FileSystemPath(directory).appending(FileSystemPath(String(digit)))).images.count) ?? 0
        })
    }

    /// Images of each digit, 0 first.
    var classCounts: [Int] { counts.withLock { $0 } }

    /// Saves `png` as a drawing of `digit` and returns its path relative to the folder
    /// (`7/20261203-101502-….png`) and the new counts.
    /// - Throws: `APIError` 507 when the folder holds `limit` images, 500 when the file cannot
    ///   be written.
    func save(_ png: [UInt8], digit: Int) throws(APIError) -> (path: String, counts: [Int]) {
        precondition((0..<MNISTDataset.classCount).contains(digit), "digits are checked by the route")
        // The place is taken before the write, so concurrent saves cannot pass the limit together.
        try counts.withLock { counts throws(APIError) in
            let total = counts.reduce(0, +)
            guard total < limit else {
                throw APIError(.insufficientStorage, "the collection in \(directory) holds \(total) images, its limit (--collect-limit \(limit)); move some out or raise the limit")
            }
            counts[digit] += 1
        }
        let relative = "\(digit)/\(Self.fileName())"
        let classFolder = (directory as NSString).appendingPathComponent(String(digit))
        do {
            try FileManager.default.createDirectory(atPath: classFolder, withIntermediateDirectories: true)
            try writeFileAtomically(png, to: (directory as NSString).appendingPathComponent(relative))
        } catch {
            counts.withLock { $0[digit] -= 1 }
            let reason = (error as? FileError)?.description ?? "\(classFolder): \((error as NSError).localizedDescription)"
            throw APIError(.internalServerError, "the drawing could not be saved: \(reason)")
        }
        return (relative, classCounts)
    }

    /// `20261203-101502-1f0c…e9.png`: the UTC time for people sorting by name, and a random
    /// UUID so that no two names are the same.
    private static func fileName() -> String {
        "\(UTCStamp.now())-\(UUID().uuidString.lowercased()).png"
    }
}
