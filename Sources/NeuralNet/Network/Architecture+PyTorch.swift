// The PyTorch source of an architecture: the nn.Sequential whose state dict has exactly the names
// and shapes of our model files, so that `load_state_dict(..., strict=True)` takes them as they are.

extension Architecture {
    /// One line of Python per module, constructing it (`nn.Conv2d(1, 32, kernel_size=5, …)`).
    public var pytorchModules: [String] {
        var shape = input
        return modules.enumerated().map { index, module in
            defer { shape = shapes[index] }
            switch module {
            case .convolution(let channels, let kernel, let stride, let padding, let bias):
                return "nn.Conv2d(\(shape.channels), \(channels), kernel_size=\(kernel), stride=\(stride), padding=\(padding), bias=\(bias ? "True" : "False"))"
            case .maxPool(let size):
                return "nn.MaxPool2d(\(size))"
            case .batchNorm:
                return Self.isImage(input, before: modules[..<index])
                    ? "nn.BatchNorm2d(\(shape.channels))" : "nn.BatchNorm1d(\(shape.channels))"
            case .relu:
                return "nn.ReLU()"
            case .dropout(let p):
                return "nn.Dropout(\(p))"
            case .flatten:
                return "nn.Flatten()"
            case .dense(let outputs, let bias):
                return "nn.Linear(\(shape.count), \(outputs), bias=\(bias ? "True" : "False"))"
            }
        }
    }

    /// The shape of PyTorch's input tensor for a batch of N samples: `[N, 784]`, `[N, 1, 28, 28]`.
    public var pytorchInputShape: String {
        input.isSpatial ? "[N, \(input.channels), \(input.height), \(input.width)]" : "[N, \(input.count)]"
    }
}
