// Matrix products through CBLAS: row-major, with transposes as flags rather than copies.

import CBLAS

/// How an operand of a product is read.
enum Operand {
    case normal
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .normal ? CblasNoTrans : CblasTrans }
}

/// `c = alpha · op(a) · op(b) + beta · c` for row-major operands, where `op(a)` is `m × k`,
/// `op(b)` is `k × n` and `c` is `m × n`. One `cblas_sgemm` call; the transposes are BLAS flags.
@inline(__always)
func gemm(
    _ opA: Operand, _ opB: Operand, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
        CblasRowMajor, opA.cblas, opB.cblas, Int32(m), Int32(n), Int32(k),
        alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Products of up to this many multiply-adds go through OpenBLAS's small-matrix kernels, which
/// skip packing the operands. At MNIST's sizes that is faster: on the development machine a
/// 64×64×784 product took 71 µs in one call and 58 µs as four 64×16×784 calls; at batch 256,
/// where the blocks would be too large to qualify, splitting only slows it down.
let smallProductLimit = 1_000_000

/// Calls `body` with consecutive blocks of `columns`, each a multiple of 16 columns wide and narrow
/// enough that an `m × width × k` product stays within `smallProductLimit`; with one block, all of
/// `columns`, when even 16 columns would exceed it.
@inline(__always)
func forEachColumnBlock(_ columns: Range<Int>, m: Int, k: Int, _ body: (Range<Int>) -> Void) {
    let width = smallProductLimit / max(m * k, 1) / 16 * 16
    guard width >= 16, width < columns.count else {
        body(columns)
        return
    }
    var start = columns.lowerBound
    while start < columns.upperBound {
        let end = min(start + width, columns.upperBound)
        body(start..<end)
        start = end
    }
}
