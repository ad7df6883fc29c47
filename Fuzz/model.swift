// libFuzzer target: the safetensors model loader, SafeTensors(decoding:) then
// Network(safeTensors:), the two steps of Network.load(from:). Any input must give a value or a
// typed error (SafeTensorsError, ModelError); a trap or a sanitizer report is a finding.
// Built and run by scripts/fuzz model.

import NeuralNet

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let document = try? SafeTensors(decoding: bytes) else { return 0 }
    // What decodes must encode and decode again to the same names, shapes and metadata.
    guard let again = try? SafeTensors(decoding: document.encoded()) else {
        preconditionFailure("a decoded document does not decode after encoding")
    }
    precondition(again.metadata == document.metadata, "metadata changed in a round trip")
    precondition(again.tensors.map(\.name) == document.tensors.map(\.name), "tensor names changed in a round trip")
    precondition(again.tensors.map(\.shape) == document.tensors.map(\.shape), "tensor shapes changed in a round trip")

    guard let network = try? Network(safeTensors: document) else { return 0 }
    // A loaded network classifies: one input row gives one probability per class.
    let output = network.probabilities(Matrix(rows: 1, columns: network.inputSize))
    precondition(output.rows == 1 && output.columns == network.classCount, "output has the wrong shape")
    return 0
}
