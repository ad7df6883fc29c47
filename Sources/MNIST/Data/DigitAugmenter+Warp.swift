// Applying a distortion to one digit: the hot loop of augmented training, run once per sample.
//
// The image is first copied into a 32×32 byte buffer with two zero pixels on every side, so that
// bilinear sampling needs no bounds tests: a sampling position is clamped into the buffer, and
// everything beyond the image reads zeros. The stroke change works on that buffer in place; the
// affine map and the elastic field are then composed into one sampling position per output pixel,
// computed row by row, and the four neighbours are blended. Nothing allocates: the buffers are
// 1 KB each, which `withUnsafeTemporaryAllocation` keeps on the stack.

import Foundation

/// Zero pixels on each side of the padded copy.
private let margin = 2
/// Side of the padded copy.
private let paddedSide = MNISTDataset.side + 2 * margin
private let paddedArea = paddedSide * paddedSide

extension DigitAugmenter {
    /// Writes `distortion` applied to the 28×28 byte image at `source` into the 784 floats at
    /// `destination`, each level multiplied by `scale`. The identity writes `Float(byte) * scale`
    /// exactly, as the plain gather does.
    public func apply(_ distortion: DigitDistortion, to source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, scale: Float) {
        let side = MNISTDataset.side
        if distortion == .identity {
            for i in 0..<(side * side) { destination[i] = Float(source[i]) * scale }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: paddedArea) { buffer in
            let padded = buffer.baseAddress!
            padded.initialize(repeating: 0, count: paddedArea)
            for y in 0..<side {
                (padded + (y + margin) * paddedSide + margin).update(from: source + y * side, count: side)
            }
            if distortion.stroke != 0 { changeStroke(of: padded, by: distortion.stroke) }
            sample(padded, into: destination, scale: scale, distortion: distortion)
        }
    }

    /// Blends the padded image towards its grey-level dilation (`amount` > 0) or erosion
    /// (`amount` < 0) by `|amount|`, both by a cross: a pixel and its four neighbours. (A 3×3
    /// square erodes MNIST's thin diagonal strokes away; the cross leaves them thin but visible.)
    ///
    /// Erosion is dilation of the inverted image, so one loop serves both: the image is inverted
    /// before and after (the zero margin then acts as ink while eroding, as it should: nothing
    /// outside the image is ink).
    private func changeStroke(of image: UnsafeMutablePointer<UInt8>, by amount: Float) {
        let erode = amount < 0
        if erode { invert(image) }
        // The blend in 16-bit fixed point (weight out of 256; 255 × 256 + 128 still fits): integer
        // lanes vectorise eight at a time, without range checks.
        let weight = UInt16((min(abs(amount), 1) * 256).rounded())
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: paddedArea) { buffer in
            let original = buffer.baseAddress!
            original.update(from: image, count: paddedArea)
            // Every pixel but the outer ring; the ring's own neighbours would lie outside. (The
            // first and last pixel of a row read the margin of the row beside it: zeros as well.)
            for i in (paddedSide + 1)..<(paddedArea - paddedSide - 1) {
                let across = max(original[i - 1], original[i], original[i + 1])
                let dilated = UInt16(max(across, original[i - paddedSide], original[i + paddedSide]))
                let level = UInt16(original[i])
                // dilated ≥ level, so the difference does not wrap and the sum stays ≤ 255.
                image[i] = UInt8(truncatingIfNeeded: level &+ (((dilated &- level) &* weight &+ 128) &>> 8))
            }
        }
        if erode { invert(image) }
    }

    private func invert(_ image: UnsafeMutablePointer<UInt8>) {
        for i in 0..<paddedArea { image[i] = 255 - image[i] }
    }

    /// Samples the padded image at the composed affine + elastic position of each output pixel.
    private func sample(_ padded: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, scale: Float, distortion: DigitDistortion) {
        let side = MNISTDataset.side
        // The inverse of: scale (width × aspect), shear, rotate about the centre, shift. It maps
        // an output pixel to the source position it shows.
        let radians = Double(distortion.rotation) * Double.pi / 180
        let cosine = Float(cos(radians)), sine = Float(sin(radians))
        let shear = distortion.shear
        let inverseWidth = 1 / (distortion.scale * distortion.aspect), inverseHeight = 1 / distortion.scale
        let m00 = (cosine + shear * sine) * inverseWidth, m01 = (sine - shear * cosine) * inverseWidth
        let m10 = -sine * inverseHeight, m11 = cosine * inverseHeight
        let centre = Float(side - 1) / 2
        let shiftedCentre = centre + distortion.shiftX

        fields.values.withUnsafeBufferPointer { bank in
            // Without a field, both components read one row of zeros over and over.
            let base = bank.baseAddress!
            let window = distortion.elastic
            let fieldX = base + (window?.originX ?? fields.zeroRow), fieldY = base + (window?.originY ?? fields.zeroRow)
            let fieldStride = window == nil ? 0 : ElasticFieldBank.side
            let signX = window?.signX ?? 0, signY = window?.signY ?? 0
            let fieldStrideBytes = fieldStride * MemoryLayout<Float>.stride
            // Locals rather than globals, which would be checked for initialisation in the loop.
            let lanes = SIMD4<Float>(0, 1, 2, 3)
            // Largest sampling position: the left (top) neighbour is then at most paddedSide − 2,
            // so the right (bottom) one is still inside.
            let lastPosition = Float(paddedSide - 1).nextDown
            for y in 0..<side {
                let u = Float(y) - centre - distortion.shiftY
                let startX = centre + m01 * u - m00 * shiftedCentre + Float(margin)
                let startY = centre + m11 * u - m10 * shiftedCentre + Float(margin)
                let displacementX = UnsafeRawPointer(fieldX) + y * fieldStrideBytes
                let displacementY = UnsafeRawPointer(fieldY) + y * fieldStrideBytes
                let output = UnsafeMutableRawPointer(destination + y * side)
                // Four pixels at a time: 28 is 7 × 4, and SSE2 (all x86-64 has) holds four floats.
                for block in 0..<(side / 4) {
                    let offset = block * 4 * MemoryLayout<Float>.stride
                    let column = lanes + Float(block * 4)
                    let positionX = clampedPosition(startX + m00 * column + signX * displacementX.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self), last: lastPosition)
                    let positionY = clampedPosition(startY + m10 * column + signY * displacementY.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self), last: lastPosition)
                    let (left, leftIndex) = floorOfPosition(positionX), (top, topIndex) = floorOfPosition(positionY)
                    let weightX = positionX - left, weightY = positionY - top
                    let index = topIndex &* Int32(paddedSide) &+ leftIndex
                    // Each pixel's two upper neighbours are one 16-bit load, the lower two another.
                    var upperPair = SIMD4<Int32>(), lowerPair = SIMD4<Int32>()
                    for lane in 0..<4 {
                        let neighbours = UnsafeRawPointer(padded) + Int(index[lane])
                        upperPair[lane] = Int32(UInt16(littleEndian: neighbours.loadUnaligned(as: UInt16.self)))
                        lowerPair[lane] = Int32(UInt16(littleEndian: neighbours.loadUnaligned(fromByteOffset: paddedSide, as: UInt16.self)))
                    }
                    // Read as little-endian, the left pixel is the low byte.
                    let p00 = SIMD4<Float>(upperPair & 0xFF), p01 = SIMD4<Float>(upperPair &>> 8)
                    let p10 = SIMD4<Float>(lowerPair & 0xFF), p11 = SIMD4<Float>(lowerPair &>> 8)
                    let upper = p00 + weightX * (p01 - p00), lower = p10 + weightX * (p11 - p10)
                    var level = upper + weightY * (lower - upper)
                    // Rounding must not lift a blend of 255s above 255.
                    level.replace(with: 255, where: level .> 255)
                    output.storeBytes(of: level * scale, toByteOffset: offset, as: SIMD4<Float>.self)
                }
            }
        }
    }
}

/// `position` clamped into `0...last`, lane by lane (compares and selects, no branches).
@inline(__always)
private func clampedPosition(_ position: SIMD4<Float>, last: Float) -> SIMD4<Float> {
    var clamped = position
    clamped.replace(with: 0, where: clamped .< 0)
    clamped.replace(with: last, where: clamped .> last)
    return clamped
}

/// 1.5 × 2²³: adding it to a Float below 2²² rounds to an integer, which then sits in the low
/// bits of the sum's bit pattern.
private let roundingBias: Float = 12_582_912

/// The whole part of a sampling position in `0..<paddedSide - 1`, as a Float and as an index.
///
/// Where the position is a whole number the result may be one less, with weight 1 on the next
/// pixel, which blends to the same value. Unlike `rounded(.down)` (a libm call without SSE 4.1)
/// and `Int(_:)` (a range check), this is three instructions the compiler can vectorise.
@inline(__always)
private func floorOfPosition(_ position: SIMD4<Float>) -> (SIMD4<Float>, SIMD4<Int32>) {
    let biased = (position - 0.5) + roundingBias
    let bits = unsafeBitCast(biased, to: SIMD4<Int32>.self) &- Int32(bitPattern: roundingBias.bitPattern)
    return (biased - roundingBias, bits)
}
