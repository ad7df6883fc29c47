// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: executables → (CLISupport, Reports) → MNIST → NeuralNet → C shims.

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "mnist-swift",
    products: [
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "MNIST", targets: ["MNIST"]),
        .library(name: "Reports", targets: ["Reports"]),
        .executable(name: "mnist-train", targets: ["mnist-train"]),
        .executable(name: "mnist-predict", targets: ["mnist-predict"]),
        .executable(name: "mnist-eval", targets: ["mnist-eval"]),
        .executable(name: "mnist-bench", targets: ["mnist-bench"]),
        .executable(name: "mnist-serve", targets: ["mnist-serve"]),
        .executable(name: "mnist-model", targets: ["mnist-model"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own dependency, named for NIOCore.IOError: mnist-serve explains a port in use.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    ],
    targets: [
        // MARK: System libraries
        // A module map and a shim header each, found through pkg-config.
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
        .systemLibrary(
            name: "CJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]
        ),

        // MARK: Libraries
        // The network: matrices, layers, training, model files. Knows nothing of digits.
        .target(
            name: "NeuralNet",
            dependencies: ["CBLAS"]
        ),
        // Digits: IDX files and datasets, PNG and JPEG images, preprocessing, metrics and model metadata.
        .target(
            name: "MNIST",
            dependencies: ["NeuralNet", "CZlib", "CLibPNG", "CJPEG"]
        ),
        // An evaluation rendered as text, Markdown, JSON or a self-contained HTML page with SVG charts.
        .target(
            name: "Reports",
            dependencies: ["MNIST", "NeuralNet"]
        ),
        // What the executables share: option groups (--threads, --data, --model, --layers) and
        // output directories. ArgumentParser is its only outside dependency; keep it so.
        .target(
            name: "CLISupport",
            dependencies: ["MNIST", "NeuralNet", argumentParser]
        ),

        // MARK: Executables
        .executableTarget(
            name: "mnist-train",
            dependencies: ["CLISupport", "Reports", "MNIST", "NeuralNet", argumentParser]
        ),
        .executableTarget(
            name: "mnist-predict",
            dependencies: ["CLISupport", "MNIST", "NeuralNet", argumentParser]
        ),
        .executableTarget(
            name: "mnist-eval",
            dependencies: ["CLISupport", "Reports", "MNIST", "NeuralNet", argumentParser]
        ),
        // Timings for scripts/bench: training steps, loading, inference, in a release build.
        .executableTarget(
            name: "mnist-bench",
            dependencies: ["CLISupport", "MNIST", "NeuralNet", argumentParser]
        ),

        // Model files out to other formats: `mnist-model onnx`, one subcommand per file.
        .executableTarget(
            name: "mnist-model",
            dependencies: ["CLISupport", "MNIST", "NeuralNet", argumentParser]
        ),

        // The drawing-pad demo and its JSON API over HTTP: handlers only, the page embedded.
        .executableTarget(
            name: "mnist-serve",
            dependencies: [
                "CLISupport", "MNIST", "NeuralNet", argumentParser,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        // MARK: Tests
        // Fixtures several test targets share: scratch directories, IDX files, the bundled data.
        .target(
            name: "TestSupport",
            dependencies: ["NeuralNet"],
            path: "Tests/TestSupport"
        ),
        // Fixtures/ holds a small CNN and its outputs and gradients from PyTorch (scripts/make_cnn_fixture.py).
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"], exclude: ["Fixtures"]),
        // Fixtures/ holds small JPEG files (scripts/make_jpeg_fixtures.py).
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "NeuralNet", "TestSupport"], exclude: ["Fixtures"]),
        // Golden/ holds the reports as they must render, byte for byte.
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "MNIST", "NeuralNet", "TestSupport"],
            exclude: ["Golden"]
        ),
        // End-to-end runs of the executables; depending on them makes `swift test` build them.
        // Fixtures/ holds PyTorch-shaped model files and their NumPy outputs
        // (scripts/make_torch_fixture.py).
        .testTarget(
            name: "CLITests",
            dependencies: [
                "mnist-train", "mnist-predict", "mnist-eval", "mnist-bench", "mnist-serve",
                "mnist-model", "CLISupport", "MNIST", "NeuralNet", "TestSupport",
            ],
            exclude: ["Fixtures"]
        ),
        // The server's routes, through Hummingbird's in-process test client.
        .testTarget(
            name: "ServeTests",
            dependencies: [
                "mnist-serve", "MNIST", "NeuralNet", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
