// The tensors a model file of an architecture holds, named as PyTorch's nn.Sequential names them:
// "<position>.<name>". Known before any layer is built, so that a file's tensors can be checked
// against its declared network before that network (which may declare billions of units) is made.

extension Architecture {
    /// One tensor of the model: its full name, PyTorch's shape, and whether a file may leave it
    /// out (batch norm's `num_batches_tracked`, which PyTorch itself only counts).
    public struct TensorSpec: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        public let isOptional: Bool
    }

    /// Every tensor of the model in state-dict order.
    public var tensorSpecs: [TensorSpec] {
        var specs: [TensorSpec] = []
        var shape = input
        for (index, module) in modules.enumerated() {
            func add(_ name: String, _ dims: [Int], optional: Bool = false) {
                specs.append(TensorSpec(name: "\(index).\(name)", shape: dims, isOptional: optional))
            }
            switch module {
            case .convolution(let channels, let kernel, _, _, let bias):
                add("weight", [channels, shape.channels, kernel, kernel])
                if bias { add("bias", [channels]) }
            case .dense(let outputs, let bias):
                add("weight", [outputs, shape.count])
                if bias { add("bias", [outputs]) }
            case .batchNorm:
                for name in ["weight", "bias", "running_mean", "running_var"] { add(name, [shape.channels]) }
                add("num_batches_tracked", [], optional: true)
            case .maxPool, .relu, .dropout, .flatten:
                break
            }
            shape = shapes[index]
        }
        return specs
    }
}
