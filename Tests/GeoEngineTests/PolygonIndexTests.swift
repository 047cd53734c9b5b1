import Foundation
import GeoCore
import GeoEngine
import Testing

/// PolygonIndex on a 3×3 grid of 100 m squares in JGD2011 zone III (metres), plus a detached
/// square to the east:
///
///     6 7 8
///     3 4 5
///     0 1 2   ·  9
@Suite struct PolygonIndexTests {
    static let side = 100.0
    /// Grid cell (column, row), index row * 3 + column; then the detached square, 100 m east of 2.
    static let grid: [Geometry] = (0..<3).flatMap { row in
        (0..<3).map { column in square(Double(column) * side, Double(row) * side, side: side) }
    }
    static let detached = square(400, 0, side: 50)
    static let shapes = grid + [detached]

    @Test func refusesLonLat() throws {
        let error = #expect(throws: EngineError.self) {
            _ = try PolygonIndex(Self.grid, crs: .jgd2000)
        }
        #expect(error?.message.contains("lon/lat") == true)
        #expect(throws: EngineError.self) { _ = try PolygonIndex(Self.grid, crs: .wgs84) }
        #expect(throws: Never.self) { _ = try PolygonIndex(Self.grid, crs: zoneIII2011) }
    }

    @Test func adjacenciesAreTheTwelveEdgeSharingPairs() throws {
        let index = try PolygonIndex(Self.shapes, crs: zoneIII2011)
        #expect(index.count == 10)
        let pairs = try index.adjacencies(minimumLength: 1)
        var expected: Set<[Int]> = []
        for row in 0..<3 {
            for column in 0..<3 {
                let i = row * 3 + column
                if column < 2 { expected.insert([i, i + 1]) }
                if row < 2 { expected.insert([i, i + 3]) }
            }
        }
        #expect(expected.count == 12)
        #expect(Set(pairs.map { [$0.a, $0.b] }) == expected)
        #expect(pairs.count == 12, "each pair once")
        #expect(pairs.allSatisfy { $0.a < $0.b })
        #expect(pairs.allSatisfy { abs($0.sharedLength - 100) < 1e-9 }, "\(pairs.map(\.sharedLength))")
        // Diagonal neighbours meet at a corner only: a shared length of 0, so never adjacent.
        #expect(try index.sharedBoundaryLength(0, 4) == 0)
        #expect(try index.sharedBoundaryLength(2, 4) == 0)
        #expect(try index.sharedBoundaryLength(4, 0) == 0)
        #expect(try index.sharedBoundaryLength(1, 4) == 100)
        // With no minimum the corner contacts (length 0) are still excluded: "more than 0".
        #expect(try index.adjacencies().count == 12)
    }

    @Test func partialSharedEdges() throws {
        // A 100 m square and a 40 m one against its right edge, half overlapping the corner.
        let index = try PolygonIndex([square(0, 0, side: 100), rectangle(100, 80, 140, 120)], crs: zoneIII2011)
        #expect(abs(try index.sharedBoundaryLength(0, 1) - 20) < 1e-9)
        #expect(try index.adjacencies(minimumLength: 25).isEmpty)
        #expect(try index.adjacencies(minimumLength: 19).count == 1)
    }

    @Test func intersectingASmallBox() throws {
        let index = try PolygonIndex(Self.shapes, crs: zoneIII2011)
        #expect(try index.intersecting(rectangle(140, 140, 160, 160)) == [4])
        #expect(try index.intersecting(rectangle(190, 190, 210, 210)) == [4, 5, 7, 8])
        #expect(try index.intersecting(.point(Coordinate(50, 250))) == [6])
        #expect(try index.intersecting(rectangle(330, 10, 390, 20)) == [], "between 2 and the detached square")
        #expect(try index.intersecting(rectangle(1000, 1000, 1001, 1001)) == [])
        // A diagonal line crosses 0, 4, 8, and touches the corners it passes through.
        let line = Geometry.lineString([Coordinate(10, 10), Coordinate(290, 290)])
        #expect(try index.intersecting(line) == [0, 1, 3, 4, 5, 7, 8])
        // Candidates are envelope hits, a superset.
        let triangle = Geometry.polygon(Polygon(exterior: [
            Coordinate(10, 10), Coordinate(290, 10), Coordinate(10, 290), Coordinate(10, 10),
        ]))
        #expect(Set(try index.candidates(triangle)).isSuperset(of: Set(try index.intersecting(triangle))))
        #expect(try index.candidates(triangle) == Array(0..<9))
        // The hypotenuse x + y = 300 touches 5 and 7 at their corners; 8 starts at x + y = 400.
        #expect(try index.intersecting(triangle) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func nearestToADetachedSquare() throws {
        let index = try PolygonIndex(Self.shapes, crs: zoneIII2011)
        // Square 9 starts at x = 400; square 2 ends at x = 300.
        let near = try #require(try index.nearest(to: 9, within: 150))
        #expect(near.index == 2)
        #expect(abs(near.distance - 100) < 1e-9)
        #expect(try index.nearest(to: 9, within: 99) == nil)
        #expect(try index.nearest(to: 9, within: 100)?.index == 2, "the bound is inclusive")
        // Neighbours that touch are at distance 0; the lowest index wins a tie.
        let touching = try #require(try index.nearest(to: 4, within: 10))
        #expect(touching.distance == 0)
        #expect(touching.index == 0)
    }

    /// Nearest-within must find every geometry whose distance is ≤ maxDistance. The search area is
    /// the geometry buffered with 2 segments per quadrant, whose polygon (and envelope) lies inside
    /// the true buffer: a neighbour just inside maxDistance, off a vertex at an angle the coarse
    /// arc cuts short, is never a candidate.
    @Test func nearestFindsANeighbourJustInsideTheDistance() throws {
        // A 100 m square rotated by −30°: the vertex facing east sits between outward normals at
        // −30° and 60°, so GEOS's 2-segment fillet puts its points at −30°, 15° and 60° and the
        // buffer reaches only cos 15° ≈ 0.966 of the distance due east.
        let c = cos(-Double.pi / 6), s = sin(-Double.pi / 6)
        let corners = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (0.0, 0.0)].map { x, y in
            Coordinate(c * x - s * y, s * x + c * y)
        }
        let rotated = Geometry.polygon(Polygon(exterior: corners))
        let east = corners.max { $0.x < $1.x }!
        // A target 98 m due east of that vertex.
        let target = rectangle(east.x + 98, east.y - 10, east.x + 120, east.y + 10)
        let index = try PolygonIndex([rotated, target], crs: zoneIII2011)
        let found = try index.nearest(to: 0, within: 100)
        #expect(found?.index == 1)
        #expect(found.map { abs($0.distance - 98) < 1e-6 } == true)
    }

    @Test func emptyIndex() throws {
        let index = try PolygonIndex([], crs: zoneIII2011)
        #expect(index.count == 0)
        #expect(try index.adjacencies().isEmpty)
        #expect(try index.intersecting(square(0, 0)) == [])
    }
}
