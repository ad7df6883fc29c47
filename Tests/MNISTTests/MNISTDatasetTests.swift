// Image/label pairs as datasets: agreement between the two files, and the bundled MNIST itself.

import Foundation
import MNIST
import NeuralNet
import TestSupport
import Testing

@Suite struct MNISTPairTests {
    /// Writes an images file of `count` 2×2 images and a labels file, returning their paths.
    static func pair(in scratch: ScratchDirectory, images: [UInt8], imageDimensions: [UInt32], labels: [UInt8], labelDimensions: [UInt32]? = nil) throws -> (String, String) {
        let imagesPath = try scratch.write("images", idxBytes(dimensions: imageDimensions, data: images))
        let labelsPath = try scratch.write("labels", idxBytes(dimensions: labelDimensions ?? [UInt32(labels.count)], data: labels))
        return (imagesPath, labelsPath)
    }

    @Test func pixelsAreScaledToOneAndLabelsAreClassIndices() throws {
        let scratch = try ScratchDirectory()
        let (images, labels) = try Self.pair(in: scratch, images: [0, 255, 51, 102, 255, 0, 0, 0], imageDimensions: [2, 2, 2], labels: [7, 0])
        let dataset = try MNISTDataset.loadPair(images: images, labels: labels)
        #expect(dataset.count == 2 && dataset.featureCount == 4 && dataset.classCount == 10)
        #expect(dataset.labels == [7, 0])
        let expected: [Float] = [0, 1, 0.2, 0.4, 1, 0, 0, 0]
        #expect(zip(dataset.matrix().elements, expected).allSatisfy { abs($0 - $1) < 1e-7 })
    }

    @Test func imagesAndLabelsMustAgreeOnCount() throws {
        let scratch = try ScratchDirectory()
        let (images, labels) = try Self.pair(in: scratch, images: Array(repeating: 0, count: 12), imageDimensions: [3, 2, 2], labels: [1, 2])
        let error = try #require(throws: IDXError.self) { try MNISTDataset.loadPair(images: images, labels: labels) }
        #expect(error == .countMismatch(images: images, imageCount: 3, labels: labels, labelCount: 2))
        #expect(error.description.contains(images) && error.description.contains(labels))
    }

    @Test func labelsMustBeClassIndices() throws {
        let scratch = try ScratchDirectory()
        let (images, labels) = try Self.pair(in: scratch, images: Array(repeating: 0, count: 8), imageDimensions: [2, 2, 2], labels: [3, 10])
        #expect(throws: IDXError.labelOutOfRange(path: labels, index: 1, label: 10, classes: 10)) {
            try MNISTDataset.loadPair(images: images, labels: labels)
        }
    }

    @Test func filesMustHaveTheRightNumberOfDimensions() throws {
        let scratch = try ScratchDirectory()
        let (flat, labels) = try Self.pair(in: scratch, images: Array(repeating: 0, count: 8), imageDimensions: [2, 4], labels: [1, 2])
        #expect(throws: IDXError.wrongRank(path: flat, expected: 3, dimensions: [2, 4])) {
            try MNISTDataset.loadPair(images: flat, labels: labels)
        }
        let (images, square) = try Self.pair(in: scratch, images: Array(repeating: 0, count: 8), imageDimensions: [2, 2, 2], labels: [1, 2, 3, 4], labelDimensions: [2, 2])
        #expect(throws: IDXError.wrongRank(path: square, expected: 1, dimensions: [2, 2])) {
            try MNISTDataset.loadPair(images: images, labels: square)
        }
    }

    @Test func aDirectoryWithoutTheFilesSaysWhichIsMissing() throws {
        let scratch = try ScratchDirectory()
        #expect(throws: IDXError.missingFile(directory: scratch.path, name: MNISTDataset.FileName.trainImages)) {
            try MNISTDataset.load(directory: scratch.path)
        }
    }

    @Test func aBrokenFileInADirectoryIsNamed() throws {
        let scratch = try ScratchDirectory()
        let good = idxBytes(dimensions: [2, 28, 28])
        let labels = idxBytes(dimensions: [2], data: [1, 2])
        try scratch.write(MNISTDataset.FileName.trainImages + ".gz", try gzipped(good))
        try scratch.write(MNISTDataset.FileName.trainLabels, labels)
        let broken = try scratch.write(MNISTDataset.FileName.testImages + ".gz", Array(try gzipped(good).prefix(40)))
        try scratch.write(MNISTDataset.FileName.testLabels, labels)
        #expect(throws: IDXError.gzip(path: broken, .truncated)) { try MNISTDataset.load(directory: scratch.path) }
    }
}

@Suite struct BundledMNISTTests {
    /// The bundled data, read once for the whole suite.
    static let bundled = Result { () throws(IDXError) in try MNISTDataset.load(directory: BundledData.mnistDirectory) }

    static func labelCounts(_ dataset: Dataset) -> [Int] {
        var counts = Array(repeating: 0, count: 10)
        for label in dataset.labels { counts[label] += 1 }
        return counts
    }

    @Test func trainingSetMatchesTheReadme() throws {
        let train = try Self.bundled.get().train
        #expect(train.count == 60_000 && train.featureCount == 784 && train.classCount == 10)
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        #expect(Self.labelCounts(train) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    }

    @Test func testSetMatchesTheReadme() throws {
        let test = try Self.bundled.get().test
        #expect(test.count == 10_000 && test.featureCount == 784)
        #expect(Array(test.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        #expect(Self.labelCounts(test) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }

    @Test func pixelsLieInZeroToOneWithInkBright() throws {
        let first = try Self.bundled.get().train.matrix(0..<100)
        let values = first.elements
        #expect(values.min() == 0 && values.max() == 1)
        // Background (0) dominates a digit image; ink is the minority.
        #expect(values.filter { $0 == 0 }.count > values.count / 2)
        // The first image, a 5, has ink in its middle rows and none in its top row.
        #expect(first.row(0)[0..<28].allSatisfy { $0 == 0 })
        #expect(first.row(0)[(14 * 28)..<(15 * 28)].contains { $0 > 0.5 })
    }
}
