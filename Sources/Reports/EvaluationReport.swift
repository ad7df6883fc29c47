// The content of an evaluation report, gathered once and rendered by each format (terminal text,
// JSON, Markdown, HTML): what was evaluated, the metrics, the training history and the pictures
// of the most confident mistakes.

import MNIST
import NeuralNet

/// Everything an evaluation report shows, independent of its format.
public struct EvaluationReport: Sendable {
    /// A wrong prediction together with the sample's pixels, for galleries.
    public struct MistakeImage: Sendable, Equatable {
        public var mistake: ClassificationMetrics.Mistake
        /// Grayscale bytes, row-major, `side × side`; ink is 255.
        public var pixels: [UInt8]
        /// Width and height in pixels.
        public var side: Int
        /// The image file the sample came from, when the samples are files.
        public var file: String?
        /// The file's picture as the user made it, for the gallery (`loadingSourcePictures()`).
        public var original: SourcePicture?
    }

    /// The model file evaluated, as the user named it.
    public var modelPath: String
    /// What it was evaluated on (a directory or the images file).
    public var dataDescription: String
    /// The model's layer sizes, such as `[784, 128, 64, 10]`.
    public var layerSizes: [Int]
    /// The network in the grammar when it is more than a layer-size list (`1x28x28,32C5,…`).
    public var network: String?
    /// The figures.
    public var metrics: ClassificationMetrics
    /// Per-epoch training history, oldest first; empty when the model carries none.
    public var history: [ModelMetadata.HistoryEntry]
    /// The most confident mistakes with their images; empty when samples are not square images.
    public var mistakeImages: [MistakeImage]
    /// Image files that were meant to be evaluated but could not be read; empty for IDX data.
    public var unreadableFiles: [FileError]
    /// Whether the samples are image files (`sampleFiles` given), rather than rows of an IDX file.
    public var samplesAreFiles: Bool

    /// How many confusions the reports list.
    public static let topConfusionCount = 10
    /// How many mistakes the reports show.
    public static let mistakeCount = 24

    /// A report on `metrics`, which were computed on `dataset`.
    /// - Parameters:
    ///   - metrics: the network's results on `dataset`.
    ///   - dataset: the evaluated samples, for the mistakes' pictures.
    ///   - modelPath: the model file's path, for the heading.
    ///   - dataDescription: what the data is, for the heading.
    ///   - layerSizes: the network's layer sizes.
    ///   - history: the training history, if known.
    ///   - sampleFiles: the image file of each sample, when the samples are files.
    ///   - unreadableFiles: files that could not become samples.
    public init(
        metrics: ClassificationMetrics, dataset: Dataset, modelPath: String, dataDescription: String,
        layerSizes: [Int], network: String? = nil, history: [ModelMetadata.HistoryEntry] = [],
        sampleFiles: [String]? = nil, unreadableFiles: [FileError] = []
    ) {
        precondition(sampleFiles == nil || sampleFiles?.count == dataset.count, "one file per sample")
        self.metrics = metrics
        self.modelPath = modelPath
        self.dataDescription = dataDescription
        self.layerSizes = layerSizes
        self.network = network
        self.history = history
        self.unreadableFiles = unreadableFiles
        samplesAreFiles = sampleFiles != nil
        let side = Int(Double(dataset.featureCount).squareRoot().rounded())
        if side * side == dataset.featureCount {
            mistakeImages = metrics.mostConfidentMistakes(limit: Self.mistakeCount).map { mistake in
                MistakeImage(mistake: mistake, pixels: dataset.pixelBytes(of: mistake.index), side: side,
                             file: sampleFiles?[mistake.index])
            }
        } else {
            mistakeImages = []
        }
    }

    /// Evaluates `network` on `dataset` and gathers the report, with the training history found in
    /// the model's `metadata` (see `ModelMetadata.history(from:)`).
    /// - Parameters:
    ///   - network: the classifier; its input size must match the dataset's features.
    ///   - dataset: the labelled samples to evaluate on.
    ///   - modelPath: the model file's path, for the heading.
    ///   - dataDescription: what the data is, for the heading.
    ///   - metadata: the model file's metadata.
    public init(network: Network, dataset: Dataset, modelPath: String, dataDescription: String, metadata: [String: String]) {
        self.init(
            metrics: network.metrics(on: dataset), dataset: dataset, modelPath: modelPath,
            dataDescription: dataDescription, layerSizes: network.layerSizes,
            network: network.architecture.layerSizes == nil ? network.architecture.description : nil,
            history: ModelMetadata.history(from: metadata) ?? [])
    }

    /// The most frequent confusions, as the reports list them.
    public var topConfusions: [ConfusionMatrix.Confusion] {
        metrics.confusion.topConfusions(limit: Self.topConfusionCount)
    }
}

extension EvaluationReport {
    /// The network as the reports name it: `784-128-64-10`, or the grammar for other networks.
    var networkText: String {
        network ?? ReportFormat.layers(layerSizes)
    }
}
