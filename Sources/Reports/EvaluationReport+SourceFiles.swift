// Reports on the user's own image files (mnist-eval --images-dir): which file each mistake came
// from, the picture as the user drew it beside the 28×28 the network saw, and the files that
// could not be read.

import Foundation
import MNIST
import NeuralNet

extension EvaluationReport {
    /// A user's image as the HTML gallery embeds it: PNG bytes and the size to show them at.
    public struct SourcePicture: Sendable, Equatable {
        /// A PNG file's bytes.
        public var png: [UInt8]
        /// The image's own width and height in pixels.
        public var width: Int
        public var height: Int

        /// Files up to this size are embedded as they are; larger ones as a grey thumbnail.
        public static let largestEmbedded = 200_000
        /// The longer side of a thumbnail, in pixels.
        public static let thumbnailSide = 112

        /// The picture of the image file (PNG or JPEG) at `path`, or nil when it cannot be read.
        ///
        /// The evaluation has already decoded the file once; a PNG small enough to embed as it
        /// is gives its size from its header and is not decoded again. A larger file, or a JPEG
        /// (which may be upright only through its Exif orientation), is decoded to make a grey
        /// thumbnail.
        public init?(contentsOf path: String) {
            guard let bytes = try? readFile(path) else { return nil }
            if bytes.count <= Self.largestEmbedded && ImageFormat(sniffing: bytes) == .png {
                guard let size = try? GrayImage.pngSize(of: bytes, path: path) else { return nil }
                self.init(png: bytes, width: size.width, height: size.height)
            } else {
                guard let image = try? GrayImage(imageData: bytes, path: path) else { return nil }
                let small = image.thumbnail(fitting: Self.thumbnailSide)
                guard let png = try? small.pngData(path: path) else { return nil }
                self.init(png: png, width: small.width, height: small.height)
            }
        }

        public init(png: [UInt8], width: Int, height: Int) {
            self.png = png
            self.width = width
            self.height = height
        }
    }

    /// The report with each mistake's original picture loaded from its file (see `sampleFiles`).
    public func loadingSourcePictures() -> EvaluationReport {
        var report = self
        for index in report.mistakeImages.indices {
            if let file = report.mistakeImages[index].file {
                report.mistakeImages[index].original = SourcePicture(contentsOf: file)
            }
        }
        return report
    }

    /// `3/seven.png` for `my-digits/3/seven.png`: the class folder and the name.
    static func shortName(_ file: String) -> String {
        let components = (file as NSString).pathComponents
        return components.suffix(2).joined(separator: "/")
    }

    /// The unreadable files as text lines, `  path: reason`.
    var unreadableLines: [String] {
        unreadableFiles.map { "  \($0.path): \($0.reason)" }
    }
}
