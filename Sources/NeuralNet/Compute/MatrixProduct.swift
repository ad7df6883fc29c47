// Matrix products through CBLAS: row-major, with transposes as flags rather than copies.

import CBLAS

/// How an operand of a product is read.
enum Operand {
    case normal
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .normal ? CblasNoTrans : CblasTrans }
}

/// `c = alpha · op(a) · op(b) + beta · c` for row-major operands, where `op(a)` is `m × k`,
/// `op(b)` is `k × n` and `c` is `m × n`; the transposes are BLAS flags.
///
/// A product small enough for OpenBLAS's unpacked small-matrix kernels once cut into column
/// blocks is run as those blocks (see `smallProductLimit`); each element of `c` is still one dot
/// product over `k`, so the cut changes which kernel runs, not what is summed.
@inline(__always)
func gemm(
    _ opA: Operand, _ opB: Operand, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    let width = columnBlockWidth(m: m, k: k)
    guard width >= 16, width < n else {
        sgemm(opA, opB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        return
    }
    var start = 0
    while start < n {
        let count = min(width, n - start)
        // Columns start… of op(b): its columns when b is read as is, its rows when transposed.
        let blockOfB = opB == .normal ? b + start : b + start * ldb
        sgemm(opA, opB, m: m, n: count, k: k, alpha: alpha, a: a, lda: lda, b: blockOfB, ldb: ldb,
              beta: beta, c: c + start, ldc: ldc)
        start += count
    }
}

/// One `cblas_sgemm` call, whatever the size.
///
/// The convolutions use it: their products (64 × 196 × 800 per sample, say) are just over the
/// small-product limit, and on this machine's Zen cores OpenBLAS 0.3.21 runs 16-column blocks with
/// its packing kernels, not its small-matrix ones, packing `a` again for every block. One call
/// took 16% less CPU time for a convolutional epoch. (The perceptron keeps `gemm`: changing its
/// products' kernels would change the default run's bits.)
@inline(__always)
func sgemm(
    _ opA: Operand, _ opB: Operand, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    cblas_sgemm(
        CblasRowMajor, opA.cblas, opB.cblas, Int32(m), Int32(n), Int32(k),
        alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Products of up to this many multiply-adds go through OpenBLAS's small-matrix kernels, which
/// skip packing the operands. At MNIST's sizes that is faster: on the development machine a
/// 64×64×784 product took 71 µs in one call and 58 µs as four 64×16×784 calls; at batch 256,
/// where the blocks would be too large to qualify, splitting only slows it down.
let smallProductLimit = 1_000_000

/// The width, a multiple of 16 columns, of the blocks that keep an `m × width × k` product within
/// `smallProductLimit` (below 16 when even 16 columns exceed it).
@inline(__always)
func columnBlockWidth(m: Int, k: Int) -> Int {
    smallProductLimit / max(m * k, 1) / 16 * 16
}
