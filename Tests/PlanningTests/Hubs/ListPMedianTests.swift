import Foundation
import Testing
import GeoCore
@testable import Planning

/// p-median on each point's nearest candidates (for instances too large for a complete matrix)
/// against the complete model solved by CBC: the bound never passes the optimum, the sites are
/// evaluated with exact distances, and the gap is small.
@Suite struct ListPMedianTests {
    static func points(_ count: Int, seed: UInt64) -> [Coordinate] {
        var state = seed
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        // Two thirds in three towns, the rest spread over 30 km: demand as uneven as a prefecture's.
        let towns = [Coordinate(5_000, 5_000), Coordinate(22_000, 8_000), Coordinate(15_000, 24_000)]
        return (0..<count).map { k in
            if k % 3 == 2 { return Coordinate(next() * 30_000, next() * 30_000) }
            let t = towns[k % towns.count]
            return Coordinate(t.x + (next() - 0.5) * 6_000, t.y + (next() - 0.5) * 6_000)
        }
    }

    @Test func nearestRowsAreTheCompleteMatrixRowsCut() throws {
        let demand = Self.points(120, seed: 3), candidates = Self.points(90, seed: 4)
        let full = try CostMatrix.euclidean(from: demand, to: candidates)
        let lists = try CostMatrix.nearest(from: demand, to: candidates, count: 12)
        #expect(!lists.isComplete && lists.knowsEveryPair)
        for i in 0..<demand.count {
            let a = Array(full.entries(i)), b = Array(lists.entries(i))
            #expect(b.count == 12)
            #expect(b.map(lists.column) == a.prefix(12).map(full.column))
            #expect(b.map(lists.distance) == a.prefix(12).map(full.distance))
            #expect(lists.leftOut(i) == full.distance(a[12]))
            for j in [0, 45, 89] { #expect(lists.cost(i, j) == full.cost(i, j)) }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func boundHoldsAndGapIsSmall(_ seed: UInt64) throws {
        let demand = Self.points(500, seed: seed), candidates = Self.points(250, seed: seed + 100)
        var state = seed
        let weights = demand.indices.map { _ -> Double in state = state &* 6364136223846793005 &+ 1; return Double(1 + (state >> 33) % 50) }
        let p = 8
        let dense = try HubProblem(model: .pMedian(p: p), weights: weights, costs: try CostMatrix.euclidean(from: demand, to: candidates))
        let optimum = try HubSolver.solve(dense, method: .exact)
        #expect(optimum.provenOptimal)
        // Lists shorter than the rule's (3 × 250 / 8 = 93), so the bound reads past their ends.
        let lists = try HubProblem(model: .pMedian(p: p), weights: weights,
                                   costs: try CostMatrix.nearest(from: demand, to: candidates, count: 40))
        let s = try HubSolver.solve(lists, method: .auto)
        #expect(s.bound <= optimum.objective * (1 + 1e-9), "bound \(s.bound) above the optimum \(optimum.objective)")
        #expect(s.objective >= optimum.objective * (1 - 1e-9))
        // The objective is the complete model's for the same sites.
        let check = dense.evaluate(s.open, bound: 0, provenOptimal: false, method: "")
        #expect(abs(check.objective - s.objective) <= 1e-9 * s.objective)
        #expect(s.assignment == check.assignment)
        #expect(s.gap <= 0.01, "gap \(s.gap): \(s.method)")  // the 1 % proven gap
        #expect((s.objective - optimum.objective) / optimum.objective <= 0.01, "\(s.objective) vs \(optimum.objective)")
        #expect(throws: ParameterError.self) { try HubSolver.solve(lists, method: .exact) }
    }
}
