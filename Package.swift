// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "mnist-swift",
    products: [
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "MNIST", targets: ["MNIST"]),
        .executable(name: "mnist-train", targets: ["mnist-train"]),
        .executable(name: "mnist-predict", targets: ["mnist-predict"]),
        .executable(name: "mnist-eval", targets: ["mnist-eval"]),
        .executable(name: "mnist-bench", targets: ["mnist-bench"]),
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

        .executableTarget(
            name: "mnist-predict",
            dependencies: [
                "MNIST", "NeuralNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "mnist-eval",
            dependencies: [
                "MNIST", "NeuralNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Timings for scripts/bench: training steps, loading, inference, in a release build.
        .executableTarget(
            name: "mnist-bench",
            dependencies: [
                "MNIST", "NeuralNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "NeuralNet"]),
        // End-to-end runs of the executables; depending on them makes `swift test` build them.
        .testTarget(
            name: "CLITests",
            dependencies: ["mnist-train", "mnist-predict", "mnist-eval", "MNIST", "NeuralNet"]
        ),
    ]
)
