import Foundation
import TestSupport
import Testing

/// `chiiki taxi` end to end on the Nagato sample and its synthetic transit layers, and its bad inputs.
@Suite("chiiki taxi")
struct TaxiCLITests {
    static let hamlets = CLI.nagato("hamlets_2014_synthetic.geojson")
    static let busStops = CLI.nagato("bus_stops_p11_synthetic.geojson")
    static let stations = CLI.nagato("stations_n02_synthetic.geojson")
    static let hubs = CLI.nagato("taxi_hubs_synthetic.geojson")
    static let roads = CLI.nagato("main_roads_synthetic.geojson")
    static func fixture(_ name: String) -> String { Repository.path("Tests/PlanningTests/Fixtures/taxi/\(name)") }
    static let gapArguments = ["taxi", "--demand", hamlets, "--bus-stops", busStops, "--stations", stations]
    static let allOutputs = ["gap.geojson", "gap.csv", "gap_summary.json", "proposed_stops.geojson", "proposed_stops.csv",
                             "routes.geojson", "route_legs.geojson", "timetable.csv", "routes_summary.json"]

    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try CLI.contents(URL(fileURLWithPath: path))) as! [String: Any]
    }

    func csvRows(_ path: String) throws -> [[String]] {
        let text = String(decoding: try CLI.contents(URL(fileURLWithPath: path)), as: UTF8.self)
        return text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    // MARK: help

    @Test func helpShowsExamplesUnbroken() throws {
        let run = try CLI.run(["taxi", "--help"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("USAGE: chiiki taxi"))
        let lines = run.stdout.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "Examples:"))
        let block = lines[(start + 1)...].prefix { !$0.hasPrefix("USAGE:") }.filter { !$0.isEmpty }
        #expect(block.contains { $0.hasPrefix("  chiiki taxi") })
        #expect(block.allSatisfy { $0.hasPrefix("  ") }, "wrapped example fragments")
        let prose = lines[..<start]
        for (i, line) in prose.enumerated().dropLast() where !line.isEmpty && !prose[prose.startIndex + i + 1].isEmpty {
            #expect(line.count >= 55, "a fragment in taxi --help: '\(line)'")
        }
        #expect(try CLI.run(["--help"]).stdout.contains("taxi"))
    }

    // MARK: the whole pipeline

    @Test func gapProposalsAndRoutesOnNagato() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(Self.gapArguments + ["--propose", "10", "--hubs", Self.hubs, "--roads", Self.roads, "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.isEmpty)
        #expect(Set(try dir.contents()) == Set(Self.allOutputs))
        #expect(run.stdout.contains("live in the gap, apportioned by area"))

        // The summary agrees with the table: people in the gap are the per-hamlet sums.
        let summary = try json(dir.file("gap_summary.json"))
        let rows = try csvRows(dir.file("gap.csv"))
        #expect(rows.count == 225)
        let agedInGap = rows.reduce(0.0) { $0 + Double($1[8])! }
        #expect(abs(agedInGap - (summary["aged_in_gap"] as! Double)) < 0.5)
        #expect(summary["aged_65_plus"] as? Int == 14_069)
        #expect((summary["stops"] as! [String: Any])["outside_names"] as! [String] == ["長門粟野 (record 7)"])
        let gapFeatures = try geoJSONFeatures(dir.file("gap.geojson"))
        #expect(gapFeatures.count == summary["districts_with_gap"] as! Int)

        // Ten proposed stops; routes serve them all within the rules.
        #expect(try geoJSONFeatures(dir.file("proposed_stops.geojson")).count == 10)
        let routes = try json(dir.file("routes_summary.json"))
        #expect(routes["stops"] as? Int == 10)
        #expect((routes["unserved"] as! [String]).isEmpty)
        let byRoute = routes["by_route"] as! [[String: Any]]
        #expect(byRoute.allSatisfy { ($0["ride_min"] as! Double) <= 45 && ($0["riders"] as! Int) <= 9 })
        #expect(Set(byRoute.flatMap { $0["stops"] as! [String] }).count == 10)
        let lines = try geoJSONFeatures(dir.file("routes.geojson"))
        #expect(lines.count == byRoute.count)
        #expect(lines.allSatisfy { ($0["geometry"] as! [String: Any])["type"] as? String == "LineString" })
        // The timetable: every route leaves its hub, picks up, and arrives at 09:00.
        let timetable = try csvRows(dir.file("timetable.csv"))
        #expect(timetable.filter { $0[3] == "arrive hub" }.allSatisfy { $0[5] == "09:00" })
        #expect(timetable.filter { $0[3] == "pick up" }.count == 10)
    }

    @Test func sameRunTwiceIsByteIdentical() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory()
        let args = Self.gapArguments + ["--propose", "6", "--hubs", Self.hubs, "-q"]
        #expect(try CLI.run(args + ["-o", a.path]).status == 0)
        #expect(try CLI.run(args + ["-o", b.path]).status == 0)
        for name in try a.contents() {
            #expect(try CLI.contents(URL(fileURLWithPath: a.file(name))) == CLI.contents(URL(fileURLWithPath: b.file(name))), "\(name)")
        }
    }

    @Test func routesForGivenStopsWithoutADemandLayer() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["taxi", "--hubs", Self.hubs, "--route-stops", Self.fixture("route_stops.geojson"), "--zone", "3",
                               "--vehicles", "1", "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        #expect(Set(try dir.contents()) == ["routes.geojson", "route_legs.geojson", "timetable.csv", "routes_summary.json"])
        let routes = try json(dir.file("routes_summary.json"))
        #expect(routes["riders"] as? Int == 8)
        #expect((routes["driving"] as! String).contains("1.3 detour"))
    }

    // MARK: bad input

    /// Each fails with one line naming the file and the stops, exit 1, and writes nothing.
    /// HUBS is the sample's hubs; other .geojson names are fixtures.
    @Test(arguments: [
        (["--hubs", "HUBS", "--route-stops", "route_stops_too_far.geojson"], "farther from every hub than a 45-minute ride at 30 km/h allows: 広島駅"),
        (["--hubs", "HUBS", "--route-stops", "route_stops_over_seats.geojson"], "more riders than the 9 seats of a vehicle at 1 stop(s): 大人数 (12)"),
        (["--hubs", "HUBS", "--route-stops", "route_stops_bad_riders.geojson"], "route_stops_bad_riders.geojson, record 3, field riders: expected a whole number ≥ 1, found 'many'"),
        (["--hubs", "HUBS", "--route-stops", "route_stops.geojson", "--vehicles", "0"], "zero vehicles"),
        (["--hubs", "hubs_zero_vehicles.geojson", "--route-stops", "route_stops.geojson"], "zero vehicles"),
        (["--hubs", "HUBS", "--route-stops", "route_stops.geojson", "--roads", "roads_polygons.geojson"], "roads_polygons.geojson, record 1, field geometry: Polygon found: a LineString was expected"),
        (["--bus-stops", "bus_stops_empty.geojson"], "bus_stops_empty.geojson: layer 'bus_stops_empty' is empty: points were expected"),
    ])
    func badInputFailsAndWritesNothing(_ extra: [String], _ says: String) throws {
        let dir = try TemporaryDirectory()
        let args = ["taxi", "--demand", Self.hamlets] + extra.map { a in
            a == "HUBS" ? Self.hubs : (a.hasSuffix(".geojson") ? Self.fixture(a) : a)
        }
        let run = try CLI.run(args + ["-o", dir.path, "-q"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.count == 1, "\(run)")
        #expect(run.stderr.hasPrefix("chiiki: error: "), "\(run)")
        #expect(run.stderr.contains(says), "\(run)")
        #expect(try dir.contents().isEmpty)
    }

    @Test func routeStopsOutsideTheAreaAreNamed() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["taxi", "--demand", Self.hamlets, "--hubs", Self.hubs, "--route-stops", Self.fixture("route_stops_outside.geojson"),
                               "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("1 route stop(s) outside the study area (routed anyway): 萩市三見"), "\(run.stdout)")
        let warnings = (try json(dir.file("routes_summary.json"))["settings"] as! [String: Any])["warnings"] as! [String]
        #expect(warnings.contains { $0.contains("萩市三見") })
    }

    @Test func inconsistentOptionsAreRefused() throws {
        let dir = try TemporaryDirectory()
        for (args, says) in [(Self.gapArguments + ["--walk", "road"], "--walk road needs --roads FILE"),
                             (["taxi", "--demand", Self.hamlets], "nothing to do"),
                             (Self.gapArguments + ["--hubs", Self.hubs], "--hubs needs --route-stops FILE, --propose N, or --trips/--places")] {
            let run = try CLI.run(args + ["-o", dir.path])
            #expect(run.status == 64, "\(run)")
            #expect(run.stderr.contains(says), "\(run)")
        }
        #expect(try dir.contents().isEmpty)
    }

    // MARK: dial-a-ride

    /// The Nagato bookings routed, then the written schedule checked against the booking file
    /// alone: every trip picked up and dropped off once by one vehicle, in its window, within the
    /// ride limit and the seats, in time order; the costs add up.
    @Test func bookedTripsAreScheduledWithinTheirWindows() throws {
        let dir = try TemporaryDirectory()
        let trips = CLI.nagato("taxi_trips_synthetic.csv")
        let run = try CLI.run(["taxi", "--zone", "3", "--hubs", Self.hubs, "--trips", trips, "--places", CLI.nagato("taxi_places_synthetic.geojson"),
                               "--roads", Self.roads, "--iterations", "2000", "--cost-per-hour", "3500", "--fare", "300", "-o", dir.path])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("48 of 48 trips served"), "\(run.stdout)")
        func seconds(_ t: Substring) -> Double {
            let p = t.split(separator: ":").map { Double($0)! }
            return p[0] * 3600 + p[1] * 60 + (p.count > 2 ? p[2] : 0)
        }
        let bookings = try String(contentsOfFile: trips, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let rows = try csvRows(dir.file("schedule.csv"))
        var lastTime: [String: Double] = [:], picked: [String: (vehicle: String, time: Double)] = [:], dropped = Set<String>()
        for row in rows {
            let vehicle = row[0], time = seconds(Substring(row[4])), load = Int(row[8])!
            #expect(time >= (lastTime[vehicle] ?? 0) - 1, "\(row)")
            lastTime[vehicle] = time
            #expect(load >= 0 && load <= 9)
            guard row[3] == "pickup" || row[3] == "dropoff" else { continue }
            let booking = try #require(bookings.first { $0[0] == Substring(row[2]) })
            if (booking[11] == "pickup") == (row[3] == "pickup") {
                #expect(time >= seconds(booking[9]) - 1 && time <= seconds(booking[10]) + 1, "\(row) outside \(booking[9])–\(booking[10])")
            }
            if row[3] == "pickup" { picked[row[2]] = (vehicle, time) } else {
                let p = try #require(picked[row[2]], "dropped before picked up: \(row)")
                #expect(p.vehicle == vehicle)
                #expect(time - p.time - 30 <= 45 * 60 + 1, "ride of \(row[2])")
                #expect(dropped.insert(row[2]).inserted)
            }
        }
        #expect(dropped.count == 48)
        let summary = try json(dir.file("routes_summary.json"))
        let day = try #require(summary["day"] as? [String: Any])
        let hours = day["vehicle_hours"] as! Double, riders = day["riders"] as! Int
        #expect(abs((day["cost_yen"] as! Double) - (hours * 3500).rounded()) <= 2)
        let perRider = (hours * 3500 - Double(riders) * 300) / Double(riders)
        #expect(abs((day["public_cost_per_rider_yen"] as! Double) - perRider.rounded()) <= 1)
        #expect(try csvRows(dir.file("riders.csv")).count == 48)
    }

    @Test func tripsEstimatedFromTheAgedOfEachHamlet() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["taxi", "--demand", Self.hamlets, "--hubs", Self.hubs, "--places", CLI.nagato("taxi_places_synthetic.geojson"),
                               "--trip-rate", "0.002", "--iterations", "500", "-o", dir.path])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("estimated: each district's aged 65+ × 0.002 travel"), "\(run.stdout)")
        let riders = try csvRows(dir.file("riders.csv"))
        #expect(!riders.isEmpty)
        #expect(riders.allSatisfy { $0[0].hasSuffix("-there") || $0[0].hasSuffix("-back") })
    }
}
