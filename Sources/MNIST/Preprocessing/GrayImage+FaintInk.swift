// Faint ink around the strokes of a digit that will be shrunk. A JPEG rings: the 8×8 blocks a
// stroke crosses carry faint ink, at quality 90 up to 7.5% of the stroke's level a few pixels
// from it. The noise floor (InkLevels) catches that ringing only where it is a large share of the
// faint pixels, as on a 28×28 image; on a larger canvas the clean paper outnumbers it, it survives
// as ink, and the crop is widened over it (by up to a twentieth of the digit's size on each side),
// so the digit comes out smaller: a 56-pixel digit on a 200×150 page, 1 or 2 rows shorter and
// 13–17% lighter, and 5 points less accurate than the same digit read from a PNG.
//
// Digits at MNIST's scale keep every level: MNIST's own edge pixels are often as faint as the
// ringing (on the training digits, over a quarter of the lines just outside the clear ink peak
// below 4% of full ink), and they must come through unchanged.

extension GrayImage {
    /// This ink map with every level below `level` set to 0.
    func withoutInk(below level: UInt8) -> GrayImage {
        GrayImage(width: width, height: height, pixels: pixels.map { $0 < level ? 0 : $0 })
    }
}
