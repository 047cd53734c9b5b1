import GeoCore
import GeoEngine
import Testing

@Suite struct TransformerTests {
    // Reference values computed once with pyproj 3.7.2 (PROJ 9.5.1) in /tmp/pyref:
    //   pyproj.Transformer.from_crs("EPSG:4612", "EPSG:2445", always_xy=True).transform(131.1823, 34.3717)
    //   → (-90535.06148374961, -180192.96972331565)
    //   pyproj.Transformer.from_crs("EPSG:6668", "EPSG:6673", always_xy=True).transform(134.2380, 35.5011)
    //   → (-8648.553760136618, -55345.42910299608)
    // Nagato city hall lies west and south of zone III's origin (132°10′E, 36°N): x (easting) and
    // y (northing) are both negative. The system PROJ may be another version, so allow 1 µm.
    static let nagatoLonLat = Coordinate(131.1823, 34.3717)
    static let nagatoZoneIII = Coordinate(-90535.06148374961, -180192.96972331565)
    static let tottoriLonLat = Coordinate(134.2380, 35.5011)
    static let tottoriZoneV = Coordinate(-8648.553760136618, -55345.42910299608)

    @Test func jgd2000ToZoneIIIMatchesPyproj() throws {
        let t = try Transformer(from: "EPSG:4612", to: "EPSG:2445")
        let out = try t.transform([Self.nagatoLonLat])[0]
        #expect(abs(out.x - Self.nagatoZoneIII.x) < 1e-6, "x \(out.x)")
        #expect(abs(out.y - Self.nagatoZoneIII.y) < 1e-6, "y \(out.y)")
        print("transformer: Δx \(out.x - Self.nagatoZoneIII.x) m, Δy \(out.y - Self.nagatoZoneIII.y) m vs pyproj")
    }

    @Test func jgd2011ToZoneVMatchesPyproj() throws {
        let t = try Transformer(from: "EPSG:6668", to: "EPSG:6673")
        let out = try t.transform([Self.tottoriLonLat])[0]
        #expect(abs(out.x - Self.tottoriZoneV.x) < 1e-6, "x \(out.x)")
        #expect(abs(out.y - Self.tottoriZoneV.y) < 1e-6, "y \(out.y)")
    }

    @Test func roundTripWithinANanodegree() throws {
        let forward = try Transformer(from: "EPSG:4612", to: "EPSG:2445")
        let back = try Transformer(from: "EPSG:2445", to: "EPSG:4612")
        let points = [Self.nagatoLonLat, Coordinate(130.9, 34.1), Coordinate(132.4, 35.2), Coordinate(131.5, 34.0)]
        let returned = try back.transform(try forward.transform(points))
        for (p, r) in zip(points, returned) {
            #expect(abs(p.x - r.x) < 1e-9 && abs(p.y - r.y) < 1e-9, "\(p) → \(r)")
        }
    }

    @Test func axisOrderIsLonLatInAndEastingNorthingOut() throws {
        let t = try Transformer(from: "EPSG:4612", to: "EPSG:2445")
        // Zone III's origin maps to (0, 0); a tenth of a degree east is +x only, north is +y only.
        let origin = Coordinate(132 + 10.0 / 60, 36)
        let out = try t.transform([origin, Coordinate(origin.x + 0.1, origin.y), Coordinate(origin.x, origin.y + 0.1)])
        #expect(abs(out[0].x) < 1e-6 && abs(out[0].y) < 1e-6, "\(out[0])")
        #expect(out[1].x > 9000 && out[1].x < 9100, "east: \(out[1])")
        #expect(abs(out[1].y) < 50)
        #expect(abs(out[2].x) < 1e-6, "north: \(out[2])")
        #expect(out[2].y > 11000 && out[2].y < 11200)
        // EPSG:4612's official order is lat, lon: giving (lat, lon) would land far away.
        let swapped = try? t.transform([Coordinate(Self.nagatoLonLat.y, Self.nagatoLonLat.x)])
        #expect(swapped?.first.map { abs($0.x - Self.nagatoZoneIII.x) > 1e5 } ?? true)
    }

    @Test func geometriesTransformRingByRing() throws {
        let t = try Transformer(from: "EPSG:4612", to: "EPSG:2445")
        let lonlat = Geometry.multiPolygon([
            Polygon(exterior: [Coordinate(131, 34), Coordinate(131.1, 34), Coordinate(131.1, 34.1), Coordinate(131, 34)],
                    holes: [[Coordinate(131.05, 34.02), Coordinate(131.06, 34.02), Coordinate(131.06, 34.03), Coordinate(131.05, 34.02)]]),
            Polygon(exterior: [Coordinate(131.2, 34.2), Coordinate(131.3, 34.2), Coordinate(131.3, 34.3), Coordinate(131.2, 34.2)]),
        ])
        let projected = try t.transform(lonlat)
        guard case .multiPolygon(let polygons) = projected else { Issue.record("type changed: \(projected)"); return }
        #expect(polygons.count == 2)
        #expect(polygons[0].holes.count == 1)
        #expect(polygons[0].exterior.count == 4)
        #expect(try polygons[0].exterior[1] == t.transform([Coordinate(131.1, 34)])[0])
        // Closed rings stay closed.
        #expect(polygons.allSatisfy { $0.exterior.first == $0.exterior.last })
    }

    @Test func emptySequenceIsUntouched() throws {
        let t = try Transformer(from: "EPSG:4612", to: "EPSG:2445")
        #expect(try t.transform([Coordinate]()).isEmpty)
    }

    @Test func impossibleCRSThrowsPROJsMessage() throws {
        let error = #expect(throws: EngineError.self) {
            _ = try Transformer(from: "EPSG:4612", to: "EPSG:999999")
        }
        #expect(error?.library == "PROJ")
        #expect(error?.message.isEmpty == false, "PROJ's own explanation should be carried")
        #expect(error?.description.contains("EPSG:999999") == true)
        print("PROJ error: \(error.map(String.init(describing:)) ?? "none")")

        let garbage = #expect(throws: EngineError.self) {
            _ = try Transformer(from: "+proj=nonsense", to: "EPSG:4612")
        }
        #expect(garbage?.library == "PROJ")
    }

    @Test func untransformablePointThrowsNamingIt() throws {
        // Far outside the projection's domain: PROJ returns HUGE_VAL, which must not pass as a number.
        let t = try Transformer(from: "EPSG:2445", to: "EPSG:4612")
        let error = #expect(throws: EngineError.self) {
            _ = try t.transform([Coordinate(0, 0), Coordinate(1e300, 1e300)])
        }
        #expect(error?.message.contains("1e+300") == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test func measurerCachesTransformersPerPair() throws {
        let m = Measurer()
        let a = try m.transformer(from: .jgd2000, to: PlaneZone(3)!.crs(.jgd2000))
        let b = try m.transformer(from: .jgd2000, to: PlaneZone(3)!.crs(.jgd2000))
        let c = try m.transformer(from: .jgd2000, to: PlaneZone(5)!.crs(.jgd2000))
        #expect(a === b)
        #expect(a !== c)
    }

    @Test func geodesicDistanceAndArea() throws {
        let g = Geodesic()
        // One degree of longitude on the equator of GRS80: a · π/180.
        #expect(abs(g.distance(Coordinate(0, 0), Coordinate(1, 0)) - 6_378_137 * .pi / 180) < 1e-6)
        // Nagato → Tottori via Measurer, in a plane CRS: converted to lon/lat first.
        let m = Measurer()
        let lonlat = try m.distance(Self.nagatoLonLat, Self.tottoriLonLat, crs: .jgd2000)
        let zone = PlaneZone(3)!.crs(.jgd2000)
        let t = try Transformer(from: "EPSG:4612", to: "EPSG:2445")
        let projected = try t.transform([Self.nagatoLonLat, Self.tottoriLonLat])
        let viaPlane = try m.distance(projected[0], projected[1], crs: zone)
        #expect(abs(lonlat - viaPlane) < 1e-6)
        // pyproj.Geod(ellps="GRS80").inv(131.1823, 34.3717, 134.2380, 35.5011)[2] → 305973.2124616408
        #expect(abs(lonlat - 305973.2124616408) < 1e-6, "\(lonlat)")
        // A hole subtracts; winding does not matter.
        let outer = [Coordinate(131, 34), Coordinate(131.1, 34), Coordinate(131.1, 34.1), Coordinate(131, 34.1), Coordinate(131, 34)]
        let hole = [Coordinate(131.02, 34.02), Coordinate(131.02, 34.03), Coordinate(131.03, 34.03), Coordinate(131.03, 34.02), Coordinate(131.02, 34.02)]
        let full = g.area(.polygon(Polygon(exterior: outer)))
        let reversed = g.area(.polygon(Polygon(exterior: outer.reversed())))
        let holed = g.area(.polygon(Polygon(exterior: outer, holes: [hole])))
        let holeOnly = g.area(.polygon(Polygon(exterior: hole)))
        #expect(abs(full - reversed) < 1e-6)
        #expect(abs(holed - (full - holeOnly)) < 1e-6)
        #expect(g.area(.lineString(outer)) == 0)
    }
}
