import Testing
@testable import GeoCore

@Suite struct ParallelTests {
    struct Boom: Error {}

    @Test(arguments: [1, 2, 3, 7])
    func keepsInputOrder(chunks: Int) throws {
        let items = Array(0..<1000)
        #expect(try parallelMap(items, chunks: chunks) { $0.map { $0 * 2 } } == items.map { $0 * 2 })
    }

    @Test func emptyAndTinyInputs() throws {
        #expect(try parallelMap([Int](), chunks: 4) { $0 }.isEmpty)
        #expect(try parallelMap([5], chunks: 4) { $0 } == [5])
    }

    @Test func anErrorInOneChunkIsThrown() {
        #expect(throws: Boom.self) {
            try parallelMap(Array(0..<100), chunks: 4) { chunk in
                if chunk.contains(70) { throw Boom() }
                return chunk
            }
        }
    }
}
