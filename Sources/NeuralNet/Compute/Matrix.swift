// A dense, row-major Float32 matrix that owns its storage.
//
// Matrix is a reference type on purpose: layers keep their outputs and gradients as workspaces
// that are allocated once per batch size and overwritten on every step, so the training loop
// allocates nothing. Copy one explicitly with `copy()` when a snapshot is wanted.

/// A dense row-major matrix of `Float` with owned, zero-initialised storage.
///
/// The number of columns is fixed; the number of rows may change within the allocated capacity
/// (`resize(rows:)`), so a workspace made for batches of 64 also serves the last, shorter batch.
public final class Matrix: @unchecked Sendable {
    /// Number of rows (for activations: the batch size).
    public private(set) var rows: Int
    /// Number of columns (for activations: the features of one sample).
    public let columns: Int
    /// The allocation: room for `capacityRows` rows.
    private var base: UnsafeMutablePointer<Float>
    private var capacityRows: Int

    /// Creates a `rows × columns` matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        capacityRows = rows
        base = Self.allocateElements(max(rows * columns, 1))
    }

    /// The elements, row after row; `rows * columns` of them.
    public var storage: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer(), count: rows * columns)
    }

    /// Changes the number of rows. Allocates only when `rows` exceeds every earlier size; the
    /// contents are unspecified afterwards.
    public func resize(rows newRows: Int) {
        precondition(newRows >= 0, "matrix dimensions must not be negative")
        if newRows > capacityRows {
            UnsafeMutableRawPointer(base).deallocate()
            base = Self.allocateElements(newRows * columns)
            capacityRows = newRows
        }
        rows = newRows
    }

    /// Creates a `rows × columns` matrix from row-major `elements`.
    public convenience init(rows: Int, columns: Int, elements: [Float]) {
        precondition(elements.count == rows * columns, "expected \(rows * columns) elements, got \(elements.count)")
        self.init(rows: rows, columns: columns)
        _ = storage.update(fromContentsOf: elements)
    }

    /// Creates a matrix from an array of equally long rows.
    public convenience init(_ rowArrays: [[Float]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows differ in length")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    deinit {
        UnsafeMutableRawPointer(base).deallocate()
    }

    /// Zeroed room for `count` elements, aligned to a 64-byte cache line. When two threads write
    /// neighbouring column ranges of one matrix, aligned storage keeps their boundaries from
    /// splitting a cache line that both would then fight over.
    private static func allocateElements(_ count: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        return raw.initializeMemory(as: Float.self, repeating: 0, count: count)
    }

    /// Number of elements, `rows * columns`.
    public var count: Int { rows * columns }

    /// The element at `row`, `column`.
    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The elements as an array, row after row.
    public var elements: [Float] { Array(storage) }

    /// One row as an array.
    public func row(_ index: Int) -> [Float] {
        Array(storage[(index * columns)..<((index + 1) * columns)])
    }

    /// A pointer to the first element of `row`, for BLAS calls and tight loops.
    public func pointer(row: Int = 0) -> UnsafeMutablePointer<Float> {
        base + row * columns
    }

    /// An independent copy with the same shape and elements.
    public func copy() -> Matrix {
        Matrix(rows: rows, columns: columns, elements: elements)
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) {
        storage.update(repeating: value)
    }

    /// The column index of the largest element in each row.
    public func argmaxPerRow() -> [Int] {
        (0..<rows).map { r in
            let row = UnsafeBufferPointer(start: pointer(row: r), count: columns)
            var best = 0
            for c in 1..<max(columns, 1) where row[c] > row[best] { best = c }
            return best
        }
    }
}

extension Matrix: Equatable {
    /// Matrices are equal when their shapes and all their elements are.
    public static func == (lhs: Matrix, rhs: Matrix) -> Bool {
        lhs.rows == rhs.rows && lhs.columns == rhs.columns && lhs.storage.elementsEqual(rhs.storage)
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        "Matrix(\(rows)×\(columns))"
    }
}
