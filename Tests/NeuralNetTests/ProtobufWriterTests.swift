// The protobuf writer against encodings worked out by hand and from the format's documentation
// (protobuf.dev, "Encoding": 150 is 96 01, field 1 = 150 is 08 96 01, field 2 = "testing" is
// 12 07 74 65 73 74 69 6e 67, and an embedded message holding field 1 = 150 in field 3 is
// 1a 03 08 96 01).

@testable import NeuralNet
import Testing

@Suite struct ProtobufWriterTests {
    static let varintTable: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (150, [0x96, 0x01]),
        (300, [0xAC, 0x02]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varintTable)
    func varints(value: UInt64, expected: [UInt8]) {
        var writer = ProtobufWriter()
        writer.appendVarint(value)
        #expect(writer.bytes == expected)
    }

    @Test func integerFields() {
        var writer = ProtobufWriter()
        writer.int(1, 150)
        #expect(writer.bytes == [0x08, 0x96, 0x01])
        // A negative int64 is its 64-bit two's complement: ten bytes.
        writer = ProtobufWriter()
        writer.int(1, -1)
        #expect(writer.bytes == [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        // Field numbers from 16 on take a two-byte key: 20 << 3 = 160 = A0 01.
        writer = ProtobufWriter()
        writer.int(20, 2)
        #expect(writer.bytes == [0xA0, 0x01, 0x02])
    }

    @Test func stringsAndNestedMessages() {
        var writer = ProtobufWriter()
        writer.string(2, "testing")
        #expect(writer.bytes == [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])
        writer = ProtobufWriter()
        writer.message(3) { $0.int(1, 150) }
        #expect(writer.bytes == [0x1A, 0x03, 0x08, 0x96, 0x01])
        writer = ProtobufWriter()
        writer.string(1, "")
        #expect(writer.bytes == [0x0A, 0x00])
    }

    @Test func floatsAreLittleEndianFixed32() {
        var writer = ProtobufWriter()
        writer.float(2, 1)
        #expect(writer.bytes == [0x15, 0x00, 0x00, 0x80, 0x3F])
        writer = ProtobufWriter()
        writer.packedFloats(4, [1, -2])
        #expect(writer.bytes == [0x22, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        writer = ProtobufWriter()
        writer.packedFloats(4, [Float](repeating: 0.5, count: 40))
        #expect(Array(writer.bytes.prefix(3)) == [0x22, 0xA0, 0x01], "160 bytes: a two-byte length")
        #expect(writer.bytes.count == 3 + 160)
    }
}
