// A folder of labelled digit images in torchvision's ImageFolder layout, DIR/0/*.png … DIR/9/*.jpg,
// read into a dataset of 28×28 inputs preprocessed as mnist-predict does. Images that cannot be
// read are kept as a list of failures rather than ending the run: a person checking the
// classifier on their own handwriting wants the report on the rest. What is not used (a folder
// named `03` or `seven`, a `notes.txt`) is listed too, never dropped silently.

import Foundation
import NeuralNet

/// The images of a labelled folder tree, ready for evaluation.
public struct LabelledImageFolder: Sendable {
    /// The 28×28 inputs (bytes, ink 255) and their labels, in the order of `files`.
    public let dataset: Dataset
    /// Each sample's file, `DIR/3/x.png`.
    public let files: [String]
    /// Files under the class folders that could not become inputs, sorted by path.
    public let failures: [FileError]
    /// What was left out, each entry with the reason: `DIR/seven/ (a folder; class folders are
    /// named 0 … 9)`, `DIR/3/notes.txt (not an image)`.
    public let skipped: [String]

    /// Reads `directory`'s subfolders named `0` … `classCount - 1`. In a class folder every
    /// `.png`, `.jpg` and `.jpeg` file counts, at any depth; files are taken in path order.
    /// - Parameters:
    ///   - raw: whether the images are already in MNIST form (28×28, white on black).
    /// - Throws: `LabelledImageFolderError` when `directory` is not a folder, has no class
    ///   folder, or not one readable image.
    public init(directory: String, classCount: Int = MNISTDataset.classCount, raw: Bool = false,
                preprocessor: DigitPreprocessor = DigitPreprocessor()) throws(LabelledImageFolderError) {
        let listing: FolderListing
        do {
            listing = try FolderListing(of: FileSystemPath(directory))
        } catch {
            throw Self.unlistable(directory, error)
        }
        let classNames = (0..<classCount).map { FileSystemPath(String($0)) }
        var candidates: [(path: FileSystemPath, label: Int)] = []
        var skipped: [String] = []
        var failures: [FileError] = []
        for entry in listing.entries {
            guard entry.kind == .folder, let label = classNames.firstIndex(of: entry.path.lastComponent) else {
                skipped.append(entry.summary(as: entry.path.description, folderNote: "class folders are named 0 … \(classCount - 1)"))
                continue
            }
            do {
                let walk = try FolderWalk(below: entry.path)
                candidates += walk.images.map { ($0, label) }
                skipped += walk.skipped.map { $0.summary(as: $0.path.description) }
                failures += walk.failures
            } catch {
                failures.append(error)
            }
        }
        guard listing.entries.contains(where: { $0.kind == .folder && classNames.contains($0.path.lastComponent) }) else {
            throw .noClassFolders(directory, classCount: classCount, found: listing.entries.map { $0.summary(folderNote: "not a class name") })
        }

        let side = preprocessor.fieldSide
        let jobs = candidates
        nonisolated(unsafe) var outcomes = [Result<GrayImage, FileError>?](repeating: nil, count: candidates.count)
        outcomes.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
                slots[index] = Result { () throws(FileError) in
                    try preprocessor.input(file: jobs[index].path, raw: raw)
                }
            }
        }
        var pixels: [UInt8] = []
        var labels: [Int] = []
        var files: [String] = []
        for (candidate, outcome) in zip(candidates, outcomes) {
            switch outcome! {
            case .success(let image):
                pixels += image.pixels
                labels.append(candidate.label)
                files.append(candidate.path.description)
            case .failure(let failure):
                failures.append(failure)
            }
        }
        guard !files.isEmpty else {
            throw .noImages(directory, unreadable: failures.count, skipped: skipped)
        }
        dataset = Dataset(features: .bytes(pixels, scale: 1 / 255), labels: labels, featureCount: side * side, classCount: classCount)
        self.files = files
        self.failures = failures.sorted { $0.path < $1.path }
        self.skipped = skipped
    }

    /// Why `directory` could not be listed, saying so when it is a file.
    private static func unlistable(_ directory: String, _ error: FileError) -> LabelledImageFolderError {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            return .notADirectory(directory, reason: "is a file, not a directory of class folders 0 … 9")
        }
        return .notADirectory(directory, reason: error.reason)
    }
}

/// Why a labelled folder gives nothing to evaluate.
public enum LabelledImageFolderError: Error, Equatable, CustomStringConvertible {
    /// The path is missing, a file, or cannot be listed.
    case notADirectory(String, reason: String)
    /// No subfolder is named as a class; `found` summarises what the folder holds.
    case noClassFolders(String, classCount: Int, found: [String])
    /// The class folders hold no image that could be read.
    case noImages(String, unreadable: Int, skipped: [String])

    public var description: String {
        switch self {
        case .notADirectory(let path, let reason):
            return "\(path): \(reason)"
        case .noClassFolders(let path, let classCount, let found):
            let holds = found.isEmpty ? "it is empty" : "it holds \(FolderListing.summary(of: found))"
            return "\(path) has no class folders: expected subfolders 0 … \(classCount - 1) holding images (\(FolderListing.extensionList)), as in DIR/0/a.png, DIR/7/b.jpg; \(holds)"
        case .noImages(let path, let unreadable, let skipped):
            if unreadable > 0 {
                return "\(path): none of the \(unreadable) images in its class folders could be read"
            }
            let holds = skipped.isEmpty ? "they are empty" : "they hold \(FolderListing.summary(of: skipped))"
            return "\(path): its class folders hold no images (\(FolderListing.extensionList)); \(holds)"
        }
    }
}
