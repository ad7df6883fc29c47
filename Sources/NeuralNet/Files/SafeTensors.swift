// The safetensors file format (used by Hugging Face, PyTorch and others). Floating-point tensors
// are read as F32 whatever they were stored as (F16, BF16 and F64 are converted); files are
// written as F32:
//
//   8 bytes   little-endian UInt64 N, the length of the header
//   N bytes   JSON: {"__metadata__": {string: string}, "name": {"dtype": "F32", "shape": [..],
//             "data_offsets": [begin, end]}, ...}, padded with spaces to a multiple of 8
//   the rest  the tensors' bytes, little-endian, back to back; offsets are relative to here
//
// Decoding trusts nothing: the header length, the JSON, every dtype, shape and offset are checked
// against each other and against the bytes actually present before any tensor is materialised.

import Foundation

/// A named multi-dimensional array of `Float`, row-major.
public struct Tensor: Equatable, Sendable {
    /// The tensor's key in the file, such as `"0.weight"`.
    public var name: String
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values, row-major.
    public var values: [Float]

    /// A tensor; `values.count` must equal the product of `shape`.
    public init(name: String, shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// A safetensors document: string metadata and an ordered list of tensors, held as `Float`.
public struct SafeTensors: Equatable, Sendable {
    /// The `__metadata__` map.
    public var metadata: [String: String]
    /// The tensors, in the order they are stored.
    public var tensors: [Tensor]

    /// The largest header accepted when decoding: far beyond any real model's, far below memory.
    public static let maximumHeaderLength = 16 << 20

    /// A document from metadata and tensors.
    public init(metadata: [String: String] = [:], tensors: [Tensor]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    /// The tensor called `name`, if present.
    public subscript(name: String) -> Tensor? {
        tensors.first { $0.name == name }
    }

    /// The file's bytes. The same document always gives the same bytes (metadata keys are sorted).
    public func encoded() -> [UInt8] {
        var header = "{\"__metadata__\":{"
        header += metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            .joined(separator: ",")
        header += "}"
        var offset = 0
        for tensor in tensors {
            let end = offset + tensor.values.count * MemoryLayout<Float>.size
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            header += ",\(jsonString(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: headerBytes)
        for tensor in tensors {
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Decodes a safetensors file's bytes, checking every part of it.
    /// - Throws: `SafeTensorsError` naming the first inconsistency found.
    public init(decoding bytes: [UInt8]) throws(SafeTensorsError) {
        guard bytes.count >= 8 else { throw .tooShort(byteCount: bytes.count) }
        var declared: UInt64 = 0
        for i in (0..<8).reversed() { declared = declared << 8 | UInt64(bytes[i]) }
        let available = bytes.count - 8
        guard declared <= UInt64(available) else {
            throw .headerLengthOutOfBounds(declared: declared, available: available)
        }
        guard declared <= UInt64(Self.maximumHeaderLength) else {
            throw .headerTooLarge(declared: declared, limit: Self.maximumHeaderLength)
        }
        let headerLength = Int(declared)
        let object: [String: Any]
        do {
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)]))
            guard let dictionary = parsed as? [String: Any] else { throw SafeTensorsError.invalidHeader("the header is not a JSON object") }
            object = dictionary
        } catch let error as SafeTensorsError {
            throw error
        } catch {
            throw .invalidHeader("the header is not valid JSON")
        }

        var metadata: [String: String] = [:]
        if let raw = object["__metadata__"] {
            guard let map = raw as? [String: Any] else { throw .invalidHeader("__metadata__ is not an object") }
            for (key, value) in map {
                guard let string = value as? String else { throw .invalidHeader("metadata \"\(key)\" is not a string") }
                metadata[key] = string
            }
        }

        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var entries: [(name: String, shape: [Int], element: ElementType, begin: Int, end: Int)] = []
        for (name, raw) in object where name != "__metadata__" {
            guard let entry = raw as? [String: Any] else { throw .invalidTensor(name, "its entry is not an object") }
            guard let dtype = entry["dtype"] as? String else { throw .invalidTensor(name, "no dtype") }
            guard let element = ElementType(rawValue: dtype) else { throw .unsupportedDType(name: name, dtype: dtype) }
            guard let shape = Self.integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) })
            else { throw .invalidTensor(name, "shape is not a list of non-negative integers") }
            guard let offsets = Self.integers(entry["data_offsets"]), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1]
            else { throw .invalidTensor(name, "data_offsets is not a pair [begin, end] with begin ≤ end") }
            let (elements, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            let size = element.byteCount
            guard !overflow, elements <= dataLength / size, offsets[1] - offsets[0] == elements * size else {
                throw .invalidTensor(name, "shape \(shape) needs \(elements) × \(size) bytes (\(dtype)) but data_offsets \(offsets) span \(offsets[1] - offsets[0])")
            }
            entries.append((name, shape, element, offsets[0], offsets[1]))
        }

        // The tensors must tile the data exactly: no gaps, no overlaps, nothing left over.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expected = 0
        for entry in entries {
            guard entry.begin == expected else {
                throw .offsetsDoNotTile("tensor \"\(entry.name)\" starts at byte \(entry.begin), expected \(expected)")
            }
            expected = entry.end
        }
        guard expected == dataLength else {
            throw .offsetsDoNotTile("the tensors cover \(expected) bytes of data but the file holds \(dataLength)")
        }

        let tensors = entries.map { entry in
            Tensor(name: entry.name, shape: entry.shape,
                   values: entry.element.floats(bytes, from: dataStart + entry.begin, count: (entry.end - entry.begin) / entry.element.byteCount))
        }
        self.init(metadata: metadata, tensors: tensors)
    }

    /// `value` as a list of integers, if it is a JSON array of whole numbers.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            // JSON's true/false are NSNumbers of type "c"; `is Bool` cannot tell them apart, as on
            // Linux the numbers 0 and 1 cast to Bool too.
            if let number = element as? NSNumber, String(cString: number.objCType) == "c" { return nil }
            guard let integer = element as? Int else { return nil }
            result.append(integer)
        }
        return result
    }
}

/// What is wrong with bytes that do not decode as a safetensors document.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    case tooShort(byteCount: Int)
    /// The length field declares more header bytes than follow it.
    case headerLengthOutOfBounds(declared: UInt64, available: Int)
    /// The header is longer than `SafeTensors.maximumHeaderLength`, though the file holds it.
    case headerTooLarge(declared: UInt64, limit: Int)
    case invalidHeader(String)
    case invalidTensor(String, String)
    case unsupportedDType(name: String, dtype: String)
    case offsetsDoNotTile(String)

    public var description: String {
        switch self {
        case .tooShort(let count):
            return "too short for a safetensors file: \(count) bytes, the length field alone takes 8"
        case .headerLengthOutOfBounds(let declared, let available):
            return "header length \(declared) is out of bounds: the file holds \(available) bytes after the length field"
        case .headerTooLarge(let declared, let limit):
            return "header length \(declared) is more than the limit of \(limit) bytes"
        case .invalidHeader(let why):
            return "invalid safetensors header: \(why)"
        case .invalidTensor(let name, let why):
            return "tensor \"\(name)\": \(why)"
        case .unsupportedDType(let name, let dtype):
            let known = SafeTensors.ElementType.allCases.map(\.rawValue).joined(separator: ", ")
            return "tensor \"\(name)\" has dtype \(dtype); only these element types are read: \(known)"
        case .offsetsDoNotTile(let why):
            return "tensor data offsets are inconsistent: \(why)"
        }
    }
}
