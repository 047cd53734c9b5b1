import Foundation
import TestSupport
import Testing

/// `chiiki hubs` end to end on the Nagato sample, and its bad inputs.
@Suite("chiiki hubs")
struct HubsCLITests {
    static let outputs = ["hub_assignment_lines.geojson", "hub_assignments.geojson", "hub_candidates.geojson", "hubs.geojson",
                          "hubs.html", "hubs_summary.csv", "hubs_summary.json"]
    static func fixture(_ name: String) -> String { Repository.path("Tests/PlanningTests/Fixtures/hubs/\(name)") }

    func summary(_ dir: TemporaryDirectory) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try CLI.contents(URL(fileURLWithPath: dir.file("hubs_summary.json")))) as! [String: Any]
    }

    func objective(_ dir: TemporaryDirectory) throws -> Double {
        try #require((try summary(dir)["solver"] as? [String: Any])?["objective"] as? Double)
    }

    // MARK: help

    @Test func helpShowsExamplesUnwrapped() throws {
        let run = try CLI.run(["hubs", "--help"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("USAGE: chiiki hubs"))
        let lines = run.stdout.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "Examples:"))
        let block = lines[(start + 1)...].prefix { !$0.hasPrefix("USAGE:") }.filter { !$0.isEmpty }
        #expect(block.contains { $0.contains("  chiiki hubs") })
        #expect(block.allSatisfy { $0.hasPrefix("  ") }, "wrapped example fragments: \(block)")
        // Prose paragraphs fill their lines (the 76-column rule the other commands follow).
        let prose = lines[..<start]
        for (i, line) in prose.enumerated().dropLast() where !line.isEmpty && !prose[prose.startIndex + i + 1].isEmpty {
            #expect(line.count >= 55, "a fragment: '\(line)'")
        }
        #expect(try CLI.run(["help", "hubs"]).stdout == run.stdout)
        #expect(try CLI.run(["--help"]).stdout.contains("hubs"))
    }

    // MARK: the sample

    @Test func hamletsPMedianHeuristicAndExactAgree() throws {
        let fast = try TemporaryDirectory(), exact = try TemporaryDirectory()
        let base = ["hubs", "--demand", CLITests.hamlets, "--model", "p-median", "-p", "5", "--radius", "3000", "-q"]
        let a = try CLI.run(base + ["-o", fast.path])
        #expect(a.status == 0, "\(a)")
        #expect(a.stderr.isEmpty)
        #expect(try fast.contents() == Self.outputs)
        let b = try CLI.run(base + ["--solver", "exact", "-o", exact.path])
        #expect(b.status == 0, "\(b)")
        #expect(b.stdout.contains("CBC, proven optimal"), "\(b.stdout)")
        #expect(abs(try objective(fast) - objective(exact)) <= 1e-6 * (try objective(exact)))
        let hubs = try geoJSONFeatures(fast.file("hubs.geojson"))
        #expect(hubs.count == 5)
        let served = hubs.reduce(0.0) { $0 + (property($1, "served_weight") as! Double) }
        #expect(served == 14_069, "every person aged 65+ is served once")
        let assignments = try geoJSONFeatures(fast.file("hub_assignments.geojson"))
        #expect(assignments.count == 225)
        #expect(assignments.allSatisfy { property($0, "hub_id") is String && property($0, "distance_m") is Double })
        #expect(try geoJSONFeatures(fast.file("hub_assignment_lines.geojson")).count == 225)
        let curve = try #require(try summary(fast)["coverage_curve"] as? [[String: Any]])
        #expect(curve.map { $0["p"] as! Int } == [1, 2, 3, 4, 5])
        #expect(a.stdout.contains("curve"))
    }

    @Test func sameRunTwiceIsByteIdentical() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory()
        let arguments = ["hubs", "--demand", CLITests.hamlets, "--model", "mclp", "-p", "4", "--radius", "2500", "-q"]
        #expect(try CLI.run(arguments + ["-o", a.path]).status == 0)
        #expect(try CLI.run(arguments + ["-o", b.path]).status == 0)
        for name in Self.outputs {
            #expect(try CLI.contents(URL(fileURLWithPath: a.file(name))) == CLI.contents(URL(fileURLWithPath: b.file(name))), "\(name)")
        }
    }

    /// Small areas with the census's aged 65+, apportioned to 1 km squares: the total is kept.
    @Test func meshSquaresKeepTheTotal() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", CLITests.boundaries, "--census", CLITests.census, "--mesh", "1km",
                               "--model", "mclp", "-p", "6", "--radius", "2000", "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        let demand = try #require(try summary(dir)["demand"] as? [String: Any])
        let total = try #require(demand["total_weight"] as? Double)
        // 14,069 aged 65+ in the census, of whom 日置蔵小田's are counted in 日置上 (HTKSAKI).
        #expect(abs(total - 14_069) < 1e-6, "\(total)")
        #expect((demand["source"] as! String).contains("1km mesh squares"))
        let candidates = try geoJSONFeatures(dir.file("hub_candidates.geojson"))
        // jismesh and shapely count 441 1 km squares meeting Nagato's small areas.
        #expect(candidates.count == 441, "\(candidates.count) squares")
        #expect(candidates.allSatisfy { (property($0, "id") as! String).count == 8 })
    }

    @Test func roadDistancesReportSnapping() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", CLITests.hamlets, "--roads", CLI.nagato("roads_synthetic.geojson"),
                               "--model", "p-median", "-p", "4", "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("snapping"), "\(run.stdout)")
        let roads = try #require(try summary(dir)["roads"] as? [String: Any])
        #expect((roads["snapping"] as! String).contains("nearest segment"))
        #expect(roads["components"] as? Int == 1)
        let assignments = try geoJSONFeatures(dir.file("hub_assignments.geojson"))
        // The roads join the hamlet points: each is on the network (snap ≈ 0).
        #expect(assignments.allSatisfy { (property($0, "snap_m") as! Double) < 0.05 })
    }

    @Test func candidatesFromACSVWithAFixedHubAndOneOutside() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", CLITests.hamlets, "--candidates", Self.fixture("sites_with_outside.csv"),
                               "--fixed", "senzaki", "--model", "p-median", "-p", "2", "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("1 candidate(s) lie outside the demand areas: hagi"), "\(run.stdout)")
        let hubs = try geoJSONFeatures(dir.file("hubs.geojson"))
        #expect(hubs.contains { property($0, "id") as? String == "senzaki" && property($0, "fixed") as? Int == 1 })
    }

    @Test func meshStatisticsCSV() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", CLITests.boundaries, "--mesh-stats", Self.fixture("mesh_stats.csv"),
                               "--mesh-field", "T000847019", "--model", "p-median", "-p", "2", "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        let demand = try #require(try summary(dir)["demand"] as? [String: Any])
        // 160 + 151 + 0 ('-') + 344 + 0 (X) + 19; the two squares at 0 are left out.
        #expect(demand["total_weight"] as? Double == 674)
        #expect(demand["left_out_zero_weight"] as? Int == 2)
        #expect(run.stdout.contains("1 suppressed square(s) counted as 0: 513142603"), "\(run.stdout)")
    }

    // MARK: bad input

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        /// Text the one error line must hold.
        var says: String
        var testDescription: String { name }
    }

    static let points = fixture("demand_points.geojson")

    static let badCases: [BadCase] = [
        BadCase(name: "p larger than the candidates", arguments: ["--demand", points, "--model", "p-median", "-p", "9"],
                says: "-p: p = 9 is larger than the 4 candidate sites"),
        BadCase(name: "empty demand", arguments: ["--demand", fixture("demand_empty.geojson"), "--model", "p-median", "-p", "1"],
                says: "is empty: demand polygons (districts, hamlets) or points were expected"),
        BadCase(name: "every weight 0", arguments: ["--demand", fixture("demand_zero_weights.geojson"), "--model", "p-median", "-p", "1"],
                says: "no demand: every weight"),
        BadCase(name: "negative weight", arguments: ["--demand", fixture("demand_negative_weight.geojson"), "--model", "p-median", "-p", "1"],
                says: "demand_negative_weight.geojson, record 3, field aged_65_plus: expected a weight ≥ 0 (people aged 65+), found '-5'"),
        BadCase(name: "NaN weight", arguments: ["--demand", fixture("demand_nan_weight.geojson"), "--model", "p-median", "-p", "1"],
                says: "demand_nan_weight.geojson, record 2, field aged_65_plus: expected a weight ≥ 0 (people aged 65+), found 'NaN'"),
        BadCase(name: "NaN in mesh statistics",
                arguments: ["--demand", CLITests.boundaries, "--mesh-stats", fixture("mesh_stats_nan.csv"), "--mesh-field", "T000847001",
                            "--model", "p-median", "-p", "1"],
                says: "mesh_stats_nan.csv, record 3, field T000847001: expected a count ≥ 0"),
        BadCase(name: "bad mesh code",
                arguments: ["--demand", CLITests.boundaries, "--mesh-stats", fixture("mesh_stats_bad_code.csv"), "--mesh-field", "T000847001",
                            "--model", "p-median", "-p", "1"],
                says: "mesh_stats_bad_code.csv, record 3, field KEY_CODE: expected an 8-, 9- or 10-digit JIS X 0410 mesh code, found '5131414'"),
        BadCase(name: "duplicate candidate ids",
                arguments: ["--demand", points, "--candidates", fixture("sites_duplicate.csv"), "--model", "p-median", "-p", "1"],
                says: "sites_duplicate.csv, record 4, field id: candidate id s1 is duplicated (first in record 2)"),
        BadCase(name: "more fixed hubs than p",
                arguments: ["--demand", points, "--candidates", fixture("sites_two.csv"), "--fixed", "s1,s2", "--model", "p-median", "-p", "1"],
                says: "--fixed: 2 fixed sites do not fit in p = 1"),
        BadCase(name: "unknown fixed id",
                arguments: ["--demand", points, "--candidates", fixture("sites_two.csv"), "--fixed", "s9", "--model", "p-median", "-p", "1"],
                says: "--fixed: no candidate site with id s9"),
        BadCase(name: "infeasible LSCP",
                arguments: ["--demand", CLITests.hamlets, "--candidates", fixture("sites_with_outside.csv"), "--model", "lscp",
                            "--radius", "3000"],
                says: "have no candidate within 3000 m: 352110"),
        BadCase(name: "disconnected roads",
                arguments: ["--demand", points, "--candidates", fixture("sites_two.csv"), "--roads", fixture("roads_two_parts.geojson"),
                            "--model", "p-median", "-p", "1"],
                says: "2 demand point(s) can reach none of the 1 hubs (the road graph is disconnected)"),
        BadCase(name: "a polygon among the roads",
                arguments: ["--demand", points, "--roads", fixture("roads_polygon.geojson"), "--model", "p-median", "-p", "1"],
                says: "roads_polygon.geojson, record 2, field geometry: Polygon found: a LineString was expected"),
        BadCase(name: "aged 65+ missing", arguments: ["--demand", CLITests.boundaries, "--model", "p-median", "-p", "1"],
                says: "no aged_65_plus field: give --census"),
    ]

    @Test(arguments: badCases)
    func badInputFailsWithOneLineAndWritesNothing(_ bad: BadCase) throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs"] + bad.arguments + ["-o", dir.path, "-q"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.count == 1, "\(run)")
        #expect(run.stderr.hasPrefix("chiiki: error: "), "\(run)")
        #expect(run.stderr.contains(bad.says), "\(run)")
        #expect(try dir.contents().isEmpty)
    }

    @Test func disconnectedRoadsAreAWarningWhenEveryoneCanBeServed() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", Self.points, "--candidates", Self.fixture("sites_two.csv"),
                               "--roads", Self.fixture("roads_two_parts.geojson"), "--model", "p-median", "-p", "2", "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("the road graph is disconnected: 2 parts"), "\(run.stdout)")
        #expect(run.stdout.contains("2 demand point(s) and 1 candidate(s) snapped to other parts"), "\(run.stdout)")
    }

    @Test(arguments: [(["--model", "mclp", "-p", "3"], "--model mclp needs -p and --radius"),
                      (["--model", "lscp"], "--model lscp needs --radius"),
                      (["--model", "p-median"], "--model p-median needs -p"),
                      (["--model", "p-median", "-p", "0"], "-p must be at least 1"),
                      (["--model", "lscp", "--radius=-3"], "--radius must be above 0 m"),
                      (["--model", "nearest"], "The value 'nearest' is invalid for '--model <model>'")])
    func badOptionsAreRefused(_ extra: [String], _ says: String) throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", Self.points, "-o", dir.path] + extra)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(says), "\(run)")
        #expect(try dir.contents().isEmpty)
    }
}
