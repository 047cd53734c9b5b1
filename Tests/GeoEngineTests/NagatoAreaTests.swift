import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Testing

/// Nagato (46 records, lon/lat JGD2000) measured in the three metrics and compared with the
/// references computed by pyproj/shapely (Tests/Fixtures/make_references.py) and with e-Stat's
/// AREA attribute (planar area in JGD2000 zone III, EPSG:2445, to 3 decimals).
@Suite struct NagatoAreaTests {
    let layer: Layer
    let references: [[String: String]]
    let geometries: [Geometry?]

    init() throws {
        layer = try Repo.nagato.get().layer
        references = try Fixture.rows("nagato_record_areas.csv")
        geometries = layer.features.map(\.geometry)
    }

    @Test func layerMatchesTheFixtureRecordByRecord() throws {
        #expect(layer.crs.epsg == 4612)
        #expect(layer.crs.isGeographic)
        #expect(layer.features.count == 46)
        #expect(references.count == layer.features.count)
        let keys = try keyCodes(layer)
        for (i, row) in references.enumerated() {
            #expect(try row.int("record") == i + 1)
            #expect(row["key_code"] == keys[i], "record \(i + 1)")
        }
    }

    @Test func planeZonesFromKeyCodeAreZoneIII() throws {
        let zones = try Measurer().planeZones(geometries, crs: layer.crs, codes: prefectureCodes(layer),
                                              source: Repo.nagatoPath)
        #expect(zones.count == 46)
        #expect(Set(zones) == [PlaneZone(3)!])
        #expect(zones[0].crs(.jgd2000).epsg == 2445)
    }

    @Test func planeAreaEqualsEStatAreaAndPyproj() throws {
        let measurer = Measurer()
        let zones = try measurer.planeZones(geometries, crs: layer.crs, codes: prefectureCodes(layer),
                                            source: Repo.nagatoPath)
        let areas = try measurer.areas(geometries, crs: layer.crs, metric: .plane, zones: zones)
        var worstEStatAbs = 0.0, worstEStatRel = 0.0, worstPyproj = 0.0
        for (i, row) in references.enumerated() {
            let estat = try row.double("estat_area"), reference = try row.double("plane_area")
            // The DBF's own AREA attribute must be what the fixture says it is.
            #expect(layer.value(layer.features[i], "AREA").doubleValue == estat, "record \(i + 1)")
            let abs = Swift.abs(areas[i] - estat), rel = relativeDifference(areas[i], estat)
            #expect(rel <= 1e-6 || abs <= 0.0005, "record \(i + 1): \(areas[i]) vs AREA \(estat)")
            #expect(matchesFixture(areas[i], reference), "record \(i + 1): \(areas[i]) vs pyproj \(reference)")
            worstEStatAbs = max(worstEStatAbs, abs)
            worstEStatRel = max(worstEStatRel, rel)
            worstPyproj = max(worstPyproj, relativeDifference(areas[i], reference))
        }
        print("nagato plane: max |plane-AREA| \(worstEStatAbs) m², max rel \(worstEStatRel), max rel vs pyproj \(worstPyproj)")
    }

    @Test func geodesicAreaEqualsPyprojGeod() throws {
        let areas = try Measurer().areas(geometries, crs: layer.crs, metric: .geodesic)
        var worst = 0.0, worstAbs = 0.0, worstRecord = 0
        for (i, row) in references.enumerated() {
            let reference = try row.double("geodesic_area")
            let rel = relativeDifference(areas[i], reference)
            #expect(matchesFixture(areas[i], reference), "record \(i + 1): \(areas[i]) vs pyproj.Geod \(reference)")
            if rel > worst { (worst, worstRecord) = (rel, i + 1) }
            worstAbs = max(worstAbs, abs(areas[i] - reference))
        }
        print("nagato geodesic: max rel vs pyproj.Geod \(worst) (record \(worstRecord)), max abs \(worstAbs) m²")
    }

    @Test func equalAreaEqualsLAEAFixtureWithTheSameCentre() throws {
        // The fixture centres LAEA on the layer's lon/lat bounding box, as Measurer does.
        let words = try Fixture.text("nagato_laea_centre.txt").split(whereSeparator: \.isWhitespace)
        let fixtureCentre = Coordinate(try #require(Double(String(words[0]))), try #require(Double(String(words[1]))))
        let centre = try #require(layer.boundingBox).center
        #expect(centre == fixtureCentre, "bounding-box centre \(centre) vs fixture \(fixtureCentre)")
        // Swift prints the shortest round-tripping digits, like Python's repr: the PROJ strings match.
        #expect("\(centre.x) \(centre.y)" == words.joined(separator: " "))

        let areas = try Measurer().areas(geometries, crs: layer.crs, metric: .equalArea)
        var worst = 0.0
        for (i, row) in references.enumerated() {
            let reference = try row.double("laea_area")
            let rel = relativeDifference(areas[i], reference)
            #expect(matchesFixture(areas[i], reference), "record \(i + 1): \(areas[i]) vs LAEA fixture \(reference)")
            worst = max(worst, rel)
        }
        print("nagato equal-area: max rel vs fixture \(worst)")
    }

    @Test func metricsAgreeWithEachOther() throws {
        // Plane zone III is conformal, not equal-area: its scale error around Nagato is about
        // 1e-4, so the three metrics agree in total to that order, not to 1e-9.
        let measurer = Measurer()
        let zones = try measurer.planeZones(geometries, crs: layer.crs, codes: prefectureCodes(layer), source: "nagato")
        let plane = try measurer.areas(geometries, crs: layer.crs, metric: .plane, zones: zones).reduce(0, +)
        let geodesic = try measurer.areas(geometries, crs: layer.crs, metric: .geodesic).reduce(0, +)
        let laea = try measurer.areas(geometries, crs: layer.crs, metric: .equalArea).reduce(0, +)
        #expect(relativeDifference(laea, geodesic) < 1e-7)
        #expect(relativeDifference(plane, geodesic) < 1e-3)
        #expect(abs(plane / 1e6 - 356.95) < 0.005, "README: AREA sums to 356.95 km²")
    }

    @Test func dissolvedKeyCodeAreasEqualShapelyUnion() throws {
        let measurer = Measurer()
        let projected = try measurer.project(layer, to: PlaneZone(3)!.crs(.jgd2000))
        #expect(projected.crs.epsg == 2445)
        let keys = try keyCodes(layer)
        let dissolved = try measurer.engine.dissolve(projected.features.map { try #require($0.geometry) }, by: keys)
        let references = try Fixture.rows("nagato_keycode_areas.csv")
        #expect(dissolved.map(\.key) == references.map { $0["key_code"]! }, "27 keys, in key order")
        let areas = try planeAreas(dissolved.map(\.geometry), crs: projected.crs, measurer: measurer)
        var worst = 0.0
        for (i, row) in references.enumerated() {
            #expect(keys.filter { $0 == dissolved[i].key }.count == (try row.int("records")))
            let rel = relativeDifference(areas[i], try row.double("plane_area"))
            #expect(matchesFixture(areas[i], try row.double("plane_area")), "KEY_CODE \(dissolved[i].key)")
            worst = max(worst, rel)
        }
        print("nagato dissolve: max rel vs shapely union_all \(worst)")
    }

    @Test func coverageIsValid() throws {
        let engine = GeometryEngine()
        for (i, g) in geometries.enumerated() {
            #expect(try engine.invalidReason(try #require(g)) == nil, "record \(i + 1)")
        }
    }
}
