import Foundation
import Testing
import GeoCore
@testable import Planning

/// Road distances on a graph small enough to check by hand (metres):
///
///     D(0,100) ──────── C(100,100)          F(1000,0) ── G(1100,0)   (a separate road)
///        │                  │
///        │        H         │               H: (80,−50)–(80,50) crosses AB with no shared
///        │        │         │                  vertex (an overpass): not connected
///     A(0,0) ───────────── B(100,0) ──── E(200,0)
@Suite struct HubsRoadTests {
    static let lines: [[Coordinate]] = [
        [Coordinate(0, 0), Coordinate(100, 0)],                       // AB
        [Coordinate(100, 0), Coordinate(100, 100), Coordinate(0, 100)], // BCD
        [Coordinate(0, 100), Coordinate(0, 0)],                       // DA
        [Coordinate(100, 0), Coordinate(200, 0)],                     // BE, a spur
        [Coordinate(80, -50), Coordinate(80, 50)],                    // H, the overpass
        [Coordinate(1000, 0), Coordinate(1100, 0)],                   // FG
    ]
    static let network = try! RoadNetwork(lines: lines)

    static let p = Coordinate(50, -10)    // 10 m south of AB
    static let s = Coordinate(20, 5)      // 5 m north of AB
    static let u = Coordinate(1050, 10)   // by the separate road
    static let q = Coordinate(100, 50)    // on BC
    static let r = Coordinate(210, 5)     // beyond E: snaps to E
    static let t = Coordinate(-5, 60)     // 5 m west of DA
    static let v = Coordinate(80, -40)    // on the overpass

    @Test func graphShape() {
        let n = Self.network
        #expect(n.nodes.count == 9)          // A B C D E, two ends of H, F G
        #expect(n.edges.count == 7)
        #expect(n.componentCount == 3)
        #expect(n.componentLength.sorted() == [100, 100, 500])
        #expect(n.componentLength[n.largestComponent] == 500)
    }

    @Test func snapping() {
        let n = Self.network
        let sp = n.snap(Self.p)
        #expect(sp.point == Coordinate(50, 0) && sp.distance == 10)
        #expect(Set([sp.toA, sp.toB]) == [50])
        let sq = n.snap(Self.q)
        #expect(sq.point == Coordinate(100, 50) && sq.distance == 0)
        let sr = n.snap(Self.r)
        #expect(sr.point == Coordinate(200, 0))
        #expect(abs(sr.distance - 125.0.squareRoot()) < 1e-12)
        #expect(n.snap(Self.v).component != sp.component, "the overpass is its own component")
        // A point far outside the network still finds its nearest segment.
        let far = n.snap(Coordinate(5_000, 3_000))
        #expect(far.point == Coordinate(1100, 0))
    }

    @Test func roadDistancesByHand() throws {
        let n = Self.network
        let demand = [Self.p, Self.s, Self.u].map(n.snap)
        let candidates = [Self.q, Self.r, Self.t, Self.v].map(n.snap)
        let costs = try CostMatrix.road(n, demand: demand, candidates: candidates)
        let e = 125.0.squareRoot()
        let expected: [[Double]] = [
            // P: 10 walk + 50 to B + 50 up to Q; + 100 to E + √125; 50 to A + 60 up DA + 10 + 5.
            [110, 160 + e, 125, .infinity],
            // S: 5 + 80 to B + 50; 5 + 80 + 100 + √125; along AB 20 to A + 60 + 5 + 5 (same side first).
            [135, 185 + e, 90, .infinity],
            // U: on the separate road, reaches nothing.
            [.infinity, .infinity, .infinity, .infinity],
        ]
        for i in 0..<3 {
            for j in 0..<4 {
                let d = costs.cost(i, j)
                #expect(d == expected[i][j] || abs(d - expected[i][j]) < 1e-9, "\(i)→\(j): \(d), expected \(expected[i][j])")
            }
        }
        #expect(costs.entries(2).isEmpty)
    }

    @Test func sameSegmentIsDirect() throws {
        // P and S both snap to AB: 10 + 30 along AB + 5, not via a node.
        let n = Self.network
        let costs = try CostMatrix.road(n, demand: [n.snap(Self.p)], candidates: [n.snap(Self.s)])
        #expect(abs(costs.cost(0, 0) - 45) < 1e-9)
    }

    @Test func radiusKeepsOnlyNearPairs() throws {
        let n = Self.network
        let costs = try CostMatrix.road(n, demand: [Self.p, Self.s, Self.u].map(n.snap),
                                        candidates: [Self.q, Self.r, Self.t, Self.v].map(n.snap), radius: 130)
        #expect(!costs.isComplete)
        #expect(costs.storedPairs == 3)
        #expect(costs.cost(0, 0) == 110 && costs.cost(0, 2) == 125 && costs.cost(1, 2) == 90)
        #expect(costs.cost(1, 0) == .infinity)
    }

    @Test func sharedVerticesJoinLinesEvenAfterRounding() throws {
        // The same vertex written twice with a difference below a millimetre is one node.
        let network = try RoadNetwork(lines: [[Coordinate(0, 0), Coordinate(10, 0)],
                                              [Coordinate(10.0000001, 0), Coordinate(10, 10)]])
        #expect(network.componentCount == 1)
        #expect(network.nodes.count == 3)
    }

    @Test func noSegmentIsAnError() {
        #expect(throws: DataError.self) { try RoadNetwork(lines: [[Coordinate(1, 1)], [Coordinate(2, 2), Coordinate(2, 2)]]) }
    }
}
