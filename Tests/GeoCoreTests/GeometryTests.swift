import GeoCore
import Testing

@Suite struct GeometryTests {
    static let square = Polygon(exterior: [Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 1), Coordinate(0, 0)])
    static let holed = Polygon(
        exterior: [Coordinate(0, 0), Coordinate(4, 0), Coordinate(4, 4), Coordinate(0, 0)],
        holes: [[Coordinate(2, 1), Coordinate(3, 1), Coordinate(3, 2), Coordinate(2, 1)],
                [Coordinate(3, 0.5), Coordinate(3.5, 0.5), Coordinate(3.5, 1), Coordinate(3, 0.5)]])

    @Test func rings() {
        #expect(Self.square.rings == [Self.square.exterior])
        #expect(Self.holed.rings.count == 3)
        #expect(Self.holed.rings[1] == Self.holed.holes[0])
    }

    @Test func polygonsFlattenCollections() {
        #expect(Geometry.polygon(Self.square).polygons == [Self.square])
        #expect(Geometry.multiPolygon([Self.square, Self.holed]).polygons == [Self.square, Self.holed])
        let nested = Geometry.collection([
            .polygon(Self.holed),
            .collection([.multiPolygon([Self.square, Self.holed]), .collection([.polygon(Self.square)])]),
            .point(Coordinate(9, 9)),
        ])
        #expect(nested.polygons == [Self.holed, Self.square, Self.holed, Self.square], "in order, non-polygons skipped")
        #expect(Geometry.point(Coordinate(0, 0)).polygons.isEmpty)
        #expect(Geometry.lineString(Self.square.exterior).polygons.isEmpty)
        #expect(Geometry.multiLineString([Self.square.exterior]).polygons.isEmpty)
    }

    @Test func isPolygonal() {
        #expect(Geometry.polygon(Self.square).isPolygonal)
        #expect(Geometry.multiPolygon([Self.square]).isPolygonal)
        #expect(Geometry.multiPolygon([]).isPolygonal, "an empty multipolygon is still of polygon type")
        #expect(Geometry.collection([.polygon(Self.square), .collection([.multiPolygon([Self.holed])])]).isPolygonal)
        #expect(!Geometry.collection([]).isPolygonal, "an empty collection has no type to go by")
        #expect(!Geometry.collection([.polygon(Self.square), .point(Coordinate(0, 0))]).isPolygonal)
        #expect(!Geometry.collection([.collection([])]).isPolygonal)
        #expect(!Geometry.point(Coordinate(0, 0)).isPolygonal)
        #expect(!Geometry.lineString(Self.square.exterior).isPolygonal)
        #expect(!Geometry.multiPoint([]).isPolygonal)
        #expect(!Geometry.multiLineString([]).isPolygonal)
    }

    @Test func isEmpty() {
        #expect(!Geometry.point(Coordinate(0, 0)).isEmpty)
        #expect(Geometry.lineString([]).isEmpty)
        #expect(Geometry.multiPoint([]).isEmpty)
        #expect(Geometry.polygon(Polygon(exterior: [])).isEmpty)
        #expect(Geometry.multiPolygon([]).isEmpty)
        #expect(Geometry.multiPolygon([Polygon(exterior: [])]).isEmpty)
        #expect(!Geometry.multiPolygon([Polygon(exterior: []), Self.square]).isEmpty)
        #expect(Geometry.multiLineString([[], []]).isEmpty)
        #expect(Geometry.collection([]).isEmpty)
        #expect(Geometry.collection([.lineString([]), .collection([])]).isEmpty)
        #expect(!Geometry.collection([.lineString([]), .point(Coordinate(1, 1))]).isEmpty)
        #expect(!Geometry.polygon(Self.square).isEmpty)
    }

    @Test func forEachCoordinateVisitsEveryRingInOrder() {
        var seen: [Coordinate] = []
        Geometry.polygon(Self.holed).forEachCoordinate { seen.append($0) }
        #expect(seen == Self.holed.exterior + Self.holed.holes[0] + Self.holed.holes[1])
        var count = 0
        Geometry.collection([.polygon(Self.square), .multiPoint([Coordinate(0, 0), Coordinate(1, 1)]),
                             .multiLineString([[Coordinate(0, 0), Coordinate(1, 1)]])]).forEachCoordinate { _ in count += 1 }
        #expect(count == 5 + 2 + 2)
    }

    @Test func mapSequencesCallsOncePerSequence() {
        var calls: [Int] = []
        let shift: ([Coordinate]) -> [Coordinate] = { cs in
            calls.append(cs.count)
            return cs.map { Coordinate($0.x + 100, $0.y * 2) }
        }
        let g = Geometry.multiPolygon([Self.square, Self.holed])
        let moved = g.mapSequences(shift)
        #expect(calls == [5, 4, 4, 4], "one call per ring, exterior before holes")
        guard case .multiPolygon(let ps) = moved else { Issue.record("type changed"); return }
        #expect(ps[1].holes.count == 2)
        #expect(ps[0].exterior[2] == Coordinate(101, 2))
        #expect(ps[1].holes[1][0] == Coordinate(103, 1))
    }

    @Test(arguments: [
        Geometry.point(Coordinate(1, 2)),
        .lineString([Coordinate(1, 2), Coordinate(3, 4)]),
        .multiPoint([Coordinate(1, 2), Coordinate(3, 4)]),
        .multiLineString([[Coordinate(1, 2)], [Coordinate(3, 4), Coordinate(5, 6)]]),
        .polygon(GeometryTests.holed),
        .multiPolygon([GeometryTests.square, GeometryTests.holed]),
        .collection([.point(Coordinate(1, 2)), .polygon(GeometryTests.square), .collection([.lineString([Coordinate(0, 0)])])]),
    ])
    func mapSequencesKeepsStructure(_ g: Geometry) {
        // Swapping axes twice is the identity; once, every coordinate is swapped in place.
        let swap: ([Coordinate]) -> [Coordinate] = { $0.map { Coordinate($0.y, $0.x) } }
        #expect(g.mapSequences(swap).mapSequences(swap) == g)
        var before: [Coordinate] = [], after: [Coordinate] = []
        g.forEachCoordinate { before.append($0) }
        g.mapSequences(swap).forEachCoordinate { after.append($0) }
        #expect(after == before.map { Coordinate($0.y, $0.x) })
        // Identity keeps the value equal.
        #expect(g.mapSequences { $0 } == g)
    }

    @Test func mapSequencesRethrows() {
        struct Refused: Error {}
        let g = Geometry.multiPolygon([Self.square, Self.holed])
        var calls = 0
        #expect(throws: Refused.self) {
            _ = try g.mapSequences { cs in
                calls += 1
                if calls == 3 { throw Refused() }
                return cs
            }
        }
        #expect(calls == 3, "stops at the first failure")
    }
}
