// ONNX's tensors and typed values (onnx.proto: TensorProto, ValueInfoProto, TypeProto,
// TensorShapeProto): the weights a graph carries and the declared inputs and outputs.

/// A named float32 tensor stored in the graph (an initializer): a layer's weights.
public struct ONNXTensor: Equatable, Sendable {
    public var name: String
    /// The shape, outermost first.
    public var dims: [Int]
    /// The values in row-major order; `dims`' product of them.
    public var values: [Float]

    public init(name: String, dims: [Int], values: [Float]) {
        precondition(dims.reduce(1, *) == values.count, "\(values.count) values for shape \(dims)")
        self.name = name
        self.dims = dims
        self.values = values
    }

    /// TensorProto.DataType.FLOAT.
    static let floatType = 1

    // TensorProto: dims = 1, data_type = 2, float_data = 4 (packed), name = 8.
    func encode(into writer: inout ProtobufWriter) {
        for dim in dims { writer.int(1, dim) }
        writer.int(2, Self.floatType)
        writer.packedFloats(4, values)
        writer.string(8, name)
    }
}

/// One dimension of a declared shape: a fixed size, or a name for a size known only at run time
/// (such as the batch).
public enum ONNXDimension: Equatable, Sendable {
    case value(Int)
    case parameter(String)
}

/// A graph's declared input or output: a name, float32, and a shape.
public struct ONNXValueInfo: Equatable, Sendable {
    public var name: String
    public var shape: [ONNXDimension]

    public init(name: String, shape: [ONNXDimension]) {
        self.name = name
        self.shape = shape
    }

    // ValueInfoProto: name = 1, type = 2. TypeProto: tensor_type = 1. TypeProto.Tensor:
    // elem_type = 1, shape = 2. TensorShapeProto: dim = 1. Dimension: dim_value = 1, dim_param = 2.
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        writer.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, ONNXTensor.floatType)
                tensor.message(2) { shapeWriter in
                    for dimension in shape {
                        shapeWriter.message(1) { dim in
                            switch dimension {
                            case .value(let size): dim.int(1, size)
                            case .parameter(let name): dim.string(2, name)
                            }
                        }
                    }
                }
            }
        }
    }
}
