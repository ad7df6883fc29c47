// The committed JPEG fixtures (Tests/MNISTTests/Fixtures/jpeg, made by
// scripts/make_jpeg_fixtures.py), shared by the decoder's and the preprocessing's tests.

import Foundation
import NeuralNet

/// Tests/MNISTTests/Fixtures/jpeg/, found from this file's place.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent("jpeg")

/// The bytes of the fixture file `name`.
func jpegFixture(_ name: String) throws -> [UInt8] {
    try readFile(fixtures.appendingPathComponent(name).path)
}
