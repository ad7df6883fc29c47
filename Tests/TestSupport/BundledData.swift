// Where the package's bundled data is, found from this file's own path so that tests work from
// any working directory.

import Foundation

/// Paths into the package's `data/` directory.
public enum BundledData {
    /// The package root: this file is Tests/TestSupport/BundledData.swift.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `data/mnist`: the four MNIST IDX files, gzip-compressed.
    public static let mnistDirectory = packageRoot.appendingPathComponent("data/mnist").path
}
