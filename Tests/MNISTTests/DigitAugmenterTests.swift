// On-the-fly digit augmentation: determinism for a seed, the identity and exact shifts, ink and
// range kept, smooth elastic fields, settings checked. The augmenter never sees labels, so that
// labels survive augmentation is a property of the minibatch loader and is tested there.

import Dispatch
import Foundation
@testable import MNIST
import NeuralNet
import TestSupport
import Testing

/// The bundled MNIST test images (bytes, 784 per image) and labels.
private let testDigits: Result<(pixels: [UInt8], labels: [Int]), IDXError> = Result { () throws(IDXError) in
    let dataset = try MNISTDataset.loadTestSet(directory: BundledData.mnistDirectory).dataset
    guard case .bytes(let pixels, _) = dataset.features else { preconditionFailure("MNIST images are stored as bytes") }
    return (pixels, dataset.labels)
}

private let area = MNISTDataset.side * MNISTDataset.side

/// The default elastic augmenter, made once: its field bank takes a moment in a debug build.
private let defaultAugmenter = Result { () throws(DigitAugmentationError) in try DigitAugmenter(.elastic) }

/// Test digit `index` as an image.
private func digit(_ index: Int) throws -> GrayImage {
    let pixels = try testDigits.get().pixels
    return GrayImage(width: MNISTDataset.side, height: MNISTDataset.side, pixels: Array(pixels[(index * area)..<((index + 1) * area)]))
}

/// `augmenter.augment` of `image` as 784 floats.
private func augment(_ image: GrayImage, with augmenter: DigitAugmenter, scale: Float = 1 / 255, seed: UInt64) -> [Float] {
    var output = [Float](repeating: .nan, count: area)
    image.pixels.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            augmenter.augment(source.baseAddress!, into: destination.baseAddress!, scale: scale, seed: seed)
        }
    }
    return output
}

/// `augmenter.apply(distortion)` of `image` as 784 floats.
private func apply(_ distortion: DigitDistortion, to image: GrayImage, with augmenter: DigitAugmenter, scale: Float = 1) -> [Float] {
    var output = [Float](repeating: .nan, count: area)
    image.pixels.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            augmenter.apply(distortion, to: source.baseAddress!, into: destination.baseAddress!, scale: scale)
        }
    }
    return output
}

/// A 28×28 image with the given pixels set to `level`.
private func image(_ points: [(x: Int, y: Int)], level: UInt8 = 255) -> GrayImage {
    var image = GrayImage(width: MNISTDataset.side, height: MNISTDataset.side, filledWith: 0)
    for point in points { image[x: point.x, y: point.y] = level }
    return image
}

@Suite struct DigitAugmenterTests {
    @Test(arguments: [DigitAugmentation.Kind.affine, .elastic])
    func theSameSeedGivesTheSameFloatsAndOtherSeedsOthers(kind: DigitAugmentation.Kind) throws {
        let augmenter = try DigitAugmenter(DigitAugmentation(kind: kind), fieldSeed: 7)
        let again = try DigitAugmenter(DigitAugmentation(kind: kind), fieldSeed: 7)
        let sample = try digit(0)
        let first = augment(sample, with: augmenter, seed: 12345)
        #expect(augment(sample, with: augmenter, seed: 12345) == first)
        #expect(augment(sample, with: again, seed: 12345) == first)
        for seed: UInt64 in [12344, 12346, 0, .max] {
            #expect(augment(sample, with: augmenter, seed: seed) != first)
        }
    }

    @Test func theFieldSeedChoosesTheFields() throws {
        let settings = DigitAugmentation(kind: .elastic)
        let sample = try digit(1)
        let one = augment(sample, with: try DigitAugmenter(settings, fieldSeed: 1), seed: 5)
        let other = augment(sample, with: try DigitAugmenter(settings, fieldSeed: 2), seed: 5)
        #expect(one != other)
    }

    @Test func samplesDoNotDependOnTheThreadThatMadeThem() throws {
        let augmenter = try defaultAugmenter.get()
        let (pixels, _) = try testDigits.get()
        let count = 64
        let serial = (0..<count).map { augment(try! digit($0), with: augmenter, seed: UInt64($0)) }
        // Each iteration writes only its own slice of `parallel`.
        let parallel = UnsafeMutableBufferPointer<Float>.allocate(capacity: count * area)
        defer { parallel.deallocate() }
        pixels.withUnsafeBufferPointer { source in
            nonisolated(unsafe) let from = source.baseAddress!, to = parallel.baseAddress!
            DispatchQueue.concurrentPerform(iterations: count) { index in
                augmenter.augment(from + index * area, into: to + index * area, scale: 1 / 255, seed: UInt64(index))
            }
        }
        #expect(Array(parallel) == serial.flatMap { $0 })
    }

    static let identitySettings: [DigitAugmentation] = [
        .none,
        DigitAugmentation(kind: .none, maxShift: 5, maxRotation: 90),
        DigitAugmentation(
            kind: .affine, maxShift: 0, maxRotation: 0, scaleRange: 1...1, maxAspectChange: 0, maxShear: 0,
            maxStrokeChange: 0),
        DigitAugmentation(
            kind: .elastic, maxShift: 0, maxRotation: 0, scaleRange: 1...1, maxAspectChange: 0, maxShear: 0,
            maxStrokeChange: 0, elasticAlpha: 0),
    ]

    @Test(arguments: identitySettings)
    func noDistortionIsThePlainConversion(settings: DigitAugmentation) throws {
        let augmenter = try DigitAugmenter(settings)
        for index in 0..<5 {
            let sample = try digit(index)
            let plain = sample.pixels.map { Float($0) * (1 / 255) }
            for seed: UInt64 in [0, 99] {
                #expect(augment(sample, with: augmenter, seed: seed) == plain)
            }
        }
    }

    @Test(arguments: [(1, 0), (-1, 0), (0, 1), (0, -1), (2, -1)])
    func aWholePixelShiftMovesEveryPixel(dx: Int, dy: Int) throws {
        let augmenter = try DigitAugmenter(.affine)
        let sample = try digit(2)
        let shifted = apply(DigitDistortion(shiftX: Float(dx), shiftY: Float(dy)), to: sample, with: augmenter, scale: 2)
        var expected = [Float](repeating: 0, count: area)
        for y in 0..<MNISTDataset.side {
            for x in 0..<MNISTDataset.side where (0..<MNISTDataset.side).contains(x - dx) && (0..<MNISTDataset.side).contains(y - dy) {
                expected[y * MNISTDataset.side + x] = Float(sample[x: x - dx, y: y - dy]) * 2
            }
        }
        #expect(shifted == expected)
    }

    @Test func aHalfPixelShiftAveragesNeighbours() throws {
        let augmenter = try DigitAugmenter(.affine)
        let shifted = apply(DigitDistortion(shiftX: 0.5), to: image([(10, 10)], level: 200), with: augmenter)
        #expect(shifted[10 * MNISTDataset.side + 10] == 100 && shifted[10 * MNISTDataset.side + 11] == 100)
        #expect(shifted.reduce(0, +) == 200)
    }

    @Test func strokesThickenAndThin() throws {
        let augmenter = try DigitAugmenter(.affine)
        let dot = apply(DigitDistortion(stroke: 1), to: image([(5, 7)]), with: augmenter)
        let cross = [(5, 7), (4, 7), (6, 7), (5, 6), (5, 8)].map { $0.1 * MNISTDataset.side + $0.0 }
        #expect(cross.allSatisfy { dot[$0] == 255 })
        #expect(dot.reduce(0, +) == 5 * 255)
        let halfway = apply(DigitDistortion(stroke: 0.5), to: image([(5, 7)]), with: augmenter)
        #expect(halfway[7 * MNISTDataset.side + 4] == 128 && halfway[7 * MNISTDataset.side + 5] == 255)
        let bar = image((3...9).flatMap { x in [(x, 10), (x, 11), (x, 12)] })
        let thinned = apply(DigitDistortion(stroke: -1), to: bar, with: augmenter)
        #expect(thinned.reduce(0, +) == 5 * 255, "a 7×3 bar thins to its 5×1 middle")

        let sample = try digit(3)
        let ink = sample.pixels.reduce(0) { $0 + Float($1) }
        let thicker = apply(DigitDistortion(stroke: 0.5), to: sample, with: augmenter).reduce(0, +)
        let thickest = apply(DigitDistortion(stroke: 1), to: sample, with: augmenter).reduce(0, +)
        let thinner = apply(DigitDistortion(stroke: -0.5), to: sample, with: augmenter).reduce(0, +)
        #expect(ink < thicker && thicker < thickest)
        #expect(thinner < ink && thinner > 0)
    }

    /// Ink ratios (output sum over input sum) of the first test digits under `settings`, each over
    /// the area factor scale² × aspect that the drawn affine map itself brings.
    private func inkRatios(_ settings: DigitAugmentation, digits: Int = 40, draws: Int = 10) throws -> (raw: [Float], perArea: [Float]) {
        let augmenter = settings == .elastic ? try defaultAugmenter.get() : try DigitAugmenter(settings)
        var raw: [Float] = [], perArea: [Float] = []
        for index in 0..<digits {
            let sample = try digit(index)
            let ink = sample.pixels.reduce(0) { $0 + Float($1) }
            for draw in 0..<draws {
                let distortion = augmenter.distortion(seed: UInt64(index * draws + draw))
                let ratio = apply(distortion, to: sample, with: augmenter).reduce(0, +) / ink
                raw.append(ratio)
                perArea.append(ratio / (distortion.scale * distortion.scale * distortion.aspect))
            }
        }
        return (raw, perArea)
    }

    @Test func theAffineMapKeepsInkPerArea() throws {
        let (_, perArea) = try inkRatios(DigitAugmentation(kind: .affine, maxStrokeChange: 0))
        #expect(perArea.allSatisfy { (0.8...1.2).contains($0) }, "ink per area \(perArea.min()!)…\(perArea.max()!)")
    }

    @Test func elasticFieldsKeepInkRoughly() throws {
        let (_, perArea) = try inkRatios(DigitAugmentation(kind: .elastic, maxStrokeChange: 0))
        let within = perArea.filter { abs($0 - 1) <= 0.25 }.count
        #expect(within >= perArea.count * 9 / 10, "\(within) of \(perArea.count) within ±25%")
    }

    @Test func theDefaultsKeepInkOnAverage() throws {
        let (raw, _) = try inkRatios(.elastic)
        let mean = raw.reduce(0, +) / Float(raw.count)
        let median = raw.sorted()[raw.count / 2]
        #expect(abs(mean - 1) < 0.05 && abs(median - 1) < 0.1, "mean \(mean), median \(median)")
    }

    static let strongSettings: [DigitAugmentation] = [
        .elastic,
        DigitAugmentation(kind: .elastic, maxShift: 6, maxRotation: 45, scaleRange: 0.5...1.6, maxShear: 0.6, maxStrokeChange: 1, elasticAlpha: 80, elasticSigma: 3),
    ]

    @Test(arguments: strongSettings)
    func outputStaysBetweenZeroAndFullInk(settings: DigitAugmentation) throws {
        let augmenter = try DigitAugmenter(settings)
        let scale: Float = 1 / 255
        for index in 0..<50 {
            let output = augment(try digit(index), with: augmenter, seed: UInt64(index))
            #expect(output.allSatisfy { $0 >= 0 && $0 <= 255 * scale })
        }
    }

    @Test func drawnDistortionsStayInTheirRanges() throws {
        let settings = DigitAugmentation.elastic
        let augmenter = try defaultAugmenter.get()
        let draws = (0..<1000).map { augmenter.distortion(seed: UInt64($0)) }
        #expect(draws.allSatisfy { abs($0.stroke) <= settings.maxStrokeChange && abs($0.rotation) <= settings.maxRotation })
        #expect(draws.allSatisfy { abs($0.shear) <= settings.maxShear && settings.scaleRange.contains($0.scale) })
        #expect(draws.allSatisfy { abs($0.aspect - 1) <= settings.maxAspectChange && $0.isElastic })
        #expect(draws.allSatisfy { abs($0.shiftX) <= settings.maxShift && abs($0.shiftY) <= settings.maxShift })
        // Both directions of every parameter occur.
        #expect(draws.contains { $0.rotation > 6 } && draws.contains { $0.rotation < -6 })
        #expect(draws.contains { $0.stroke > 0.25 } && draws.contains { $0.stroke < -0.25 })
        #expect(try DigitAugmenter(.affine).distortion(seed: 3).isElastic == false)
    }

    @Test func invalidSettingsAreRefusedByName() {
        let cases: [(DigitAugmentation, String)] = [
            (DigitAugmentation(maxShift: -1), "shift"),
            (DigitAugmentation(maxRotation: .nan), "rotation"),
            (DigitAugmentation(scaleRange: 0...1), "scale"),
            (DigitAugmentation(maxAspectChange: 1), "aspect"),
            (DigitAugmentation(maxShear: .infinity), "shear"),
            (DigitAugmentation(maxStrokeChange: 1.5), "stroke"),
            (DigitAugmentation(elasticAlpha: -3), "alpha"),
            (DigitAugmentation(elasticSigma: -1), "sigma"),
        ]
        for (settings, name) in cases {
            let error = #expect(throws: DigitAugmentationError.self) { try DigitAugmenter(settings) }
            guard case .invalidSetting(let reported, _, _) = error else { continue }
            #expect(reported == name)
            #expect(error?.description.contains(name) == true)
        }
    }

    @Test func descriptionsNameTheKindAndItsSettings() {
        #expect(DigitAugmentation.none.description == "none")
        let affine = DigitAugmentation.affine.description
        #expect(affine.hasPrefix("affine(") && affine.contains("rotation=12") && !affine.contains("alpha"))
        let elastic = DigitAugmentation(elasticAlpha: 30, elasticSigma: 4.5).description
        #expect(elastic.hasPrefix("elastic(") && elastic.contains("alpha=30,") && elastic.contains("sigma=4.5)"))
        #expect(DigitAugmentation.elastic != DigitAugmentation(elasticAlpha: 30))
    }

    @Test(arguments: [Float(4), 2, 0])
    func fieldsAreSmoothAsTheirSigmaSaysAndScaledByAlpha(sigma: Float) {
        let alpha: Float = 34
        let bank = ElasticFieldBank(alpha: alpha, sigma: sigma, seed: 3)
        let side = ElasticFieldBank.side
        var squares = 0.0, differences = 0.0, pairs = 0
        for plane in 0..<bank.planeCount {
            for y in 0..<side {
                for x in 0..<side {
                    let here = Double(bank.values[(plane * side + y) * side + x])
                    squares += here * here
                    if x + 1 < side {
                        let next = Double(bank.values[(plane * side + y) * side + x + 1])
                        differences += (next - here) * (next - here)
                        pairs += 1
                    }
                }
            }
        }
        let rms = (squares / Double(bank.planeCount * side * side)).squareRoot()
        let rmsDifference = (differences / Double(pairs)).squareRoot()
        // Uniform noise in [−1, 1] has variance 1/3; a separable filter multiplies it by (Σw²)²,
        // and neighbours correlate by ρ = Σ w[i]·w[i+1] / Σw².
        let kernel = ElasticFieldBank.gaussianKernel(sigma: sigma).map(Double.init)
        let sumOfSquares = kernel.reduce(0) { $0 + $1 * $1 }
        let lagged = zip(kernel, kernel.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        let expectedRMS = Double(alpha) * sumOfSquares / 3.0.squareRoot()
        let expectedRatio = (2 * (1 - lagged / sumOfSquares)).squareRoot()
        #expect(abs(rms / expectedRMS - 1) < 0.15, "rms \(rms), expected \(expectedRMS)")
        #expect(abs(rmsDifference / rms / expectedRatio - 1) < 0.2, "neighbour difference \(rmsDifference / rms) of rms, expected \(expectedRatio)")
        if sigma >= 4 { #expect(rmsDifference < 0.25 * rms) }
    }

    /// Writes a grid of the first test digit of each class (rows) as it is and under eight draws
    /// of the default elastic augmentation, to the PNG file named by `AUGMENTATION_GRID` if set.
    @Test func aGridOfAugmentedDigitsStaysInked() throws {
        let augmenter = try defaultAugmenter.get()
        let labels = try testDigits.get().labels
        let rows = try (0..<10).map { label in try digit(labels.firstIndex(of: label)!) }
        let columns = 9, cell = MNISTDataset.side + 2, zoom = 2
        var grid = GrayImage(width: columns * cell * zoom, height: rows.count * cell * zoom, filledWith: 64)
        for (row, sample) in rows.enumerated() {
            for column in 0..<columns {
                let shown = column == 0 ? sample : augmenter.augmented(sample, seed: UInt64(row * 100 + column))
                #expect(shown.pixels.contains { $0 > 128 }, "digit \(row), draw \(column) lost its ink")
                for y in 0..<(MNISTDataset.side * zoom) {
                    for x in 0..<(MNISTDataset.side * zoom) {
                        grid[x: (column * cell + 1) * zoom + x, y: (row * cell + 1) * zoom + y] = shown[x: x / zoom, y: y / zoom]
                    }
                }
            }
        }
        if let path = ProcessInfo.processInfo.environment["AUGMENTATION_GRID"] {
            try grid.writePNG(to: path)
        }
    }
}
