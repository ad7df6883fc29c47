// The protocol buffers wire format, as much of it as an ONNX file needs: varints, length-delimited
// fields (bytes, strings, nested messages, packed floats) and nothing else. Writing only, in field
// order as the caller gives it; https://protobuf.dev/programming-guides/encoding/ describes the format.

/// Appends protobuf fields to a byte buffer.
///
/// A field is a key, `(number << 3) | wireType`, as a varint, then the value. Wire type 0 is a
/// varint, 2 a length-delimited run of bytes, 5 four little-endian bytes.
struct ProtobufWriter {
    /// The message so far.
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 {
        case varint = 0
        case lengthDelimited = 2
        case fixed32 = 5
    }

    /// An unsigned integer, 7 bits per byte, least significant group first, the high bit set on
    /// every byte but the last.
    mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func appendKey(_ field: Int, _ type: WireType) {
        precondition(field > 0, "protobuf field numbers start at 1")
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    /// An `int64`, `int32` or enum field. A negative value takes ten bytes (its 64-bit two's
    /// complement), as protobuf's `int64` encodes it.
    mutating func int(_ field: Int, _ value: Int) {
        appendKey(field, .varint)
        appendVarint(UInt64(bitPattern: Int64(value)))
    }

    /// A `float` field: four little-endian bytes.
    mutating func float(_ field: Int, _ value: Float) {
        appendKey(field, .fixed32)
        appendLittleEndian(value.bitPattern)
    }

    /// A `bytes` field.
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field: its UTF-8 bytes.
    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// A nested message field, written by `body` into a writer of its own.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        bytes(field, nested.bytes)
    }

    /// A `repeated float` field, packed: one length-delimited run of four-byte floats.
    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(4 * values.count))
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for value in values { appendLittleEndian(value.bitPattern) }
    }

    private mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }
}
