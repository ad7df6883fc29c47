// Turning the paths on the command line into the list of images to classify, in the order given:
// a file as it is, a directory as its images (.png, .jpg, .jpeg; with --recursive, those of its
// subfolders too), `-` as one image read from standard input. A directory with nothing to classify
// is a failure of its own, reported in its place and saying what the directory does hold, so
// that it is never skipped silently. Folders are listed by the MNIST library's one walker
// (FolderListing), which keeps names as bytes: a name that is not UTF-8 still opens.

import Foundation
import MNIST
import NeuralNet

/// One thing to classify, or why a path gave nothing to classify.
enum Input {
    /// A file to read; `savedAs` is its path below the directory it was found in (its name when
    /// given itself), which `--save-preprocessed` mirrors.
    case file(FileSystemPath, savedAs: String)
    /// Bytes already read (standard input), shown under `name`.
    case bytes(name: String, [UInt8])
    /// A path with nothing to classify, such as an empty directory.
    case unusable(FileError)

    /// The name printed in front of the prediction.
    var name: String {
        switch self {
        case .file(let path, _): return path.description
        case .bytes(let name, _): return name
        case .unusable(let failure): return failure.path
        }
    }

    /// Where below `--save-preprocessed` the input's 28×28 image goes, as a PNG: `sub/x.jpg`
    /// becomes `sub/x.png`, standard input `stdin.png`. Nil for what gives nothing to classify.
    var savedName: String? {
        switch self {
        case .file(_, let relative):
            let name = relative as NSString
            switch name.pathExtension.lowercased() {
            case "png": return relative
            case "jpg", "jpeg": return name.deletingPathExtension + ".png"
            default: return relative + ".png"
            }
        case .bytes: return "stdin.png"
        case .unusable: return nil
        }
    }
}

/// Expands command-line paths into inputs.
struct InputCollection {
    /// The argument that stands for standard input.
    static let standardInputName = "-"

    /// Whether directories are walked into their subfolders.
    var recursive: Bool

    /// The inputs of `paths`, in order; a directory's images sorted by their path below it.
    func inputs(_ paths: [String]) -> [Input] {
        paths.flatMap { path -> [Input] in
            if path == Self.standardInputName { return [standardInput()] }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [.file(FileSystemPath(path), savedAs: (path as NSString).lastPathComponent)]
            }
            return directory(FileSystemPath(path))
        }
    }

    private func standardInput() -> Input {
        do {
            return .bytes(name: Self.standardInputName, try readToEnd(STDIN_FILENO, path: "standard input"))
        } catch {
            return .unusable(FileError(path: Self.standardInputName, reason: error.reason))
        }
    }

    /// A directory's images, or one failure saying why it has none.
    private func directory(_ path: FileSystemPath) -> [Input] {
        let images: [FileSystemPath], failures: [FileError], skipped: [FolderEntry]
        do {
            if recursive {
                let walk = try FolderWalk(below: path)
                (images, failures, skipped) = (walk.images, walk.failures, walk.skipped)
            } else {
                let listing = try FolderListing(of: path)
                (images, failures, skipped) = (listing.images, [], listing.others + listing.entries.filter { $0.kind == .folder })
            }
        } catch {
            return [.unusable(error)]
        }
        let inputs = images.map { Input.file($0, savedAs: FolderEntry(path: $0, kind: .image).path(below: path)) }
            + failures.map { Input.unusable($0) }
        guard inputs.isEmpty else { return inputs.sorted { $0.name < $1.name } }
        return [.unusable(FileError(path: path.description, reason: Self.nothingToClassify(in: path, skipped, recursive: recursive)))]
    }

    /// Why `directory` gave no input, saying what it holds instead: "holds no images (.png, .jpg,
    /// .jpeg), only readme.txt (not an image) and the folder sub/ (add --recursive …)".
    static func nothingToClassify(in directory: FileSystemPath, _ skipped: [FolderEntry], recursive: Bool) -> String {
        guard !skipped.isEmpty else { return recursive ? "holds no files, neither in it nor in its subfolders" : "is empty" }
        let folders = skipped.filter { $0.kind == .folder }.map { $0.path(below: directory) + "/" }
        var parts = skipped.filter { $0.kind != .folder }.map { $0.summary(as: $0.path(below: directory)) }
        if !folders.isEmpty {
            let (noun, pronoun) = folders.count == 1 ? ("folder", "it") : ("folders", "them")
            parts.append("the \(noun) \(FolderListing.summary(of: folders)) (add --recursive to classify the images in \(pronoun))")
        }
        let place = recursive ? ", neither in it nor in its subfolders" : ""
        return "holds no images (\(FolderListing.extensionList))\(place), only \(FolderListing.summary(of: parts))"
    }
}
