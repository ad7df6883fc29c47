// Turning the paths on the command line into the list of images to classify, in the order given:
// a file as it is, a directory as its .png files (with --recursive, those of its subfolders too),
// `-` as one PNG read from standard input. A directory with nothing to classify is a failure of
// its own, reported in its place, so that it is never skipped silently.

import Foundation
import NeuralNet

/// One thing to classify, or why a path gave nothing to classify.
enum Input {
    /// A file to read.
    case file(String)
    /// Bytes already read (standard input), shown under `name`.
    case bytes(name: String, [UInt8])
    /// A path with nothing to classify, such as an empty directory.
    case unusable(ImageFailure)

    /// The name printed in front of the prediction.
    var name: String {
        switch self {
        case .file(let path): return path
        case .bytes(let name, _): return name
        case .unusable(let failure): return failure.path
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
                return [.file(path)]
            }
            return directory(path)
        }
    }

    private func standardInput() -> Input {
        do {
            return .bytes(name: Self.standardInputName, try readToEnd(STDIN_FILENO, path: "standard input"))
        } catch {
            return .unusable(ImageFailure(path: Self.standardInputName, reason: error.reason))
        }
    }

    /// A directory's images, or one failure saying why it has none.
    private func directory(_ path: String) -> [Input] {
        guard let listing = try? Listing(of: path) else {
            // Reading it as a file reports the problem (permissions, most likely) in its words.
            return [.file(path)]
        }
        let inputs = recursive ? Self.walk(path, listing) : listing.images.map { Input.file(join(path, $0)) }
        guard inputs.isEmpty else { return inputs.sorted { $0.name < $1.name } }
        var reason = recursive ? "holds no .png files, neither in it nor in its subfolders" : "holds no .png files"
        if !recursive && !listing.folders.isEmpty {
            let shown = listing.folders.sorted().prefix(5).joined(separator: ", ") + (listing.folders.count > 5 ? ", …" : "")
            reason += ", only folders (\(shown)); add --recursive to classify the images in them"
        }
        return [.unusable(ImageFailure(path: path, reason: reason))]
    }

    /// The images in `directory` and at any depth below it; a subfolder that cannot be listed is a
    /// failure in its place.
    private static func walk(_ directory: String, _ listing: Listing) -> [Input] {
        listing.images.map { Input.file(join(directory, $0)) } + listing.folders.flatMap { name -> [Input] in
            let folder = join(directory, name)
            do {
                return walk(folder, try Listing(of: folder))
            } catch {
                return [.unusable(ImageFailure(path: folder, reason: "cannot be listed: \(error.localizedDescription)"))]
            }
        }
    }
}

private func join(_ directory: String, _ name: String) -> String {
    (directory as NSString).appendingPathComponent(name)
}

/// A directory's .png files and subfolders, by name.
private struct Listing {
    var images: [String] = []
    var folders: [String] = []

    init(of directory: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
            let path = join(directory, name)
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                // Links to folders are not followed: they could make the walk a loop.
                let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
                if type != .typeSymbolicLink { folders.append(name) }
            } else if name.lowercased().hasSuffix(".png") {
                images.append(name)
            }
        }
    }
}
