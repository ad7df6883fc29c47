// A folder of labelled digit images in torchvision's ImageFolder layout, DIR/0/*.png … DIR/9/*.png,
// read into a dataset of 28×28 inputs preprocessed as mnist-predict does. Images that cannot be
// read are kept as a list of failures rather than ending the run: a person checking the
// classifier on their own handwriting wants the report on the rest.

import Foundation
import NeuralNet

/// The images of a labelled folder tree, ready for evaluation.
public struct LabelledImageFolder: Sendable {
    /// The 28×28 inputs (bytes, ink 255) and their labels, in the order of `files`.
    public let dataset: Dataset
    /// Each sample's file, `DIR/3/x.png`.
    public let files: [String]
    /// Files under the class folders that could not become inputs, sorted by path.
    public let failures: [DigitInputError]

    /// Reads `directory`'s subfolders named `0` … `classCount - 1`; other entries are ignored. In a
    /// class folder every `.png` file counts, at any depth; files are taken in path order.
    /// - Parameters:
    ///   - raw: whether the images are already in MNIST form (28×28, white on black).
    /// - Throws: `LabelledImageFolderError` when there is no such directory, no class folder, or
    ///   not one readable image.
    public init(directory: String, classCount: Int = MNISTDataset.classCount, raw: Bool = false,
                preprocessor: DigitPreprocessor = DigitPreprocessor()) throws(LabelledImageFolderError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notADirectory(directory)
        }
        var candidates: [(path: String, label: Int)] = []
        var foundClassFolder = false
        for label in 0..<classCount {
            let folder = (directory as NSString).appendingPathComponent(String(label))
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            foundClassFolder = true
            candidates += Self.pngFiles(below: folder).map { ($0, label) }
        }
        guard foundClassFolder else { throw .noClassFolders(directory, classCount: classCount) }

        let side = preprocessor.fieldSide
        let jobs = candidates
        nonisolated(unsafe) var outcomes = [Result<GrayImage, DigitInputError>?](repeating: nil, count: candidates.count)
        outcomes.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: candidates.count) { index in
                slots[index] = Result { () throws(DigitInputError) in
                    try preprocessor.input(path: jobs[index].path, raw: raw)
                }
            }
        }
        var pixels: [UInt8] = []
        var labels: [Int] = []
        var files: [String] = []
        var failures: [DigitInputError] = []
        for (candidate, outcome) in zip(candidates, outcomes) {
            switch outcome! {
            case .success(let image):
                pixels += image.pixels
                labels.append(candidate.label)
                files.append(candidate.path)
            case .failure(let failure):
                failures.append(failure)
            }
        }
        guard !files.isEmpty else { throw .noImages(directory, unreadable: failures.count) }
        dataset = Dataset(features: .bytes(pixels, scale: 1 / 255), labels: labels, featureCount: side * side, classCount: classCount)
        self.files = files
        self.failures = failures
    }

    /// The `.png` files at any depth below `folder`, sorted; hidden entries skipped, links to
    /// folders not followed (they could make the walk a loop).
    static func pngFiles(below folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            guard name.lowercased().hasSuffix(".png") else { continue }
            let path = (folder as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }
}

/// Why a labelled folder gives nothing to evaluate.
public enum LabelledImageFolderError: Error, Equatable, CustomStringConvertible {
    case notADirectory(String)
    case noClassFolders(String, classCount: Int)
    case noImages(String, unreadable: Int)

    public var description: String {
        switch self {
        case .notADirectory(let path):
            return "\(path): no such directory"
        case .noClassFolders(let path, let classCount):
            return "\(path) has no class folders: expected subfolders 0 … \(classCount - 1) holding .png images, as in DIR/0/a.png, DIR/7/b.png"
        case .noImages(let path, let unreadable):
            return unreadable == 0
                ? "\(path): its class folders hold no .png images"
                : "\(path): none of the \(unreadable) images in its class folders could be read"
        }
    }
}
