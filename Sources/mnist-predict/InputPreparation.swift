// Turning the paths on the command line into network inputs: directories expanded, each PNG
// decoded and preprocessed (in parallel), failures kept per file so the others go on.

import Foundation
import MNIST

/// Why one file could not be classified (or its preprocessed image not saved).
struct ImageFailure: Error {
    var path: String
    var reason: String
}

/// One file's outcome: the 28×28 input, or why there is none.
struct PreparedImage {
    var path: String
    var input: Result<GrayImage, ImageFailure>
    /// Set when `--save-preprocessed` could not write the image.
    var saveFailure: ImageFailure?
}

/// Files to classify: each path as given, a directory replaced by its `.png` files sorted by name.
/// A directory that cannot be listed stays as it is, so that reading it reports the problem.
func collectInputs(_ paths: [String]) -> [String] {
    paths.flatMap { path -> [String] in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path)
        else { return [path] }
        return names.filter { $0.lowercased().hasSuffix(".png") }.sorted()
            .map { (path as NSString).appendingPathComponent($0) }
    }
}

/// Decodes and preprocesses images, optionally saving what the network will see.
struct InputPreparation: Sendable {
    var raw: Bool
    var saveDirectory: String?
    let preprocessor = DigitPreprocessor()

    /// Every path's outcome, in order; the work is spread over the available cores.
    func prepare(_ paths: [String]) -> [PreparedImage] {
        nonisolated(unsafe) var results = [PreparedImage?](repeating: nil, count: paths.count)
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: paths.count) { index in
                slots[index] = prepare(paths[index])
            }
        }
        return results.map { $0! }
    }

    private func prepare(_ path: String) -> PreparedImage {
        let input: GrayImage
        do {
            let decoded = try GrayImage(contentsOfPNG: path)
            input = try raw ? preprocessor.raw(decoded, path: path) : preprocessor.preprocess(decoded, path: path)
        } catch let error as PNGError {
            return PreparedImage(path: path, input: .failure(ImageFailure(path: path, reason: error.reason)))
        } catch let error as PreprocessError {
            return PreparedImage(path: path, input: .failure(ImageFailure(path: path, reason: error.reason)))
        } catch {
            return PreparedImage(path: path, input: .failure(ImageFailure(path: path, reason: "\(error)")))
        }
        var saveFailure: ImageFailure?
        if let saveDirectory {
            let name = (path as NSString).lastPathComponent
            let target = (saveDirectory as NSString).appendingPathComponent(name)
            do {
                try input.writePNG(to: target)
            } catch {
                saveFailure = ImageFailure(path: path, reason: "cannot save the preprocessed image: \(error)")
            }
        }
        return PreparedImage(path: path, input: .success(input), saveFailure: saveFailure)
    }
}
