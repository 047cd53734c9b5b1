import Foundation
import Testing
import GeoCore
import GeoEngine
import GeoIO
import Demography
import TestSupport
@testable import Planning

private func stop(_ x: Double, _ y: Double, _ kind: TransitKind = .busStop, _ name: String = "stop") -> TransitStop {
    TransitStop(point: NamedPoint(name: name, source: "test", record: 1, position: Coordinate(x, y)), kind: kind)
}

private func district(_ id: String, _ g: Geometry, population: Int, aged: Int) -> District {
    District(id: id, name: id, areaM2: 0, figures: AgingFigures(population: population, aged: aged, households: nil),
                     geometry: g, planar: g)
}

/// The area of a regular polygon of `n` sides inscribed in a circle of radius r (a GEOS disc).
private func polygonArea(_ r: Double, sides n: Int = 64) -> Double { Double(n) / 2 * r * r * sin(2 * .pi / Double(n)) }

@Suite("taxi: transit gap")
struct TaxiGapTests {
    /// The Nagato hamlets under the synthetic stops and stations, against shapely
    /// (Fixtures/make_taxi_fixtures.py): gap area and apportioned people per hamlet.
    @Test func nagatoHamletsMatchShapely() throws {
        let measurer = Measurer()
        let loaded = try PlanningDistricts.load(try VectorReader.read(nagato("hamlets_2014_synthetic.geojson")), measurer: measurer)
        #expect(loaded.planarCRS.epsg == 6671)
        var stops = try TaxiInputs.transitStops(try VectorReader.read(nagato("bus_stops_p11_synthetic.geojson")), kind: .busStop,
                                                planarCRS: loaded.planarCRS, measurer: measurer)
        stops += try TaxiInputs.transitStops(try VectorReader.read(nagato("stations_n02_synthetic.geojson")), kind: .station,
                                             planarCRS: loaded.planarCRS, measurer: measurer)
        #expect(stops.filter { $0.kind == .station }.map(\.point.name).contains("長門湯本"))
        let result = try TransitGap.analyse(loaded.districts, stops: stops, planarCRS: loaded.planarCRS)
        let csv = try String(contentsOfFile: Repository.path("Tests/PlanningTests/Fixtures/taxi_gap_nagato.csv"), encoding: .utf8)
        var reference: [String: [Double]] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",")
            reference[String(cells[0])] = cells.dropFirst().map { Double($0)! }
        }
        #expect(reference.count == 225)
        var worst = 0.0
        for g in result.districts {
            let d = loaded.districts[g.district]
            let r = try #require(reference[d.id])
            // Areas to a square metre or 1e-6 relative; people to 1e-4.
            #expect(abs(g.area - r[0]) <= max(1, 1e-6 * r[0]), "\(d.id) area")
            #expect(abs(g.gapArea - r[1]) <= max(1, 1e-6 * r[0]), "\(d.id) gap \(g.gapArea) vs \(r[1])")
            #expect(abs(g.population - r[2]) <= 1e-4 * max(1, r[2]), "\(d.id) population in gap")
            #expect(abs(g.aged - r[3]) <= 1e-4 * max(1, r[3]), "\(d.id) aged in gap")
            worst = max(worst, abs(g.gapArea - r[1]) / max(r[0], 1))
        }
        let agedInGap = reference.values.reduce(0) { $0 + $1[3] }
        #expect(abs(result.agedInGap - agedInGap) < 0.01)
        // Stations beyond the border (長門粟野) reach no hamlet and are reported, not used.
        #expect(result.stopsOutside.map(\.point.name).contains("長門粟野"))
    }

    @Test func discAroundOneStopIsCovered() throws {
        let square = rectangle(0, 0, 1_000, 1_000)
        let d = district("sq", square, population: 1_000, aged: 400)
        let result = try TransitGap.analyse([d], stops: [stop(500, 500)], planarCRS: zoneIII)
        let g = result.districts[0]
        let covered = polygonArea(300)
        #expect(abs(g.gapArea - (1e6 - covered)) < 1e-6)
        // Apportioned by area.
        #expect(abs(g.population - 1_000 * (1 - covered / 1e6)) < 1e-9)
        #expect(abs(g.aged - 400 * (1 - covered / 1e6)) < 1e-9)
        // A station's wider radius covers the whole square (its corners are 707 m away).
        let station = try TransitGap.analyse([d], stops: [stop(500, 500, .station)], planarCRS: zoneIII)
        #expect(station.districts[0].gap == nil)
        #expect(station.agedInGap == 0)
    }

    @Test func stopsThatReachNoDistrictAreReported() throws {
        let d = district("sq", rectangle(0, 0, 1_000, 1_000), population: 10, aged: 5)
        let result = try TransitGap.analyse([d], stops: [stop(500, 500), stop(1_250, 500, .busStop, "near"), stop(5_000, 5_000, .busStop, "far")],
                                            planarCRS: zoneIII)
        // 1,250 m is 250 m from the square: within 300 m, so it counts.
        #expect(result.stopsUsed == 2)
        #expect(result.stopsOutside.map(\.point.name) == ["far"])
    }

    /// Along a road: a strip 2 km × 200 m with a road down its middle and one stop on it. Walking
    /// to the road and along it, the reach is |x − 1000| + |y − 100| ≤ 300: inside the strip,
    /// 100,000 m² (the straight-line disc covers more, 120,000-odd m²).
    @Test func walkingAlongTheRoadReachesLess() throws {
        let strip = rectangle(0, 0, 2_000, 200)
        let d = district("strip", strip, population: 400, aged: 100)
        let network = try RoadNetwork(lines: [[Coordinate(-500, 100), Coordinate(2_500, 100)]])
        var options = GapOptions()
        options.walk = .road(network, cell: 5)
        let road = try TransitGap.analyse([d], stops: [stop(1_000, 100)], options: options, planarCRS: zoneIII)
        let straight = try TransitGap.analyse([d], stops: [stop(1_000, 100)], planarCRS: zoneIII)
        let roadCovered = 400_000 - road.districts[0].gapArea
        #expect(abs(roadCovered - 100_000) < 2_000, "covered along the road: \(roadCovered) m²")
        #expect(road.districts[0].gapArea > straight.districts[0].gapArea)
        // Reach is the stop's 300 m less the walk: 250 m along and 40 m off the road is in
        // (290 m), 60 m off is out (310 m).
        let reach = WalkReach(network, stops: [(Coordinate(1_000, 100), 300)])
        #expect(reach.left(at: Coordinate(1_250, 140)) >= 0)
        #expect(reach.left(at: Coordinate(1_250, 160)) < 0)
    }

    @Test func stationLinesAreTakenAtTheirMiddle() {
        let middle = NamedPoints.middle([Coordinate(0, 0), Coordinate(100, 0), Coordinate(100, 300)])
        #expect(middle == Coordinate(100, 100))
    }

    @Test func emptyStopLayerIsAnError() throws {
        let path = Repository.path("Tests/PlanningTests/Fixtures/taxi/bus_stops_empty.geojson")
        let file = try VectorReader.read(path)
        #expect(throws: DataError(file: path, "layer 'bus_stops_empty' is empty: points were expected")) {
            try TaxiInputs.transitStops(file, kind: .busStop, planarCRS: zoneIII, measurer: Measurer())
        }
    }
}
