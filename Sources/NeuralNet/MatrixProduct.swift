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
