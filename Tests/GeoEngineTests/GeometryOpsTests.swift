import GeoCore
import GeoEngine
import Testing

/// GEOS operations on small shapes with exact answers. Coordinates are metres in JGD2011 plane
/// zone III (EPSG:6671), measured through Measurer's plane metric (the layer's own zone).
@Suite struct GeometryOpsTests {
    let engine = GeometryEngine()
    var measurer: Measurer { Measurer(engine: engine) }

    func area(_ g: Geometry) throws -> Double { try planeAreas([g], measurer: measurer)[0] }

    // A = [0,1]², B = [0.5,1.5]×[0,1]: they overlap in half a square.
    let a = square(0, 0), b = square(0.5, 0)

    @Test func unitSquareAreas() throws {
        #expect(try area(a) == 1)
        #expect(try area(square(-90_000, -180_000, side: 100)) == 10_000)
        #expect(try area(rectangle(0, 0, 3, 2)) == 6)
    }

    @Test func planarLengthAndDistance() throws {
        #expect(try measurer.planarLength(rectangle(0, 0, 3, 2), crs: zoneIII2011) == 10)
        #expect(try measurer.planarDistance(a, square(4, 0), crs: zoneIII2011) == 3)
        #expect(throws: EngineError.self) { try measurer.planarLength(a, crs: .jgd2011) }
        #expect(throws: EngineError.self) { try measurer.planarDistance(a, b, crs: .jgd2000) }
        #expect(throws: EngineError.self) { try measurer.planarArea(a, crs: .wgs84) }
    }

    @Test func unionDifferenceIntersection() throws {
        #expect(try area(engine.union([a, b])) == 1.5)
        #expect(try area(engine.intersection(a, b)) == 0.5)
        #expect(try area(engine.difference(a, b)) == 0.5)
        #expect(try area(engine.difference(b, a)) == 0.5)
        // Disjoint: the union keeps both, the intersection is empty.
        let far = square(10, 10)
        let both = try engine.union([a, far])
        #expect(both.polygons.count == 2)
        #expect(try area(both) == 2)
        #expect(try engine.intersection(a, far).isEmpty)
        #expect(try area(engine.intersection(a, far)) == 0)
        // The union of edge-sharing squares is one polygon; coverage union agrees.
        let row = [square(0, 0), square(1, 0), square(2, 0)]
        let merged = try engine.union(row)
        #expect(merged.polygons.count == 1)
        #expect(try area(merged) == 3)
        let coverage = try engine.coverageUnion(row)
        #expect(coverage.polygons.count == 1)
        #expect(try area(coverage) == 3)
        #expect(try engine.isValid(coverage))
    }

    /// The coverage union against GEOS's general union on the cases a coverage meets: a hole no
    /// part fills, a part's edge split by two neighbours (a T-junction), a ring given clockwise,
    /// an island apart; and on overlaps, which it must notice and hand to the general union.
    @Test func coverageUnionAgreesWithTheGeneralUnion() throws {
        let frame = (0..<3).flatMap { x in (0..<3).map { y in square(Double(x), Double(y)) } }
            .enumerated().filter { $0.offset != 4 }.map(\.element)  // the middle square left out
        let tee = [rectangle(0, 0, 1, 2), square(1, 0), square(1, 1)]
        let clockwise = Geometry.polygon(Polygon(exterior: [Coordinate(2, 0), Coordinate(2, 1), Coordinate(3, 1),
                                                            Coordinate(3, 0), Coordinate(2, 0)]))
        let cases: [(String, [Geometry], Double, Int)] = [
            ("frame with a hole", frame, 8, 1),
            ("T-junction", tee, 4, 1),
            ("clockwise ring and an island", [square(0, 0), square(1, 0), clockwise, square(10, 10)], 4, 2),
            ("overlap", [a, b, square(1.5, 0)], 2.5, 1),
            ("nested", [square(0, 0, side: 4), square(1, 1)], 16, 1),
            ("duplicate", [a, a, square(1, 0)], 2, 1),
        ]
        for (name, parts, expected, polygons) in cases {
            let coverage = try engine.coverageUnion(parts)
            #expect(try area(coverage) == expected, "\(name)")
            #expect(try area(coverage) == area(engine.union(parts)), "\(name)")
            #expect(coverage.polygons.count == polygons, "\(name)")
            #expect(try engine.isValid(coverage), "\(name)")
        }
        #expect(try engine.coverageUnion(frame).polygons.first?.holes.count == 1)
    }

    @Test func holesCountNegatively() throws {
        let ring = Geometry.polygon(Polygon(
            exterior: [Coordinate(0, 0), Coordinate(4, 0), Coordinate(4, 4), Coordinate(0, 4), Coordinate(0, 0)],
            holes: [[Coordinate(1, 1), Coordinate(1, 2), Coordinate(2, 2), Coordinate(2, 1), Coordinate(1, 1)]]))
        #expect(try area(ring) == 15)
        #expect(try engine.isValid(ring))
        #expect(try area(engine.difference(square(0, 0, side: 4), square(1, 1))) == 15)
    }

    @Test func bowTieMadeValidIsTwoTriangles() throws {
        // (0,0) → (1,1) → (1,0) → (0,1) → (0,0): the edges cross at (0.5, 0.5).
        let bowTie = Geometry.polygon(Polygon(exterior: [
            Coordinate(0, 0), Coordinate(1, 1), Coordinate(1, 0), Coordinate(0, 1), Coordinate(0, 0),
        ]))
        let reason = try #require(try engine.invalidReason(bowTie))
        #expect(reason.contains("Self-intersection"), "\(reason)")
        #expect(reason.contains("0.5 0.5"), "\(reason)")
        #expect(!(try engine.isValid(bowTie)))

        let fixed = try engine.makeValid(bowTie)
        #expect(try engine.isValid(fixed))
        guard case .multiPolygon(let triangles) = fixed else {
            Issue.record("expected a multipolygon, got \(fixed)")
            return
        }
        #expect(triangles.count == 2)
        #expect(triangles.allSatisfy { $0.exterior.count == 4 && $0.holes.isEmpty }, "triangles: \(triangles)")
        #expect(try area(fixed) == 0.5, "two triangles of 0.25")
        #expect(try triangles.map { try area(.polygon($0)) } == [0.25, 0.25])
        #expect(triangles.allSatisfy { $0.exterior.contains(Coordinate(0.5, 0.5)) })
    }

    @Test func makeValidOfAValidPolygonKeepsIt() throws {
        let fixed = try engine.makeValid(a)
        #expect(try engine.isValid(fixed))
        #expect(try area(fixed) == 1)
        guard case .polygon = fixed else { Issue.record("a valid polygon stays a polygon: \(fixed)"); return }
    }

    @Test func makeValidDropsCollapsedParts() throws {
        // A polygon with a zero-area spike: the structure method keeps the square, drops the spike.
        let spiky = Geometry.polygon(Polygon(exterior: [
            Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0.5, 1), Coordinate(0.5, 3),
            Coordinate(0.5, 1), Coordinate(0, 1), Coordinate(0, 0),
        ]))
        #expect(!(try engine.isValid(spiky)))
        let fixed = try engine.makeValid(spiky)
        #expect(fixed.isPolygonal)
        #expect(try engine.isValid(fixed))
        #expect(try area(fixed) == 1)
    }

    @Test(arguments: [1.0, 10.0, 250.0])
    func bufferOfAPointIsACircle(_ radius: Double) throws {
        let disc = try engine.buffer(.point(Coordinate(-90_000, -180_000)), distance: radius)
        let expected = Double.pi * radius * radius
        let got = try area(disc)
        #expect(abs(got - expected) / expected < 0.01, "\(got) vs πr² \(expected)")
        #expect(got < expected, "an inscribed polygon is smaller than its circle")
        // More segments, closer to π r².
        let fine = try area(engine.buffer(.point(Coordinate(0, 0)), distance: radius, quadrantSegments: 64))
        #expect(abs(fine - expected) < abs(got - expected))
    }

    @Test func negativeBufferShrinks() throws {
        let inner = try engine.buffer(square(0, 0, side: 10), distance: -1)
        #expect(try area(inner) == 64)
    }

    /// A "C": the 3×3 square minus its middle-right cell and the cell right of the middle,
    /// so the centroid (about (1.36, 1.5)) lies in the notch.
    static let cShape = Geometry.polygon(Polygon(exterior: [
        Coordinate(0, 0), Coordinate(3, 0), Coordinate(3, 1), Coordinate(1, 1), Coordinate(1, 2),
        Coordinate(3, 2), Coordinate(3, 3), Coordinate(0, 3), Coordinate(0, 0),
    ]))

    @Test func pointOnSurfaceLiesInsideACShape() throws {
        #expect(try engine.isValid(Self.cShape))
        #expect(try area(Self.cShape) == 7)
        let centroid = try engine.centroid(Self.cShape)
        #expect(!(try engine.contains(Self.cShape, .point(centroid))), "the test needs a centroid outside: \(centroid)")
        let p = try engine.pointOnSurface(Self.cShape)
        #expect(try engine.contains(Self.cShape, .point(p)), "\(p)")
        // And for a multipolygon, a point inside one of its parts.
        let q = try engine.pointOnSurface(.multiPolygon([Self.cShape.polygons[0], square(10, 10).polygons[0]]))
        #expect(try engine.intersects(.multiPolygon([Self.cShape.polygons[0], square(10, 10).polygons[0]]), .point(q)))
    }

    @Test func simplifyReducesVerticesAndStaysValid() throws {
        let circle = try engine.buffer(.point(Coordinate(0, 0)), distance: 100, quadrantSegments: 64)
        let before = vertexCount(circle)
        let simple = try engine.simplify(circle, tolerance: 5)
        #expect(vertexCount(simple) < before / 4, "\(before) → \(vertexCount(simple))")
        #expect(try engine.isValid(simple))
        #expect(abs(try area(simple) - area(circle)) / (try area(circle)) < 0.05)

        // With a hole close to the edge, topology-preserving simplification keeps the hole inside.
        let donut = try engine.difference(circle, try engine.buffer(.point(Coordinate(0, 0)), distance: 90, quadrantSegments: 64))
        let simpleDonut = try engine.simplify(donut, tolerance: 8)
        #expect(try engine.isValid(simpleDonut))
        #expect(simpleDonut.polygons.first?.holes.count == 1)
        #expect(vertexCount(simpleDonut) < vertexCount(donut))
    }

    @Test func dissolveGroupsByKeyInKeyOrder() throws {
        let geometries = [square(0, 0), square(5, 5), square(1, 0), square(9, 9), square(2, 0)]
        let keys = ["b", "c", "b", "a", "b"]
        let dissolved = try engine.dissolve(geometries, by: keys)
        #expect(dissolved.map(\.key) == ["a", "b", "c"])
        #expect(dissolved[0].geometry == square(9, 9), "a single member is passed through unchanged")
        #expect(dissolved[1].geometry.polygons.count == 1, "three touching squares merge")
        #expect(try area(dissolved[1].geometry) == 3)
        #expect(try area(dissolved[2].geometry) == 1)
        // Integer keys sort numerically.
        let numeric = try engine.dissolve([square(0, 0), square(3, 3), square(6, 6)], by: [10, 9, 10])
        #expect(numeric.map(\.key) == [9, 10])
        #expect(try area(numeric[1].geometry) == 2)
    }

    @Test func predicates() throws {
        let right = square(1, 0), inner = rectangle(0.25, 0.25, 0.75, 0.75), far = square(5, 5)
        let corner = square(1, 1)
        #expect(try engine.intersects(a, b))
        #expect(!(try engine.touches(a, b)), "overlapping is not touching")
        #expect(try engine.touches(a, right))
        #expect(try engine.intersects(a, right))
        #expect(try engine.touches(a, corner), "meeting at one point touches")
        #expect(!(try engine.intersects(a, far)))
        #expect(!(try engine.touches(a, far)))
        #expect(try engine.contains(a, inner))
        #expect(!(try engine.contains(inner, a)))
        #expect(!(try engine.contains(a, b)))
        #expect(try engine.contains(a, .point(Coordinate(0.5, 0.5))))
        #expect(!(try engine.contains(a, .point(Coordinate(0, 0.5)))), "a boundary point is not contained")
        #expect(try engine.intersects(a, .point(Coordinate(0, 0.5))))
    }

    @Test func boundaryAndCentroid() throws {
        let boundary = try engine.boundary(a)
        guard case .lineString(let ring) = boundary else { Issue.record("\(boundary)"); return }
        #expect(ring.count == 5)
        #expect(try engine.centroid(rectangle(0, 0, 2, 4)) == Coordinate(1, 2))
    }

    @Test func geometryKindsRoundTripThroughGEOS() throws {
        // Douglas-Peucker with tolerance 0 drops only collinear points (there are none here), so
        // each shape comes back from GEOS exactly as it went in: every kind converts both ways.
        let shapes: [Geometry] = [
            .point(Coordinate(1, 2)),
            .lineString([Coordinate(0, 0), Coordinate(1, 1), Coordinate(2, 0)]),
            .multiPoint([Coordinate(0, 0), Coordinate(3, 4)]),
            .multiLineString([[Coordinate(0, 0), Coordinate(1, 0)], [Coordinate(2, 2), Coordinate(3, 3)]]),
            Self.cShape,
            .polygon(Polygon(exterior: square(0, 0, side: 4).polygons[0].exterior,
                             holes: [[Coordinate(1, 1), Coordinate(1, 2), Coordinate(2, 2), Coordinate(2, 1), Coordinate(1, 1)]])),
            .multiPolygon([a.polygons[0], square(5, 5).polygons[0]]),
            .collection([.point(Coordinate(9, 9)), a]),
        ]
        for shape in shapes {
            #expect(try engine.isValid(shape), "\(shape)")
            #expect(try engine.simplify(shape, tolerance: 0, preserveTopology: false) == shape)
        }
    }

    @Test func invalidInputErrorsCarryGEOSMessages() throws {
        // A ring of two points cannot be built: GEOS says why, and nothing leaks.
        let error = #expect(throws: EngineError.self) {
            _ = try engine.isValid(.polygon(Polygon(exterior: [Coordinate(0, 0), Coordinate(1, 1)])))
        }
        #expect(error?.library == "GEOS")
        #expect(error?.message.isEmpty == false, "\(error.map(String.init(describing:)) ?? "")")
        // A ring that does not close is refused too.
        #expect(throws: EngineError.self) {
            _ = try engine.isValid(.polygon(Polygon(exterior: [Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 1)])))
        }
        // The engine still works afterwards.
        #expect(try engine.isValid(a))
    }
}
