import Foundation
import TestSupport
import Testing

/// `chiiki merge` end to end on the Nagato hamlets, and its bad inputs.
@Suite("chiiki merge")
struct MergeCLITests {
    static let hamlets = CLI.nagato("hamlets_2014_synthetic.geojson")
    static let scenarios = CLI.nagato("merge_scenarios_example.yaml")
    static func fixture(_ name: String) -> String { Repository.path("Tests/PlanningTests/Fixtures/scenarios/\(name)") }
    static let outputs = ["scenario_01.geojson", "scenario_01.csv", "scenario_02.geojson", "scenario_02.csv",
                          "proposal.geojson", "proposal.csv", "proposal_outcomes.csv", "regions.geojson", "regions_stats.csv",
                          "regions.csv", "regions_summary.json", "comparison.csv", "comparison.md"]

    func merge(_ extra: [String], output: String) throws -> CLI.Run {
        try CLI.run(["merge", Self.hamlets, "-o", output] + extra)
    }

    @Test func scenariosProposalAndRegions() throws {
        let dir = try TemporaryDirectory()
        let run = try merge(["--scenarios", Self.scenarios, "--propose", "--regions", "-q"], output: dir.path)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.isEmpty)
        #expect(Set(try dir.contents()) == Set(Self.outputs))
        #expect(run.stdout.contains("225: 16 small and aged, 56 aged ≥ 50%, 98 aged ≥ 45%"), "\(run.stdout)")
        #expect(run.stdout.contains("| proposal | 225 → 210 | 15 | 30 | 16 → 0 |"), "\(run.stdout)")
        #expect(run.stdout.contains("16 of 16 small-and-aged hamlets merged"))

        // The proposal layer: one feature per unit after merging, Japanese names intact.
        let features = try geoJSONFeatures(dir.file("proposal.geojson"))
        #expect(features.count == 210)
        let merged = features.filter { property($0, "merged") as? Int == 1 }
        #expect(merged.count == 15)
        #expect(merged.allSatisfy { (property($0, "households") as! Int) >= 20 })
        #expect(merged.contains { (property($0, "name") as! String).contains("油谷向津具下8区・油谷向津具下9区") })
        // Households are conserved.
        #expect(features.reduce(0) { $0 + (property($1, "households") as! Int) } == 14_666)

        // regions.csv assigns every hamlet once; the summary agrees with it.
        let csv = String(decoding: try CLI.contents(URL(fileURLWithPath: dir.file("regions.csv"))), as: UTF8.self)
        let rows = csv.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.count == 225)
        let summary = try JSONSerialization.jsonObject(with: try CLI.contents(URL(fileURLWithPath: dir.file("regions_summary.json")))) as! [String: Any]
        #expect(Set(rows.map { $0[1] }).count == summary["regions"] as! Int)
        #expect(try geoJSONFeatures(dir.file("regions.geojson")).count == summary["regions"] as! Int)
    }

    @Test func sameRunTwiceIsByteIdentical() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory()
        let args = ["--scenarios", Self.scenarios, "--propose", "--regions", "--seed", "3", "-q"]
        #expect(try merge(args, output: a.path).status == 0)
        #expect(try merge(args, output: b.path).status == 0)
        for name in Self.outputs {
            #expect(try CLI.contents(URL(fileURLWithPath: a.file(name))) == CLI.contents(URL(fileURLWithPath: b.file(name))), "\(name)")
        }
    }

    @Test(arguments: [
        ("unknown_ids.yaml", "unknown ids 352110010-99, 999"),
        ("hamlet_twice.yaml", "352110010-04 is already in merge A"),
        ("empty_merge.yaml", "empty merge"),
        ("not_contiguous.yaml", "not contiguous"),
    ])
    func badScenarioFailsAndWritesNothing(_ file: String, _ says: String) throws {
        let dir = try TemporaryDirectory()
        let run = try merge(["--scenarios", Self.fixture(file), "--propose", "-q"], output: dir.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("chiiki: error: \(Self.fixture(file)), field line "), "\(run)")
        #expect(run.stderr.contains(says), "\(run)")
        #expect(try dir.contents().isEmpty)
    }

    @Test func floorNoRegionCanMeetFails() throws {
        let dir = try TemporaryDirectory()
        // The whole city has 14,666 households.
        let run = try merge(["--regions", "--floor", "households:20000", "-q"], output: dir.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("below 20000"), "\(run)")
        #expect(try dir.contents().isEmpty)
    }

    @Test func nothingToDoIsAUsageError() throws {
        let dir = try TemporaryDirectory()
        let run = try merge([], output: dir.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains("nothing to do"), "\(run)")
    }
}
