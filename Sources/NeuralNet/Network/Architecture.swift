// What a network is made of, as the list of modules of the PyTorch nn.Sequential it is saved as:
// the grammar (Architecture+Grammar.swift) writes and reads it, Network builds its layers from it,
// model files name their tensors by its positions.

/// A feed-forward classifier's layers in order, with the shape of one sample between them.
///
/// Built from the compact grammar, e.g. `1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10`, or from layer
/// sizes such as `[784, 128, 64, 10]`. ReLUs and the flattening before the first dense layer are
/// implied, so `modules` holds more than the grammar says: exactly the modules, one for one, of the
/// `nn.Sequential` that `mnist-model pytorch` prints.
public struct Architecture: Hashable, Sendable {
    /// One module of the sequence.
    public enum Module: Hashable, Sendable {
        /// `nn.Conv2d(in, channels, kernel, stride, padding, bias:)`.
        case convolution(channels: Int, kernel: Int, stride: Int, padding: Int, bias: Bool)
        /// `nn.MaxPool2d(size)`.
        case maxPool(size: Int)
        /// `nn.BatchNorm2d` after a convolution, `nn.BatchNorm1d` after a dense layer.
        case batchNorm
        /// `nn.ReLU()`.
        case relu
        /// `nn.Dropout(p)`.
        case dropout(Float)
        /// `nn.Flatten()`.
        case flatten
        /// `nn.Linear(in, outputs, bias:)`.
        case dense(outputs: Int, bias: Bool)
    }

    /// The shape of one input sample: `784` features, or `1x28x28`.
    public let input: ImageShape
    /// The modules in order.
    public let modules: [Module]
    /// The shape after each module (`shapes[i]` is module `i`'s output).
    public let shapes: [ImageShape]

    /// An architecture from its modules, checking that each fits the shape it is given.
    /// - Throws: `ArchitectureError` naming the first module that does not fit.
    public init(input: ImageShape, modules: [Module]) throws(ArchitectureError) {
        guard input.count > 0 else { throw .emptyInput }
        var shapes: [ImageShape] = []
        var shape = input
        for (index, module) in modules.enumerated() {
            shape = try Self.shape(after: module, at: index, given: shape, isImage: Self.isImage(input, before: modules[..<index]))
            shapes.append(shape)
        }
        guard case .dense = modules.last else { throw .lastIsNotDense }
        self.input = input
        self.modules = modules
        self.shapes = shapes
    }

    /// A multilayer perceptron: a dense layer between consecutive sizes, a ReLU after each but the
    /// last and, with a dropout probability above 0, a dropout after each of those ReLUs.
    /// - Throws: `ArchitectureError` unless there are two or more sizes, all positive.
    public init(layerSizes: [Int], dropout: Float = 0) throws(ArchitectureError) {
        guard layerSizes.count >= 2 else { throw .tooFewSizes(layerSizes.count) }
        guard let bad = layerSizes.firstIndex(where: { $0 <= 0 }) else {
            var modules: [Module] = []
            for (index, size) in layerSizes.dropFirst().enumerated() {
                modules.append(.dense(outputs: size, bias: true))
                guard index < layerSizes.count - 2 else { break }
                modules.append(.relu)
                if dropout > 0 { modules.append(.dropout(dropout)) }
            }
            try self.init(input: ImageShape(features: layerSizes[0]), modules: modules)
            return
        }
        throw .nonPositiveSize(position: bad, size: layerSizes[bad])
    }

    /// Classes the network tells apart: the last dense layer's outputs.
    public var classCount: Int { shapes.last!.count }

    /// The layer sizes, for a multilayer perceptron (dense layers and ReLUs, maybe dropouts);
    /// nil for any other network.
    public var layerSizes: [Int]? {
        var sizes = [input.count]
        for module in modules {
            switch module {
            case .dense(let outputs, true): sizes.append(outputs)
            case .relu, .dropout: continue
            default: return nil
            }
        }
        return input.isSpatial ? nil : sizes
    }

    /// Whether samples are still images after `modules`: the input was one, and nothing has
    /// flattened it since (a 1×1 map is still an image).
    static func isImage(_ input: ImageShape, before modules: ArraySlice<Module>) -> Bool {
        input.isSpatial && !modules.contains { module in
            if case .dense = module { return true }
            return module == .flatten
        }
    }

    /// The shape that `module` (at `index`) makes of `shape`, an image or not.
    static func shape(after module: Module, at index: Int, given shape: ImageShape, isImage: Bool) throws(ArchitectureError) -> ImageShape {
        switch module {
        case .convolution(let channels, let kernel, let stride, let padding, _):
            guard isImage else { throw .needsImage(index: index, module: module, shape: shape) }
            guard channels > 0, kernel > 0, stride > 0, padding >= 0, padding < kernel else {
                throw .invalidModule(index: index, module: module)
            }
            let geometry = ConvolutionGeometry(input: shape, kernel: kernel, stride: stride, padding: padding)
            guard geometry.outputHeight > 0, geometry.outputWidth > 0 else {
                throw .doesNotFit(index: index, module: module, shape: shape)
            }
            return ImageShape(channels: channels, height: geometry.outputHeight, width: geometry.outputWidth)
        case .maxPool(let size):
            guard isImage else { throw .needsImage(index: index, module: module, shape: shape) }
            guard size > 0 else { throw .invalidModule(index: index, module: module) }
            guard shape.height >= size, shape.width >= size else {
                throw .doesNotFit(index: index, module: module, shape: shape)
            }
            return ImageShape(channels: shape.channels, height: shape.height / size, width: shape.width / size)
        case .batchNorm, .relu, .dropout:
            if case .dropout(let p) = module, !(0..<1).contains(p) { throw .invalidModule(index: index, module: module) }
            return shape
        case .flatten:
            return ImageShape(features: shape.count)
        case .dense(let outputs, _):
            guard outputs > 0 else { throw .invalidModule(index: index, module: module) }
            guard !isImage else { throw .needsFlatten(index: index) }
            return ImageShape(features: outputs)
        }
    }
}
