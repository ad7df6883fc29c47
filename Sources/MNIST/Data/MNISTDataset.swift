// Loading an image/label pair of IDX files (MNIST's layout) as a Dataset.

import Foundation
import NeuralNet

/// MNIST and datasets stored like it (Fashion-MNIST, KMNIST): IDX images and labels, train and test.
public enum MNISTDataset {
    /// The file names of the four IDX files, each found with or without `.gz`.
    public enum FileName {
        public static let trainImages = "train-images-idx3-ubyte"
        public static let trainLabels = "train-labels-idx1-ubyte"
        public static let testImages = "t10k-images-idx3-ubyte"
        public static let testLabels = "t10k-labels-idx1-ubyte"
    }

    /// Image side in pixels.
    public static let side = 28
    /// Number of digit classes.
    public static let classCount = 10

    /// Loads the training and test sets from a directory holding the four IDX files.
    /// The two pairs are read on two threads at once.
    /// - Throws: `IDXError` naming the file and the problem.
    public static func load(directory: String) throws(IDXError) -> (train: Dataset, test: Dataset) {
        let paths = try [FileName.trainImages, FileName.trainLabels, FileName.testImages, FileName.testLabels]
            .map { name throws(IDXError) in try locate(name, in: directory) }
        // Each iteration writes only its own variable, so the two threads share no memory.
        nonisolated(unsafe) var training: Result<Dataset, IDXError>?
        nonisolated(unsafe) var test: Result<Dataset, IDXError>?
        DispatchQueue.concurrentPerform(iterations: 2) { pair in
            let result = Result { () throws(IDXError) in
                try loadPair(images: paths[2 * pair], labels: paths[2 * pair + 1])
            }
            if pair == 0 { training = result } else { test = result }
        }
        return (try training!.get(), try test!.get())
    }

    /// Loads one images file and its labels file as a dataset with pixels scaled by 1/255.
    /// - Throws: `IDXError` if either file is unreadable or malformed, or they disagree on count.
    public static func loadPair(images imagesPath: String, labels labelsPath: String, classCount: Int = MNISTDataset.classCount) throws(IDXError) -> Dataset {
        let images = try IDXFile(contentsOf: imagesPath)
        let labels = try IDXFile(contentsOf: labelsPath)
        guard images.dimensions.count == 3 else {
            throw .wrongRank(path: imagesPath, expected: 3, dimensions: images.dimensions)
        }
        guard labels.dimensions.count == 1 else {
            throw .wrongRank(path: labelsPath, expected: 1, dimensions: labels.dimensions)
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw .countMismatch(images: imagesPath, imageCount: images.dimensions[0], labels: labelsPath, labelCount: labels.dimensions[0])
        }
        if let index = labels.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw .labelOutOfRange(path: labelsPath, index: index, label: Int(labels.bytes[index]), classes: classCount)
        }
        return Dataset(
            features: .bytes(images.bytes, scale: 1 / 255),
            labels: labels.bytes.map(Int.init),
            featureCount: images.dimensions[1] * images.dimensions[2],
            classCount: classCount)
    }

    /// The path of `name.gz` or `name` in `directory`, whichever exists.
    static func locate(_ name: String, in directory: String) throws(IDXError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw .file(FileError(path: directory, reason: "no such directory"))
        }
        guard isDirectory.boolValue else {
            throw .file(FileError(path: directory, reason: "is a file, not a directory of IDX files"))
        }
        for candidate in [name + ".gz", name] {
            let path = (directory as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw .missingFile(directory: directory, name: name)
    }
}
