// Recognising files that are plainly not models, so that `--model photo.png` is answered with
// "a PNG image" rather than the nonsense header length its first eight bytes make.

import Foundation

/// What a file that is not a safetensors model appears to be, from its first bytes.
public enum FileSignature {
    /// A short description such as `"a PNG image"`, or nil when the bytes are not recognised.
    public static func kind(of bytes: [UInt8]) -> String? {
        let magic: [(prefix: [UInt8], kind: String)] = [
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            (Array("GIF8".utf8), "a GIF image"),
            ([0x1F, 0x8B], "gzip-compressed data"),
            // torch.save writes a ZIP archive holding pickles.
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (a PyTorch .pt/.pth file? save the state dict with safetensors.torch.save_file)"),
            ([0x00, 0x00, 0x08], "an IDX file of bytes (MNIST data, not a model)"),
        ]
        for (prefix, kind) in magic where bytes.starts(with: prefix) { return kind }
        let sample = bytes.prefix(4096)
        // Text: UTF-8 without control characters other than tab, line feed and carriage return.
        let whitespace: Set<UInt8> = [0x09, 0x0A, 0x0D, 0x20]
        guard !sample.isEmpty, sample.allSatisfy({ $0 >= 0x20 || whitespace.contains($0) }), isUTF8(sample) else { return nil }
        let first = sample.first { !whitespace.contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
           (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil {
            return "a JSON document"
        }
        return "a text file"
    }

    /// Whether `bytes` are UTF-8, allowing a character cut off at the end of the sample.
    private static func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        (0...min(3, bytes.count - 1)).contains { String(validating: bytes.dropLast($0), as: UTF8.self) != nil }
    }
}
