import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Testing

/// The whole of Tottori Prefecture (2,504 real e-Stat records): every record's plane area in
/// zone V against AREA, the population total, and the one invalid record's repair.
@Suite struct TottoriTests {
    static let invalidKey = "31371051002"

    @Test(.timeLimit(.minutes(1)))
    func everyRecordsPlaneAreaEqualsEStatArea() throws {
        let clock = ContinuousClock(), start = clock.now
        let layer = try Repo.tottori.get().layer
        let summary = try #require(try Fixture.rows("tottori_summary.csv").first)
        #expect(layer.features.count == 2504)
        #expect(layer.features.count == (try summary.int("records")))
        #expect(layer.crs.epsg == 4612)

        let measurer = Measurer()
        let geometries = layer.features.map(\.geometry)
        let zones = try measurer.planeZones(geometries, crs: layer.crs, codes: prefectureCodes(layer),
                                            source: Repo.tottoriPath)
        #expect(Set(zones) == [PlaneZone(5)!])
        let areas = try measurer.areas(geometries, crs: layer.crs, metric: .plane, zones: zones)

        var worstRel = 0.0, worstAbs = 0.0, failures = 0
        var estatSum = 0.0
        for (i, feature) in layer.features.enumerated() {
            let estat = try #require(layer.value(feature, "AREA").doubleValue, "record \(i + 1)")
            estatSum += estat
            let abs = Swift.abs(areas[i] - estat), rel = relativeDifference(areas[i], estat)
            worstAbs = max(worstAbs, abs)
            worstRel = max(worstRel, rel)
            if !(rel <= 1e-6 || abs <= 0.0005) {
                failures += 1
                Issue.record("record \(i + 1) (\(layer.value(feature, "KEY_CODE"))): plane \(areas[i]) vs AREA \(estat)")
            }
        }
        #expect(failures == 0)
        let planeSum = areas.reduce(0, +)
        #expect(abs(estatSum - (try summary.double("estat_area_sum"))) < 0.01)
        #expect(relativeDifference(planeSum, try summary.double("plane_area_sum")) < 1e-9)
        // shapely's worst relative difference (valid records) was 4.4e-7: ours must be no worse.
        #expect(worstRel <= 1e-6)
        print("tottori plane: max rel \(worstRel) (fixture \(summary["max_rel_diff"]!)), max abs \(worstAbs) m² " +
              "(fixture \(summary["max_abs_diff"]!)), sum \(planeSum) in \(clock.now - start)")
    }

    @Test func populationTotals() throws {
        let layer = try Repo.tottori.get().layer
        let summary = try #require(try Fixture.rows("tottori_summary.csv").first)
        let jinko = try layer.features.map { try #require(layer.value($0, "JINKO").intValue) }.reduce(0, +)
        let setai = try layer.features.map { try #require(layer.value($0, "SETAI").intValue) }.reduce(0, +)
        #expect(jinko == 573_441)
        #expect(jinko == (try summary.int("jinko_sum")))
        #expect(setai == (try summary.int("setai_sum")))
        #expect(Set(try keyCodes(layer)).count == (try summary.int("key_codes")))
    }

    @Test(.timeLimit(.minutes(1)))
    func exactlyOneInvalidRecordAndItsRepair() throws {
        let layer = try Repo.tottori.get().layer
        let reference = try #require(try Fixture.rows("tottori_repaired.csv").first)
        let engine = GeometryEngine()
        let keys = try keyCodes(layer)
        var invalid: [(index: Int, reason: String)] = []
        for (i, f) in layer.features.enumerated() {
            if let reason = try engine.invalidReason(try #require(f.geometry)) { invalid.append((i, reason)) }
        }
        try #require(invalid.count == 1, "invalid records: \(invalid.map { keys[$0.index] })")
        let (index, reason) = invalid[0]
        #expect(keys[index] == Self.invalidKey)

        // GEOS's reason names the kind and the place; shapely (GEOS 3.14) printed the same.
        let expected = try #require(reference["explain_validity"])
        #expect(reason.hasPrefix("Ring Self-intersection"), "\(reason)")
        let ours = try #require(Self.location(reason)), theirs = try #require(Self.location(expected))
        #expect(Self.distance(ours, theirs) < 1e-9, "\(reason) vs shapely's \(expected)")

        let raw = try #require(layer.features[index].geometry)
        let repaired = try engine.makeValid(raw)
        #expect(try engine.isValid(repaired))
        #expect(repaired.isPolygonal)

        let measurer = Measurer(engine: engine)
        let crs = PlaneZone(5)!.crs(.jgd2000)
        #expect(crs.epsg == 2447)
        let zones = try measurer.planeZones([raw, repaired], crs: layer.crs, codes: [31, 31], source: "tottori")
        #expect(zones == [PlaneZone(5)!, PlaneZone(5)!])
        let areas = try measurer.areas([raw, repaired], crs: layer.crs, metric: .plane, zones: zones)
        #expect(relativeDifference(areas[0], try reference.double("raw_plane_area")) < 1e-9)
        #expect(relativeDifference(areas[1], try reference.double("make_valid_plane_area")) < 1e-9)
        let estat = try reference.double("estat_area")
        #expect(layer.value(layer.features[index], "AREA").doubleValue == estat)
        #expect(abs(areas[1] - estat) <= 0.0005)
        print("tottori invalid: \(reason); raw \(areas[0]) repaired \(areas[1]) AREA \(estat)")
    }

    /// Plane areas measured ring by ring in Swift (`Measurer.areas`) are GEOS's own areas of the
    /// projected shapes, bit for bit, on every record (the summation is GEOS's, term for term).
    @Test(.timeLimit(.minutes(1)))
    func planeAreasAreGEOSAreasToTheBit() throws {
        let layer = try Repo.tottori.get().layer
        let measurer = Measurer()
        let zone = PlaneZone(5)!
        let areas = try measurer.areas(layer.features.map(\.geometry), crs: layer.crs, metric: .plane,
                                       zones: Array(repeating: zone, count: layer.features.count))
        let projected = try measurer.project(layer, to: zone.crs(.jgd2000))
        var differing = 0
        for (i, f) in projected.features.enumerated() {
            let geos = try measurer.planarArea(try #require(f.geometry), crs: projected.crs)
            if geos.bitPattern != areas[i].bitPattern { differing += 1 }
        }
        #expect(differing == 0, "\(differing) of \(areas.count) records differ from GEOS's area")
    }

    /// The coverage union of the prefecture (shared edges dropped, the rest polygonized) against
    /// GEOS's general union (overlay): the same shape, in as many polygons with as many holes.
    @Test(.timeLimit(.minutes(1)))
    func coverageUnionEqualsTheGeneralUnion() throws {
        let layer = try Repo.tottori.get().layer
        let engine = GeometryEngine()
        let parts = try layer.features.map { try engine.makeValid(try #require($0.geometry)) }
        let fast = try engine.coverageUnion(parts), general = try engine.union(parts)
        let pieces = [fast, general, try engine.difference(fast, general), try engine.difference(general, fast)]
        let areas = try Measurer(engine: engine).areas(pieces, crs: layer.crs, metric: .plane,
                                                       zones: Array(repeating: PlaneZone(5)!, count: pieces.count))
        #expect(relativeDifference(areas[0], areas[1]) < 1e-9, "\(areas[0]) vs \(areas[1])")
        #expect(areas[2] + areas[3] < 1, "symmetric difference \(areas[2] + areas[3]) m²")
        #expect(fast.polygons.count == general.polygons.count)
        let holes = [fast, general].map { $0.polygons.reduce(0) { $0 + $1.holes.count } }
        #expect(holes[0] == holes[1])
        #expect(try engine.isValid(fast))
        print("tottori coverage union: \(areas[0]) m² in \(fast.polygons.count) polygons; general \(areas[1]); symmetric difference \(areas[2] + areas[3]) m²")
    }

    /// "Reason[x y]" → (x, y).
    static func location(_ reason: String) -> Coordinate? {
        guard let open = reason.firstIndex(of: "["), let close = reason.lastIndex(of: "]") else { return nil }
        let parts = reason[reason.index(after: open)..<close].split(separator: " ").compactMap { Double(String($0)) }
        return parts.count == 2 ? Coordinate(parts[0], parts[1]) : nil
    }

    static func distance(_ a: Coordinate, _ b: Coordinate) -> Double { hypot(a.x - b.x, a.y - b.y) }
}
