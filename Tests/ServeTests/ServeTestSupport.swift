// Fixtures for the route tests: a small model file with random weights (the routes' behaviour,
// not the model's accuracy, is under test), PNG bodies good and bad, and the JSON they answer.

import Foundation
import Hummingbird
import MNIST
import NeuralNet
@testable import mnist_serve

enum ServeFixtures {
    /// A 784-16-10 model in a temporary file, with a test accuracy in its metadata. Tests only read
    /// it, so one file serves them all: its name says what it holds, every run writes the same
    /// bytes (atomically), and runs no longer leave a file per test behind in the temporary folder.
    static func modelFile() throws -> String {
        if let sharedModelFile { return sharedModelFile }
        return try writeModelFile()  // once more, for the error
    }

    private static let sharedModelFile: String? = try? writeModelFile()

    private static func writeModelFile() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("mnist-serve-tests-784-16-10-seed-5.safetensors").path
        let network = try Network(layerSizes: [784, 16, 10], seed: 5)
        try network.save(to: path, metadata: ["test_accuracy": "0.5000", "epochs": "1"])
        return path
    }

    /// The classifier over a fresh model file, and the file (for direct comparisons).
    static func classifier() throws -> (DigitClassifier, path: String) {
        let path = try modelFile()
        return (try DigitClassifier(modelPath: path), path)
    }

    /// A dark "1" (a vertical bar) on white paper, `side` pixels square.
    static func digitPNG(side: Int = 100) throws -> [UInt8] {
        var image = GrayImage(width: side, height: side, filledWith: 255)
        for y in side / 5..<(side * 4 / 5) {
            for x in (side / 2 - 3)..<(side / 2 + 3) { image.pixels[y * side + x] = 0 }
        }
        return try image.pngData()
    }

    /// A white image: a valid PNG with no ink.
    static func blankPNG() throws -> [UInt8] {
        try GrayImage(width: 40, height: 40, filledWith: 255).pngData()
    }

    /// A PNG that declares `width × height` pixels in a valid IHDR, followed by a token IDAT and
    /// IEND: enough for libpng to read the header, far too little for the pixels.
    static func headerOnlyPNG(width: UInt32, height: UInt32) -> [UInt8] {
        func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
        }
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        return signature + chunk("IHDR", bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0])
            + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
    }

    /// The CRC-32 a PNG chunk carries (ISO 3309), bit by bit: a fixture needs no table.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// The `error` message of a JSON error body, or nil when the body is not one.
    static func errorMessage(_ body: ByteBuffer) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              object.count == 1 else { return nil }
        return object["error"] as? String
    }
}
