// Matrix storage: construction, resizing within capacity, copies and row maxima.

import NeuralNet
import Testing

@Suite struct MatrixTests {
    @Test func elementsAreRowMajor() {
        let m = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3 && m.count == 6)
        #expect(m[1, 0] == 4)
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.elements == [1, 2, 3, 4, 5, 6])
        #expect(Matrix(rows: 2, columns: 2).elements == [0, 0, 0, 0])
    }

    @Test func shrinkingKeepsTheAllocationAndGrowingBeyondItReallocates() {
        let m = Matrix(rows: 4, columns: 3)
        let original = m.pointer()
        m.resize(rows: 2)
        #expect(m.rows == 2 && m.count == 6 && m.storage.count == 6)
        #expect(m.pointer() == original)
        m.resize(rows: 4)
        #expect(m.pointer() == original, "growing back within the capacity must not allocate")
        m.resize(rows: 10)
        #expect(m.rows == 10 && m.storage.count == 30)
        m.fill(2)
        #expect(m.elements == Array(repeating: 2, count: 30))
        m.resize(rows: 0)
        #expect(m.count == 0 && m.elements.isEmpty)
    }

    @Test func copyIsIndependent() {
        let m = Matrix([[1, 2]])
        let c = m.copy()
        m[0, 0] = 9
        #expect(c == Matrix([[1, 2]]))
        #expect(m != c)
    }

    @Test func argmaxPerRowTakesTheFirstOfEqualMaxima() {
        let m = Matrix([[0, 3, 1], [5, 5, 2], [-1, -2, -0.5]])
        #expect(m.argmaxPerRow() == [1, 0, 2])
    }
}
