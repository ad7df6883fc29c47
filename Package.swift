// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "mnist-swift",
    products: [
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "MNIST", targets: ["MNIST"]),
        .executable(name: "mnist-train", targets: ["mnist-train"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, found through pkg-config.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),

        // The network: matrices, layers, training, model files. Knows nothing of digits.
        .target(
            name: "NeuralNet",
            dependencies: ["CBLAS"]
        ),
        // Digits: IDX files, datasets, PNG images, preprocessing, metrics and reports.
        .target(
            name: "MNIST",
            dependencies: ["NeuralNet", "CZlib", "CLibPNG"]
        ),

        .executableTarget(
            name: "mnist-train",
            dependencies: [
                "MNIST", "NeuralNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "NeuralNet"]),
        .testTarget(name: "CLITests", dependencies: ["mnist-train", "MNIST", "NeuralNet"]),
    ]
)
