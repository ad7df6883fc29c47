// Where MNIST lives: the bundled directory, and the test pair of any MNIST-style directory.

import Foundation
import NeuralNet

extension MNISTDataset {
    /// The bundled MNIST files: `data/mnist` in the working directory if there is one, else the
    /// one in the package this library was built from.
    public static var bundledDataDirectory: String {
        if FileManager.default.fileExists(atPath: "data/mnist") { return "data/mnist" }
        // This file is Sources/MNIST/Data/MNISTDataset+Locations.swift: four levels below the root.
        var packageRoot = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { packageRoot.deleteLastPathComponent() }
        return packageRoot.appendingPathComponent("data/mnist").path
    }

    /// Loads the test pair (`t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each with or
    /// without `.gz`) from `directory`.
    /// - Returns: the dataset and the path of its images file.
    /// - Throws: `IDXError` naming the missing or malformed file.
    public static func loadTestSet(directory: String) throws(IDXError) -> (dataset: Dataset, imagesPath: String) {
        let images = try locate(FileName.testImages, in: directory)
        let labels = try locate(FileName.testLabels, in: directory)
        return (try loadPair(images: images, labels: labels), images)
    }

    /// Checks that `directory` holds the four files `load(directory:)` reads, without reading them.
    /// - Throws: `IDXError` naming the missing directory or file.
    public static func checkFiles(directory: String) throws(IDXError) {
        for name in [FileName.trainImages, FileName.trainLabels, FileName.testImages, FileName.testLabels] {
            _ = try locate(name, in: directory)
        }
    }
}
