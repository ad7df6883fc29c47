// Turning inputs (InputCollection.swift) into what the network takes: each image (PNG or JPEG,
// told apart by content) decoded and preprocessed (in parallel), failures kept per file so the
// others go on.

import Foundation
import MNIST
import NeuralNet

/// One file's outcome: the 28×28 input, or why there is none.
struct PreparedImage {
    var path: String
    var input: Result<GrayImage, FileError>
    /// Set when `--save-preprocessed` could not write the image.
    var saveFailure: FileError?
}

/// Decodes and preprocesses images, optionally saving what the network will see.
struct InputPreparation: Sendable {
    var raw: Bool
    var saveDirectory: String?
    let preprocessor = DigitPreprocessor()

    /// Every path's outcome, in order; the work is spread over the available cores.
    func prepare(_ inputs: [Input]) -> [PreparedImage] {
        nonisolated(unsafe) var results = [PreparedImage?](repeating: nil, count: inputs.count)
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
                slots[index] = prepare(inputs[index])
            }
        }
        return results.map { $0! }
    }

    private func prepare(_ source: Input) -> PreparedImage {
        let path = source.name
        let input: GrayImage
        do {
            switch source {
            case .file(let file, _): input = try preprocessor.input(file: file, raw: raw)
            case .bytes(let name, let bytes): input = try preprocessor.input(imageData: bytes, file: FileSystemPath(name), raw: raw)
            case .unusable(let failure): return PreparedImage(path: path, input: .failure(failure))
            }
        } catch {
            return PreparedImage(path: path, input: .failure(error))
        }
        var saveFailure: FileError?
        if let saveDirectory, let name = source.savedName {
            let target = (saveDirectory as NSString).appendingPathComponent(name)
            do {
                try input.writePNG(to: target)
            } catch {
                saveFailure = FileError(path: path, reason: "cannot save the preprocessed image: \(error)")
            }
        }
        return PreparedImage(path: path, input: .success(input), saveFailure: saveFailure)
    }
}
