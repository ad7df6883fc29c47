// The element types a safetensors file may store, and their conversion to Float: PyTorch saves in
// whatever precision the model had (half precision is common for downloads), and batch norm's
// num_batches_tracked counter as a 64-bit integer.

extension SafeTensors {
    /// A stored element type that decoding converts to `Float`.
    public enum ElementType: String, CaseIterable, Sendable {
        case f32 = "F32"
        case f16 = "F16"
        case bf16 = "BF16"
        case f64 = "F64"
        case i64 = "I64"

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .f16, .bf16: return 2
            case .f32: return 4
            case .f64, .i64: return 8
            }
        }

        /// `count` little-endian elements starting at byte `start` of `bytes`, as `Float`. F64
        /// values beyond Float's range become infinities, which the model loader then refuses.
        func floats(_ bytes: [UInt8], from start: Int, count: Int) -> [Float] {
            precondition(start >= 0 && start + count * byteCount <= bytes.count, "tensor data out of bounds")
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    for i in 0..<count {
                        let offset = start + byteCount * i
                        switch self {
                        case .f32:
                            let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                            buffer[i] = Float(bitPattern: UInt32(littleEndian: bits))
                        case .f16:
                            let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
                            buffer[i] = Float(Float16(bitPattern: UInt16(littleEndian: bits)))
                        case .bf16:
                            // bfloat16 is the top half of a Float32.
                            let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
                            buffer[i] = Float(bitPattern: UInt32(UInt16(littleEndian: bits)) << 16)
                        case .f64:
                            let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                            buffer[i] = Float(Double(bitPattern: UInt64(littleEndian: bits)))
                        case .i64:
                            let bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                            buffer[i] = Float(Int64(bitPattern: UInt64(littleEndian: bits)))
                        }
                    }
                }
                initialized = count
            }
        }
    }
}
