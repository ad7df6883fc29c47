// The safetensors codec: round trips, a file written by Python's safetensors, and corrupt files,
// each of which must be refused with the specific error that says what is wrong.

import Foundation
import NeuralNet
import Testing

/// A safetensors file assembled by hand: length field, header text, data bytes.
func safeTensorsFile(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (declaredLength ?? UInt64(headerBytes.count)).littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + headerBytes + data
}

/// One corrupt file and the kind of error it must produce.
struct CorruptFile: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: SafeTensorsError.Kind
    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ expected: SafeTensorsError.Kind) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
    }

    /// A header with one or two tensors and `dataBytes` bytes of data.
    init(_ name: String, tensors: String, dataBytes: Int, _ expected: SafeTensorsError.Kind) {
        self.init(name, safeTensorsFile(header: "{\(tensors)}", data: Array(repeating: 0, count: dataBytes)), expected)
    }
}

extension SafeTensorsError {
    /// The case without its payload, so tables can name the expected error.
    enum Kind: Sendable { case tooShort, headerLength, header, tensor, dtype, tiling }

    var kind: Kind {
        switch self {
        case .tooShort: .tooShort
        case .headerLengthOutOfBounds, .headerTooLarge: .headerLength
        case .invalidHeader: .header
        case .invalidTensor: .tensor
        case .unsupportedDType: .dtype
        case .offsetsDoNotTile: .tiling
        }
    }
}

@Suite struct SafeTensorsTests {
    static let document = SafeTensors(
        metadata: ["layers": "3,2", "note": "quotes \" backslash \\ newline \n tab \t control \u{1} unicode ✓"],
        tensors: [
            Tensor(name: "0.weight", shape: [2, 3], values: [1, -2, 3.5, .pi, -0, 1e-38]),
            Tensor(name: "0.bias", shape: [2], values: [.greatestFiniteMagnitude, -.leastNonzeroMagnitude]),
            Tensor(name: "empty", shape: [0], values: []),
            Tensor(name: "scalar", shape: [], values: [42]),
        ])

    @Test func encodeThenDecodeGivesTheSameDocument() throws {
        let bytes = Self.document.encoded()
        let decoded = try SafeTensors(decoding: bytes)
        #expect(decoded == Self.document)
        #expect(decoded.encoded() == bytes)
    }

    @Test func layoutIsLengthThenPaddedJSONThenLittleEndianFloats() throws {
        let document = SafeTensors(metadata: [:], tensors: [Tensor(name: "w", shape: [2], values: [1, -2])])
        let bytes = document.encoded()
        let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(length % 8 == 0)
        #expect(bytes.count == 8 + length + 8)
        let header = try #require(String(bytes: bytes[8..<(8 + length)], encoding: .utf8))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
        let entry = try #require(json["w"] as? [String: Any])
        #expect(entry["dtype"] as? String == "F32")
        #expect(entry["shape"] as? [Int] == [2])
        #expect(entry["data_offsets"] as? [Int] == [0, 8])
        #expect(Array(bytes.suffix(8)) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
    }

    /// Written by Python: `safetensors.numpy.save({"b": [0.5, -1], "a": arange(6).reshape(2, 3)},
    /// metadata={"k": "v"})`, which sorts tensors by name and pads the header with spaces.
    static let pythonFile: [UInt8] = {
        let hex = "9000000000000000" + Array(#"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}}       "#.utf8).map { String(format: "%02x", $0) }.joined()
            + "000000000000803f0000004000004040000080400000a0400000003f000080bf"
        return stride(from: 0, to: hex.count, by: 2).map { i in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }()

    @Test func decodesAFileWrittenByPython() throws {
        let decoded = try SafeTensors(decoding: Self.pythonFile)
        #expect(decoded.metadata == ["k": "v"])
        #expect(decoded["a"] == Tensor(name: "a", shape: [2, 3], values: [0, 1, 2, 3, 4, 5]))
        #expect(decoded["b"] == Tensor(name: "b", shape: [2], values: [0.5, -1]))
        #expect(decoded.tensors.map(\.name) == ["a", "b"])
    }

    static let corruptFiles: [CorruptFile] = [
        CorruptFile("empty file", [], .tooShort),
        CorruptFile("shorter than the length field", [1, 0, 0], .tooShort),
        CorruptFile("header length beyond the file", safeTensorsFile(header: "{}", declaredLength: 100), .headerLength),
        CorruptFile("header length 2^60", safeTensorsFile(header: "{}", declaredLength: 1 << 60), .headerLength),
        CorruptFile("header length 2^64 - 1", safeTensorsFile(header: "{}", declaredLength: .max), .headerLength),
        CorruptFile("empty header", safeTensorsFile(header: ""), .header),
        CorruptFile("header is not JSON", safeTensorsFile(header: "not json at all"), .header),
        CorruptFile("header is a JSON array", safeTensorsFile(header: "[1, 2, 3]"), .header),
        CorruptFile("header is a JSON string", safeTensorsFile(header: "\"text\""), .header),
        CorruptFile("metadata is not an object", safeTensorsFile(header: #"{"__metadata__": [1]}"#), .header),
        CorruptFile("metadata value is not a string", safeTensorsFile(header: #"{"__metadata__": {"layers": 784}}"#), .header),
        CorruptFile("tensor entry is not an object", tensors: #""w": 5"#, dataBytes: 0, .tensor),
        CorruptFile("tensor without dtype", tensors: #""w": {"shape": [1], "data_offsets": [0, 4]}"#, dataBytes: 4, .tensor),
        CorruptFile("dtype I32", tensors: #""w": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]}"#, dataBytes: 4, .dtype),
        CorruptFile("dtype BOOL", tensors: #""w": {"dtype": "BOOL", "shape": [2], "data_offsets": [0, 2]}"#, dataBytes: 2, .dtype),
        CorruptFile("F16 sized as F32", tensors: #""w": {"dtype": "F16", "shape": [2], "data_offsets": [0, 8]}"#, dataBytes: 8, .tensor),
        CorruptFile("F64 sized as F32", tensors: #""w": {"dtype": "F64", "shape": [2], "data_offsets": [0, 8]}"#, dataBytes: 8, .tensor),
        CorruptFile("shape is not a list", tensors: #""w": {"dtype": "F32", "shape": 4, "data_offsets": [0, 16]}"#, dataBytes: 16, .tensor),
        CorruptFile("negative dimension", tensors: #""w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}"#, dataBytes: 4, .tensor),
        CorruptFile("fractional dimension", tensors: #""w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}"#, dataBytes: 4, .tensor),
        CorruptFile("boolean dimension", tensors: #""w": {"dtype": "F32", "shape": [true], "data_offsets": [0, 4]}"#, dataBytes: 4, .tensor),
        CorruptFile("shape does not match offsets", tensors: #""w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 12]}"#, dataBytes: 12, .tensor),
        CorruptFile("shape larger than the file", tensors: #""w": {"dtype": "F32", "shape": [1000000000, 1000000000], "data_offsets": [0, 4]}"#, dataBytes: 4, .tensor),
        CorruptFile("shape product overflows", tensors: #""w": {"dtype": "F32", "shape": [2147483647, 2147483647, 2147483647], "data_offsets": [0, 4]}"#, dataBytes: 4, .tensor),
        CorruptFile("one offset", tensors: #""w": {"dtype": "F32", "shape": [1], "data_offsets": [4]}"#, dataBytes: 4, .tensor),
        CorruptFile("negative offsets", tensors: #""w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}"#, dataBytes: 4, .tensor),
        CorruptFile("end before begin", tensors: #""w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}"#, dataBytes: 4, .tensor),
        CorruptFile("offsets beyond the data", tensors: #""w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}"#, dataBytes: 4, .tiling),
        CorruptFile("overlapping offsets", tensors: #""a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}"#, dataBytes: 12, .tiling),
        CorruptFile("two tensors on the same bytes", tensors: #""a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}"#, dataBytes: 4, .tiling),
        CorruptFile("gap between tensors", tensors: #""a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}"#, dataBytes: 12, .tiling),
        CorruptFile("trailing bytes after the tensors", tensors: #""a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}"#, dataBytes: 8, .tiling),
        CorruptFile("data but no tensors", tensors: "", dataBytes: 4, .tiling),
    ]

    @Test(arguments: corruptFiles)
    func corruptFileIsRefusedWithTheRightError(file: CorruptFile) throws {
        let error = try #require(throws: SafeTensorsError.self) { try SafeTensors(decoding: file.bytes) }
        #expect(error.kind == file.expected, "\(error)")
        #expect(!error.description.isEmpty)
    }

    @Test func errorsCarryWhatWasFound() {
        #expect(throws: SafeTensorsError.tooShort(byteCount: 3)) { try SafeTensors(decoding: [1, 2, 3]) }
        #expect(throws: SafeTensorsError.headerLengthOutOfBounds(declared: 1 << 60, available: 2)) {
            try SafeTensors(decoding: safeTensorsFile(header: "{}", declaredLength: 1 << 60))
        }
        // A header the file does hold, but one byte longer than the limit.
        let limit = SafeTensors.maximumHeaderLength
        let oversized = safeTensorsFile(header: "{}" + String(repeating: " ", count: limit - 1))
        #expect(throws: SafeTensorsError.headerTooLarge(declared: UInt64(limit + 1), limit: limit)) {
            try SafeTensors(decoding: oversized)
        }
        #expect(throws: SafeTensorsError.unsupportedDType(name: "w", dtype: "I32")) {
            try SafeTensors(decoding: safeTensorsFile(header: #"{"w": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0]))
        }
        let gap = #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}"#
        #expect(throws: SafeTensorsError.offsetsDoNotTile("tensor \"b\" starts at byte 8, expected 4")) {
            try SafeTensors(decoding: safeTensorsFile(header: gap, data: Array(repeating: 0, count: 12)))
        }
    }

    @Test func emptyDocumentAndHeaderWithoutMetadataDecode() throws {
        #expect(try SafeTensors(decoding: safeTensorsFile(header: "{}")) == SafeTensors(tensors: []))
        let plain = try SafeTensors(decoding: safeTensorsFile(
            header: #"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0x80, 0x3F]))
        #expect(plain == SafeTensors(tensors: [Tensor(name: "w", shape: [1], values: [1])]))
    }

    /// The same values stored in each floating-point type decode to the same Floats: values every
    /// type holds exactly, little-endian bytes written out by hand.
    static let conversions: [(dtype: String, data: [UInt8])] = [
        // 1.0, -2.5, 0.0, 65504 (F16's largest)
        ("F32", [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0, 0, 0, 0, 0, 0x00, 0xE0, 0x7F, 0x47]),
        ("F16", [0x00, 0x3C, 0x00, 0xC1, 0x00, 0x00, 0xFF, 0x7B]),
        ("BF16", [0x80, 0x3F, 0x20, 0xC0, 0x00, 0x00, 0x80, 0x47]),
        ("F64", [0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0x04, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFC, 0xEF, 0x40]),
    ]

    @Test(arguments: conversions)
    func floatingPointTypesAreConvertedToFloat(dtype: String, data: [UInt8]) throws {
        let header = #"{"w": {"dtype": "\#(dtype)", "shape": [2, 2], "data_offsets": [0, \#(data.count)]}}"#
        let document = try SafeTensors(decoding: safeTensorsFile(header: header, data: data))
        // BF16 keeps 8 bits of mantissa: 65504 becomes 65536.
        let largest: Float = dtype == "BF16" ? 65536 : 65504
        #expect(document.tensors == [Tensor(name: "w", shape: [2, 2], values: [1, -2.5, 0, largest])])
    }

    @Test func f64BeyondFloatRangeBecomesInfinity() throws {
        let header = #"{"w": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}"#
        let document = try SafeTensors(decoding: safeTensorsFile(header: header, data: withUnsafeBytes(of: (1e300).bitPattern.littleEndian, Array.init)))
        #expect(document["w"]?.values == [.infinity])
    }
}
