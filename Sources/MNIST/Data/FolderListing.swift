// The one place the tools list folders for images (mnist-predict's directories, mnist-eval
// --images-dir): which entries are images they read, which are not and why, so that a folder
// with nothing usable can be described as it is ("readme.txt (not an image), sub/ (a folder)").
// Names are kept as bytes (FileSystemPath): a name that is not UTF-8 still opens.

import Foundation
import NeuralNet

/// One entry of a listed folder.
public struct FolderEntry: Sendable, Equatable {
    /// What an entry is, as far as reading images goes.
    public enum Kind: Sendable, Equatable {
        /// A file whose name ends in an image extension the tools read (.png, .jpg, .jpeg).
        case image
        /// A file of an image type the tools do not read, named by its extension ("GIF").
        case unreadImage(type: String)
        /// Any other file (text, a socket, a broken link not named as an image).
        case otherFile
        /// A subfolder.
        case folder
        /// A symbolic link to a folder, never followed: it could make a walk a loop.
        case linkToFolder
    }

    /// The entry's path: the listed folder's path joined with its name.
    public let path: FileSystemPath
    public let kind: Kind

    public init(path: FileSystemPath, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The entry's path below `directory` (`sub/notes.txt`), or its whole path when it is not below it.
    public func path(below directory: FileSystemPath) -> String {
        let prefix = directory.appending(FileSystemPath("")).bytes
        guard path.bytes.starts(with: prefix) else { return path.description }
        return FileSystemPath(bytes: Array(path.bytes.dropFirst(prefix.count))).description
    }

    /// `readme.txt (not an image)`, `sub/ (a folder)`, or with `folderNote`
    /// `sub/ (a folder; add --recursive)`. `shown` replaces the entry's name (`7/notes.txt`).
    public func summary(as shown: String? = nil, folderNote: String? = nil) -> String {
        var shown = shown ?? path.lastComponent.description
        if kind == .folder || kind == .linkToFolder { shown += "/" }
        switch kind {
        case .image: return shown
        case .unreadImage(let type):
            return "\(shown) (a \(type) image; only \(FolderListing.readTypes) images are read)"
        case .otherFile: return "\(shown) (not an image)"
        case .folder: return "\(shown) (a folder\(folderNote.map { "; \($0)" } ?? ""))"
        case .linkToFolder: return "\(shown) (a link to a folder, not followed)"
        }
    }
}

/// A folder's entries, hidden ones (names starting with `.`) left out, sorted by name.
public struct FolderListing: Sendable {
    /// The extensions of the image files the tools read, lower case.
    public static let imageExtensions = ["png", "jpg", "jpeg"]
    /// The same for messages: "PNG and JPEG".
    public static let readTypes = "PNG and JPEG"
    /// How the extensions read in messages: ".png, .jpg, .jpeg".
    public static let extensionList = imageExtensions.map { "." + $0 }.joined(separator: ", ")

    /// Extensions of common image types that are not read, and the type's name.
    static let unreadImageTypes = [
        "gif": "GIF", "bmp": "BMP", "webp": "WebP", "tif": "TIFF", "tiff": "TIFF",
        "heic": "HEIC", "heif": "HEIF", "avif": "AVIF", "svg": "SVG", "pgm": "PGM", "ppm": "PPM",
    ]

    /// The folder listed.
    public let directory: FileSystemPath
    /// Its entries, sorted by name.
    public let entries: [FolderEntry]

    /// Lists `directory`.
    /// - Throws: `FileError` when it cannot be opened as a folder, with the system's reason.
    public init(of directory: FileSystemPath) throws(FileError) {
        self.directory = directory
        guard let stream = directory.withCString({ opendir($0) }) else {
            let reason = errno == ENOENT ? "no such directory" : "cannot be listed: \(String(cString: strerror(errno)))"
            throw FileError(path: directory.description, reason: reason)
        }
        defer { closedir(stream) }
        var entries: [FolderEntry] = []
        while let record = readdir(stream) {
            let name = withUnsafeBytes(of: record.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
            guard name.first != UInt8(ascii: ".") else { continue }
            let path = directory.appending(FileSystemPath(bytes: name))
            entries.append(FolderEntry(path: path, kind: Self.kind(of: path, named: name)))
        }
        self.entries = entries.sorted { $0.path < $1.path }
    }

    /// The images the tools read.
    public var images: [FileSystemPath] { entries.filter { $0.kind == .image }.map(\.path) }
    /// The subfolders (links to folders excluded).
    public var folders: [FileSystemPath] { entries.filter { $0.kind == .folder }.map(\.path) }
    /// Everything that is neither an image read nor a subfolder.
    public var others: [FolderEntry] { entries.filter { $0.kind != .image && $0.kind != .folder } }

    /// Whether `name` ends in one of `imageExtensions`, in any case.
    public static func isImageName(_ name: [UInt8]) -> Bool {
        imageExtensions.contains(fileExtension(of: name))
    }

    /// An entry's kind from `lstat` (links to files are followed, links to folders are not)
    /// and, for files, its name.
    private static func kind(of path: FileSystemPath, named name: [UInt8]) -> FolderEntry.Kind {
        var info = stat()
        if path.withCString({ lstat($0, &info) }) == 0 {
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR { return .folder }
            if type == S_IFLNK, path.withCString({ stat($0, &info) }) == 0, info.st_mode & S_IFMT == S_IFDIR {
                return .linkToFolder
            }
        }
        let fileExtension = fileExtension(of: name)
        if imageExtensions.contains(fileExtension) { return .image }
        if let type = unreadImageTypes[fileExtension] { return .unreadImage(type: type) }
        return .otherFile
    }

    /// The lower-case ASCII extension after the last dot, or "".
    private static func fileExtension(of name: [UInt8]) -> String {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return "" }
        return String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
    }

    /// `entries` summarised for a message, at most `limit` of them then "and N more".
    public static func summary(of entries: [String], limit: Int = 6) -> String {
        let shown = entries.prefix(limit).joined(separator: ", ")
        return entries.count > limit ? "\(shown) and \(entries.count - limit) more" : shown
    }
}

/// Everything below a folder: the images at any depth, the entries that are not, and the
/// subfolders that could not be listed.
public struct FolderWalk: Sendable {
    /// The image files, sorted by path.
    public var images: [FileSystemPath] = []
    /// Entries that are neither images nor folders (text files, other image types, links to folders).
    public var skipped: [FolderEntry] = []
    /// Subfolders that could not be listed, each with the system's reason.
    public var failures: [FileError] = []

    /// Walks `directory` and its subfolders.
    /// - Throws: `FileError` when `directory` itself cannot be listed.
    public init(below directory: FileSystemPath) throws(FileError) {
        try visit(FolderListing(of: directory))
        images.sort()
    }

    private mutating func visit(_ listing: FolderListing) {
        images += listing.images
        skipped += listing.others
        for folder in listing.folders {
            do {
                try visit(FolderListing(of: folder))
            } catch {
                failures.append(error)
            }
        }
    }
}
