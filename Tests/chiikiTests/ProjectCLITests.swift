import Foundation
import TestSupport
import Testing

/// `chiiki project` end to end: its summary, and bad input as one line with nothing written.
@Suite("chiiki project")
struct ProjectCLITests {
    static let census = CLI.nagato("census_age_2015_synthetic.csv")
    static let previous = CLI.nagato("census_age_2010_synthetic.csv")

    static func arguments(to horizon: String, output: String) -> [String] {
        ["project", "--census", census, "--year", "2015", "--previous", previous, "--to", horizon, "-o", output]
    }

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

    /// A control file with a group the projection does not have: file, record and field named,
    /// nothing written, the control left as it was.
    @Test func badControlFile() throws {
        let inputs = try TemporaryDirectory(), out = try TemporaryDirectory()
        let control = inputs.file("control.csv")
        let text = "year,group,population\n2020,0-4,900\n2020,80-84,100\n"
        try text.write(toFile: control, atomically: true, encoding: .utf8)
        let run = try CLI.run(["project", "--census", Self.census, "--year", "2015", "--previous", Self.previous, "--to", "2045",
                               "--control", control, "-o", out.file("p"), "-q"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrLines.count == 1, "\(run)")
        #expect(run.stderr.contains("control.csv, record 3, field group: expected one of 0-4"), "\(run)")
        #expect(try out.contents().isEmpty)
        #expect(try String(contentsOfFile: control, encoding: .utf8) == text)
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

/// `--year`: hubs and mergers for the people of a projected year.
@Suite("chiiki hubs and merge --year")
struct ProjectedYearCLITests {
    static let projection = ["--year", "2035", "--census", ProjectCLITests.census, "--previous", ProjectCLITests.previous,
                             "--base-year", "2015"]

    @Test func hubsWeighTheAgedOf2035() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", CLI.nagato("hamlets_2014_synthetic.geojson"), "--model", "mclp", "-p", "5",
                               "--radius", "3000", "-o", dir.path, "-q"] + Self.projection)
        #expect(run.status == 0, "\(run)")
        // 13,382 people aged 65+ in 2035, as `chiiki project` sums the hamlets (to whole people each).
        #expect(run.stdout.contains("people aged 65+ in the projection to 2035"), "\(run.stdout)")
    }

    @Test func mergersForTheHamletsOf2035() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["merge", CLI.nagato("hamlets_2014_synthetic.geojson"), "--propose", "-o", dir.path, "-q"] + Self.projection)
        #expect(run.status == 0, "\(run)")
        // More hamlets small and aged in 2035 than the 16 of 2014, and every one merged.
        #expect(run.stdout.contains("225: 48 small and aged, 148 aged ≥ 50%"), "\(run.stdout)")
        #expect(run.stdout.contains("48 of 48 small-and-aged hamlets merged"), "\(run.stdout)")
    }

    @Test(arguments: [(["--weight", "households"], "--year weighs by aged or population"),
                      (["--mesh", "500m"], "--year projects districts or hamlets, not mesh squares")])
    func yearRefusesWhatItCannotProject(_ extra: [String], _ says: String) throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["hubs", "--demand", CLI.nagato("hamlets_2014_synthetic.geojson"), "--model", "p-median", "-p", "3",
                               "-o", dir.file("h")] + Self.projection + extra)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(says), "\(run)")
        #expect(try dir.contents().isEmpty)
    }

    @Test func yearNeedsTheCensuses() throws {
        let run = try CLI.run(["merge", CLI.nagato("hamlets_2014_synthetic.geojson"), "--propose", "--year", "2035", "-o", "/tmp/x"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--year needs --census"), "\(run)")
    }
}
