import Foundation
import TestSupport
import Testing

/// `chiiki project` end to end: its summary, and bad input as one line with nothing written.
@Suite("chiiki project")
struct ProjectCLITests {
    static let census = CLI.nagato("census_age_2015_synthetic.csv")
    static let previous = CLI.nagato("census_age_2010_synthetic.csv")

    @Test func nagatoTo2045() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["project", "--census", Self.census, "--year", "2015", "--previous", Self.previous, "--to", "2045",
                               "-o", dir.path, "-q"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("2015    35,434   14,069   39.7%"), "\(run.stdout)")
        #expect(run.stdout.contains("6 borrowed"), "\(run.stdout)")
        #expect(run.stdout.contains("352110170 → 352110130"))
        #expect(Set(try dir.contents()) == ["projection.csv", "projection_hamlets.csv", "projection_city.csv", "projection.html"])
    }

    @Test(arguments: [
        (["--previous", census, "--to", "2045"], "holds the same counts as"),
        (["--previous", previous, "--to", "2042"], "--to: the horizon must be a multiple of five years"),
        (["--previous", CLI.nagato("h27ka35211.dbf"), "--to", "2045"], "h27ka35211.dbf"),
    ])
    func badInputFailsWithOneLineAndWritesNothing(_ extra: [String], _ says: String) throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["project", "--census", Self.census, "--year", "2015"] + extra + ["-o", dir.file("out"), "-q"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.count == 1, "\(run)")
        #expect(run.stderr.contains(says), "\(run)")
        #expect(try dir.contents().isEmpty)
    }
}
