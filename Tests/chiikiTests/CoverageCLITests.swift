import Foundation
import TestSupport
import Testing

/// `chiiki coverage` end to end on the Nagato sample, and its bad inputs.
@Suite("chiiki coverage")
struct CoverageCLITests {
    static let outputs = ["coverage.geojson", "councils.geojson", "coverage_summary.json", "coverage_summary.csv", "coverage.html"]

    func coverage(_ extra: [String], councils: String = CLITests.councils, output: String) throws -> CLI.Run {
        try CLI.run(["coverage", "--districts", CLITests.boundaries, "--councils", councils, "-o", output] + extra)
    }

    @Test func nagatoReachesTheTarget() throws {
        let dir = try TemporaryDirectory()
        let run = try coverage(["--census", CLITests.census, "-q"], output: dir.path)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("end of FY2016  65.57%"), "\(run.stdout)")
        #expect(run.stdout.contains("proven optimal"))
        #expect(!run.stdout.contains("ties are not broken"), "--census gives the aged counts")
        #expect(run.stderr.isEmpty)
        #expect(Set(try dir.contents()) == Set(Self.outputs))
        let summary = try JSONSerialization.jsonObject(with: try CLI.contents(URL(fileURLWithPath: dir.file("coverage_summary.json")))) as! [String: Any]
        let plan = summary["plan"] as! [String: Any]
        #expect((plan["share_after"] as! Double) >= 0.85)
        let geojson = try JSONSerialization.jsonObject(with: try CLI.contents(URL(fileURLWithPath: dir.file("coverage.geojson")))) as! [String: Any]
        let features = geojson["features"] as! [[String: Any]]
        #expect(features.count == 27)
        #expect(features.allSatisfy { ($0["properties"] as! [String: Any])["fill"] is String })
        #expect(geojson["crs"] == nil)
    }

    @Test func sameRunTwiceIsByteIdentical() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory()
        #expect(try coverage(["-q"], output: a.path).status == 0)
        #expect(try coverage(["-q"], output: b.path).status == 0)
        for name in Self.outputs {
            #expect(try CLI.contents(URL(fileURLWithPath: a.file(name))) == CLI.contents(URL(fileURLWithPath: b.file(name))), "\(name)")
        }
    }

    @Test(arguments: ["0", "1.5", "-0.2"])
    func targetOutsideTheUnitIntervalFails(_ target: String) throws {
        let dir = try TemporaryDirectory()
        let run = try coverage(["--target=\(target)"], output: dir.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains("--target must be in (0, 1]"), "\(run)")
        #expect(try dir.contents().isEmpty)
    }

    @Test(arguments: [("councils_unknown_area.json", "unknown small area"), ("councils_area_twice.json", "is in both")])
    func badMappingFailsAndWritesNothing(_ file: String, _ says: String) throws {
        let dir = try TemporaryDirectory()
        let run = try coverage(["-q"], councils: CLI.bad(file), output: dir.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("chiiki: error: \(CLI.bad(file)), record "), "\(run)")
        #expect(run.stderr.contains(says), "\(run)")
        #expect(try dir.contents().isEmpty)
    }

}
