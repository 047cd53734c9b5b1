import GeoCore
import GeoEngine
import GeoIO
import Testing

/// Many conversions between Swift values and GEOS/PROJ objects, created and freed in a loop,
/// so AddressSanitizer and LeakSanitizer (`swift test --sanitize=address`) see every ownership
/// path: contexts, geometries, prepared geometries, STRtrees, transformers, failures.
@Suite struct StressTests {
    static let iterations = 2_000

    @Test(.timeLimit(.minutes(2)))
    func conversionsAndUnionsInALoop() throws {
        let engine = GeometryEngine()
        let measurer = Measurer(engine: engine)
        let toPlane = try measurer.transformer(from: .jgd2000, to: PlaneZone(3)!.crs(.jgd2000))
        var total = 0.0
        for i in 0..<Self.iterations {
            let x = Double(i % 50)
            let a = square(x, 0), b = square(x + 0.5, 0.25)
            let union = try engine.union([a, b, .point(Coordinate(x + 10, 10))])
            let difference = try engine.difference(a, b)
            let intersection = try engine.intersection(a, b)
            total += try planeAreas([union.polygons.isEmpty ? a : .multiPolygon(union.polygons), difference, intersection],
                                    measurer: measurer).reduce(0, +)
            let bowTie = Geometry.polygon(Polygon(exterior: [
                Coordinate(x, 0), Coordinate(x + 1, 1), Coordinate(x + 1, 0), Coordinate(x, 1), Coordinate(x, 0),
            ]))
            _ = try engine.invalidReason(bowTie)
            _ = try engine.makeValid(bowTie)
            _ = try engine.buffer(.point(Coordinate(x, x)), distance: 2, quadrantSegments: 4)
            _ = try engine.pointOnSurface(GeometryOpsTests.cShape)
            _ = try engine.simplify(union, tolerance: 0.1)
            _ = try engine.dissolve([a, b, square(x + 3, 0)], by: [1, 1, 2])
            // Lon/lat → plane and back through PROJ.
            let lonlat = rectangle(131 + x / 100, 34, 131.01 + x / 100, 34.01)
            _ = try toPlane.transform(lonlat)
            // Failures must free what was half built.
            _ = try? engine.isValid(.polygon(Polygon(exterior: [Coordinate(0, 0), Coordinate(1, 1)])))
            _ = try? engine.isValid(.multiPolygon([a.polygons[0], Polygon(exterior: [Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1)])]))
            if i % 100 == 0 {
                // Fresh engines, transformers and indexes are created and dropped too.
                let fresh = GeometryEngine()
                _ = try fresh.union([a, b])
                _ = try Transformer(from: "EPSG:4612", to: "EPSG:6671").transform(lonlat)
                _ = try? Transformer(from: "EPSG:4612", to: "EPSG:999999")
                let index = try PolygonIndex(PolygonIndexTests.shapes, crs: zoneIII2011, engine: fresh)
                _ = try index.adjacencies(minimumLength: 1)
                _ = try index.intersecting(rectangle(190, 190, 210, 210))
                _ = try index.nearest(to: 9, within: 150)
                _ = try Measurer().areas([lonlat], crs: .jgd2000, metric: .equalArea)
                _ = try Measurer().areas([lonlat], crs: .jgd2000, metric: .geodesic)
            }
        }
        // Each iteration adds union 1.625, difference 0.625 and intersection 0.375.
        #expect(abs(total - Double(Self.iterations) * 2.625) < 1e-6, "\(total)")
    }

    @Test(.timeLimit(.minutes(2)))
    func nagatoRepeatedly() throws {
        let layer = try Repo.nagato.get().layer
        let geometries = layer.features.map(\.geometry)
        let prefectures = try prefectureCodes(layer)
        var first: [Double]?
        for _ in 0..<20 {
            let measurer = Measurer()
            let zones = try measurer.planeZones(geometries, crs: layer.crs, codes: prefectures, source: "nagato")
            let areas = try measurer.areas(geometries, crs: layer.crs, metric: .plane, zones: zones)
            if let first { #expect(areas == first, "deterministic") } else { first = areas }
            let projected = try measurer.project(layer, to: PlaneZone(3)!.crs(.jgd2000))
            let planar = projected.features.compactMap(\.geometry)
            _ = try measurer.engine.coverageUnion(planar)
            let index = try PolygonIndex(planar, crs: projected.crs, engine: measurer.engine)
            #expect(try index.adjacencies(minimumLength: 1).count > 40)
        }
    }
}
