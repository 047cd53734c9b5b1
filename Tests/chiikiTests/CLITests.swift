import Foundation
import TestSupport
import Testing

/// End-to-end: the built `chiiki` binary on the sample data and on every bad input.
@Suite("chiiki CLI")
struct CLITests {
    static let boundaries = CLI.nagato("h27ka35211.shp")
    static let census = CLI.nagato("census_age_2015_synthetic.csv")
    static let hamlets = CLI.nagato("hamlets_2014_synthetic.geojson")
    static let councils = CLI.nagato("councils_2017.json")

    static func agingArguments(census: String = census, hamlets: String? = hamlets, councils: String? = councils,
                               output: String) -> [String] {
        var arguments = ["aging", "--boundaries", boundaries, "--census", census]
        if let hamlets { arguments += ["--hamlets", hamlets] }
        if let councils { arguments += ["--councils", councils] }
        return arguments + ["-o", output]
    }

    // MARK: help

    @Test(arguments: ["info", "districts", "aging", "coverage", "merge", "report", "demo"])
    func helpShowsExamples(_ subcommand: String) throws {
        let run = try CLI.run([subcommand, "--help"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Examples:"), "\(run)")
        #expect(run.stdout.contains("  chiiki \(subcommand)"), "\(run)")
        #expect(run.stdout.contains("USAGE: chiiki \(subcommand)"), "\(run)")
        // `chiiki help <subcommand>` says the same.
        let help = try CLI.run(["help", subcommand])
        #expect(help.status == 0)
        #expect(help.stdout == run.stdout)
    }

    @Test func topLevelHelpListsSubcommands() throws {
        let run = try CLI.run(["--help"])
        #expect(run.status == 0)
        for subcommand in ["info", "districts", "aging", "coverage", "merge", "report", "demo"] { #expect(run.stdout.contains(subcommand)) }
        #expect(run.stdout.contains("Examples:"))
    }

    /// Examples must survive help's wrapping at 80 columns (help is not on a terminal here):
    /// every line of an example, continuation lines included, stays indented.
    @Test(arguments: ["", "info", "districts", "aging", "coverage", "merge", "hubs", "project", "report", "demo"])
    func examplesAreNotBrokenByWrapping(_ subcommand: String) throws {
        let run = try CLI.run(subcommand.isEmpty ? ["--help"] : [subcommand, "--help"])
        let lines = run.stdout.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "Examples:"))
        let block = lines[(start + 1)...].prefix { !$0.hasPrefix("USAGE:") }.filter { !$0.isEmpty }
        #expect(!block.isEmpty)
        let broken = block.filter { !$0.hasPrefix("  ") }
        #expect(broken.isEmpty, "wrapped example fragments: \(broken)")
    }

    /// Prose must not be cut into fragments by the same wrapping: inside a paragraph, every
    /// line but the last fills most of the 80 columns.
    @Test(arguments: ["", "info", "districts", "aging", "coverage", "merge", "hubs", "project", "report", "demo"])
    func proseIsNotBrokenByWrapping(_ subcommand: String) throws {
        let run = try CLI.run(subcommand.isEmpty ? ["--help"] : [subcommand, "--help"])
        let lines = run.stdout.components(separatedBy: "\n")
        let end = try #require(lines.firstIndex(of: "Examples:"))
        let prose = lines[..<end]
        for (i, line) in prose.enumerated().dropLast() where !line.isEmpty && !prose[prose.startIndex + i + 1].isEmpty {
            #expect(line.count >= 55, "a fragment in \(subcommand) --help: '\(line)'")
        }
    }

    // MARK: info

    @Test func infoOnNagato() throws {
        let run = try CLI.run(["info", Self.boundaries])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("CP932"))
        #expect(run.stdout.contains("EPSG:4612"))
        #expect(run.stdout.contains(try Regex(#"\n\s+features\s+46\n"#)), "\(run.stdout)")
        #expect(run.stdout.contains(try Regex(#"\n\s+invalid\s+0\n"#)), "\(run.stdout)")
        #expect(run.stdout.contains("仙崎") || run.stdout.contains("東深川"), "names decoded")
        let given = try CLI.run(["info", Self.boundaries, "--encoding", "sjis"])
        #expect(given.status == 0)
        #expect(given.stdout.contains("CP932 (given)"))
    }

    @Test func infoWithWrongEncodingFails() throws {
        let run = try CLI.run(["info", Self.boundaries, "--encoding", "utf8"])
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1, "\(run)")
        #expect(run.stderr.hasPrefix("chiiki: error: \(Self.boundaries), record 1, field KEN_NAME: "), "\(run)")
        let unknown = try CLI.run(["info", Self.boundaries, "--encoding", "latin1"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown encoding 'latin1'"))
    }

    // MARK: districts

    @Test func districtsOnNagato() throws {
        let dir = try TemporaryDirectory()
        let output = dir.file("nagato.geojson")
        let run = try CLI.run(["districts", Self.boundaries, "-o", output])
        #expect(run.status == 0, "\(run)")
        #expect(try dir.contents() == ["nagato.geojson"])
        let features = try geoJSONFeatures(output)
        #expect(features.count == 27)
        let jinko = features.compactMap { property($0, "JINKO") as? Int }.reduce(0, +)
        let setai = features.compactMap { property($0, "SETAI") as? Int }.reduce(0, +)
        #expect(jinko == 35_439)
        #expect(setai == 14_666)
        let area = features.compactMap { (property($0, "area_m2") as? NSNumber)?.doubleValue }.reduce(0, +)
        let dbfArea = try dbfNumbers(CLI.nagato("h27ka35211.dbf"), field: "AREA").reduce(0, +)
        #expect(abs(dbfArea - 356.95e6) < 0.005e6, "the DBF's AREA sums to 356.95 km²")
        #expect(abs(area - dbfArea) / dbfArea < 1e-6, "area_m2 \(area) vs AREA \(dbfArea)")
        let keys = Set(features.compactMap { property($0, "KEY_CODE") as? String })
        #expect(keys.count == 27)
        #expect(features.contains { property($0, "name") as? String == "仙崎" })
        #expect(run.stdout.contains("35,439"))
        #expect(run.stdout.contains("14,666"))
    }

    @Test func districtsOnTottori() throws {
        let dir = try TemporaryDirectory()
        let output = dir.file("tottori.geojson")
        let run = try CLI.run(["districts", Repository.geodata("tottori/h27ka31.shp"), "-o", output, "--quiet"])
        #expect(run.status == 0, "\(run)")
        let features = try geoJSONFeatures(output)
        #expect(features.count == 2_487)
        #expect(run.stdout.contains(try Regex(#"repaired\s+1 invalid"#)), "\(run.stdout)")
        #expect(run.stdout.contains("2487 KEY_CODEs in 19 municipalities"), "\(run.stdout)")
        let jinko = features.compactMap { property($0, "JINKO") as? Int }.reduce(0, +)
        #expect(jinko == 573_441)
        #expect(run.stdout.contains("573,441"))
        #expect(try dir.contents() == ["tottori.geojson"])
    }

    // MARK: aging

    @Test func agingOnNagato() throws {
        let dir = try TemporaryDirectory()
        let inputs = ["h27ka35211.shp", "h27ka35211.shx", "h27ka35211.dbf", "h27ka35211.prj",
                      "census_age_2015_synthetic.csv", "hamlets_2014_synthetic.geojson", "councils_2017.json"].map(CLI.nagato)
        let before = try inputs.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let folder = try FileManager.default.contentsOfDirectory(atPath: CLI.nagato("")).sorted()
        let run = try CLI.run(Self.agingArguments(output: dir.file("aging.geojson")))
        #expect(try inputs.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before, "inputs unchanged")
        #expect(try FileManager.default.contentsOfDirectory(atPath: CLI.nagato("")).sorted() == folder, "no side files")
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("aging rate 39.70%"), "\(run.stdout)")
        let hamletLine = try #require(run.stdout.split(separator: "\n").first { $0.contains("hamlets") && $0.contains("225") })
        #expect(hamletLine.contains("≥50% 56"), "\(hamletLine)")
        #expect(hamletLine.contains(try Regex(#"small-and-aged \(≤19 households\) 16$"#)), "\(hamletLine)")
        #expect(!run.stdout.lowercased().contains("warning"), "\(run.stdout)")
        #expect(try dir.contents() == ["aging.geojson", "aging_councils.csv", "aging_hamlets.geojson"])
        #expect(try geoJSONFeatures(dir.file("aging.geojson")).count == 27)
        #expect(try geoJSONFeatures(dir.file("aging_hamlets.geojson")).count == 225)
    }

    /// The same table in UTF-8 with a BOM gives the same figures.
    @Test func agingWithUTF8Census() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(Self.agingArguments(census: CLI.bad("census_utf8_bom.csv"), output: dir.file("a.csv")))
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("aging rate 39.70%"))
        #expect(run.stdout.contains("(UTF-8)"), "\(run.stdout)")
    }

    /// A census key with no boundary is a warning naming it; with --strict an error.
    @Test func extraCensusKey() throws {
        let dir = try TemporaryDirectory()
        let census = CLI.bad("census_extra_key.csv")
        let run = try CLI.run(Self.agingArguments(census: census, output: dir.file("aging.csv")))
        #expect(run.status == 0, "\(run)")
        let warnings = (run.stdout + run.stderr).split(separator: "\n").filter { $0.lowercased().contains("warning") }
        #expect(warnings.count == 1, "\(run)")
        #expect(warnings.first?.contains("352119990") == true, "\(warnings)")
        #expect(run.stdout.contains("aging rate 39.70%"), "the extra row is not counted")
        #expect(try dir.contents() == ["aging.csv", "aging_councils.csv", "aging_hamlets.csv"])

        let strictDir = try TemporaryDirectory()
        var arguments = Self.agingArguments(census: census, output: strictDir.file("aging.csv"))
        arguments += ["--strict", "--quiet"]
        let strict = try CLI.run(arguments)
        #expect(strict.status == 1, "\(strict)")
        #expect(strict.stderrLines == ["chiiki: error: \(census), record 31, field KEY_CODE: 352119990 matches no boundary (--strict)"],
                "\(strict)")
        #expect(try strictDir.contents() == [])
    }

    // MARK: bad inputs

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// The file the error must name (under Tests/GeoIOTests/Fixtures/bad).
        var file: String
        var arguments: @Sendable (_ output: String) -> [String]
        /// Text the error line must hold after the file name.
        var says: [String]
        var testDescription: String { name }
    }

    static func districts(_ file: String) -> BadCase {
        BadCase(name: "districts \(file)", file: file, arguments: { ["districts", CLI.bad(file), "-o", $0] }, says: [])
    }

    static let badCases: [BadCase] = [
        { var c = districts("missing_dbf.shp"); c.says = ["no .dbf"]; return c }(),
        { var c = districts("truncated.shp"); c.says = [", record 2: "]; return c }(),
        { var c = districts("bad_encoding.shp"); c.says = [", record 2, field MOJI: ", "neither UTF-8 nor CP932"]; return c }(),
        { var c = districts("empty.geojson"); c.says = ["is empty"]; return c }(),
        { var c = districts("empty.gpkg"); c.says = ["is empty"]; return c }(),
        { var c = districts("points.geojson"); c.says = [", record 1, field geometry: ", "Point found"]; return c }(),
        { var c = districts("swapped.geojson"); c.says = ["field geometry: ", "swapped"]; return c }(),
        { var c = districts("out_of_range.geojson"); c.says = [", record 1, field geometry: ", "out of range"]; return c }(),
        BadCase(name: "aging census_non_numeric.csv", file: "census_non_numeric.csv",
                arguments: { agingArguments(census: CLI.bad("census_non_numeric.csv"), output: $0) },
                says: [", record 5, field T001082003: ", "found 'abc'"]),
        BadCase(name: "aging census_duplicate_key.csv", file: "census_duplicate_key.csv",
                arguments: { agingArguments(census: CLI.bad("census_duplicate_key.csv"), output: $0) },
                says: [", record 6, field KEY_CODE: ", "352110010 is duplicated"]),
        BadCase(name: "aging census_no_match.csv", file: "census_no_match.csv",
                arguments: { agingArguments(census: CLI.bad("census_no_match.csv"), output: $0) },
                says: [", field KEY_CODE: ", "no census key matches a boundary key"]),
        BadCase(name: "aging councils_unknown_area.json", file: "councils_unknown_area.json",
                arguments: { agingArguments(councils: CLI.bad("councils_unknown_area.json"), output: $0) },
                says: [", record 2, field key_codes: ", "unknown small area 352119999"]),
        BadCase(name: "aging councils_area_twice.json", file: "councils_area_twice.json",
                arguments: { agingArguments(councils: CLI.bad("councils_area_twice.json"), output: $0) },
                says: [", record 2, field key_codes: ", "352110010 is in both"]),
        BadCase(name: "aging hamlets points.geojson", file: "points.geojson",
                arguments: { agingArguments(hamlets: CLI.bad("points.geojson"), output: $0) },
                says: [", record 1, field geometry: "]),
    ]

    /// Exit 1, one line on stderr naming the file (and record/field), and nothing in the output
    /// folder: no output, no hidden temporary file. Checked for each output format.
    @Test(arguments: badCases, ["geojson", "gpkg", "csv"])
    func badInputFails(_ c: BadCase, _ ext: String) throws {
        let dir = try TemporaryDirectory()
        let quiet = try CLI.run(c.arguments(dir.file("out.\(ext)")) + ["--quiet"])
        #expect(quiet.status == 1, "\(quiet)")
        #expect(quiet.stdout.isEmpty, "\(quiet)")
        #expect(quiet.stderrLines.count == 1, "\(quiet)")
        let line = quiet.stderrLines.first ?? ""
        #expect(line.hasPrefix("chiiki: error: \(CLI.bad(c.file))"), "\(line)")
        for text in c.says { #expect(line.contains(text), "'\(line)' should contain '\(text)'") }
        #expect(try dir.contents() == [], "left in the output folder")

        // With progress messages, the error is still the last line and the only error line.
        let verbose = try CLI.run(c.arguments(dir.file("out.\(ext)")))
        #expect(verbose.status == 1)
        #expect(verbose.stderrLines.last == line)
        #expect(verbose.stderrLines.filter { $0.hasPrefix("chiiki: error:") }.count == 1)
        #expect(try dir.contents() == [])
    }

    @Test func missingOutputDirectoryFailsBeforeWork() throws {
        let dir = try TemporaryDirectory()
        let output = dir.file("missing/aging.geojson")
        let run = try CLI.run(Self.agingArguments(output: output))
        #expect(run.status == 1)
        #expect(run.stderrLines == ["chiiki: error: \(output): output directory \(dir.file("missing")) does not exist"], "\(run)")
        #expect(try dir.contents() == [])
        let districts = try CLI.run(["districts", Self.boundaries, "-o", output, "--quiet"])
        #expect(districts.status == 1)
        #expect(districts.stderrLines.count == 1 && districts.stderr.contains("does not exist"), "\(districts)")
        #expect(try dir.contents() == [])
    }

    /// A .gpkg output that is another kind of file (a spreadsheet saved under the wrong name, a
    /// folder) is kept: one line naming it, exit 1, before any work, for every command that writes one.
    @Test func gpkgOutputOverAnotherKindOfFileIsKept() throws {
        let dir = try TemporaryDirectory()
        let notes = dir.file("notes.gpkg")
        try Data("council minutes\n".utf8).write(to: URL(fileURLWithPath: notes))
        for arguments in [Self.agingArguments(output: notes), ["districts", Self.boundaries, "-o", notes],
                          ["coverage", "--districts", Self.boundaries, "--councils", Self.councils, "-o", dir.file("out"), "--gpkg", notes],
                          ["demo", "--out", dir.path]] {
            if arguments[0] == "demo" { try FileManager.default.moveItem(atPath: notes, toPath: dir.file("nagato.gpkg")) }
            let path = arguments[0] == "demo" ? dir.file("nagato.gpkg") : notes
            let run = try CLI.run(arguments + ["-q"])
            #expect(run.status == 1, "\(run)")
            #expect(run.stderrLines == ["chiiki: error: \(path): exists and is not a GeoPackage: it is kept; remove it or choose another name"], "\(run)")
            #expect(try dir.data(URL(fileURLWithPath: path).lastPathComponent) == Data("council minutes\n".utf8))
        }
        #expect(try dir.contents() == ["nagato.gpkg"], "nothing written")
    }

    // MARK: determinism and quiet

    @Test(arguments: ["geojson", "gpkg", "csv"])
    func sameCommandTwiceIsByteIdentical(_ ext: String) throws {
        let first = try TemporaryDirectory(), second = try TemporaryDirectory()
        for dir in [first, second] {
            let aging = try CLI.run(Self.agingArguments(output: dir.file("aging.\(ext)")) + ["--quiet"])
            #expect(aging.status == 0, "\(aging)")
            let districts = try CLI.run(["districts", Self.boundaries, "-o", dir.file("districts.\(ext)"), "-q"])
            #expect(districts.status == 0, "\(districts)")
        }
        let names = try first.contents()
        // A GeoPackage holds the small areas, hamlets and councils as layers of the one file.
        #expect(names == (ext == "gpkg" ? ["aging.gpkg", "districts.gpkg"]
                                        : ["aging.\(ext)", "aging_councils.csv", "aging_hamlets.\(ext)", "districts.\(ext)"]))
        #expect(try second.contents() == names)
        for name in names {
            #expect(try first.data(name) == second.data(name), "\(name) differs between runs")
        }
        // Running again into the same folder replaces the outputs with the same bytes.
        let again = try CLI.run(Self.agingArguments(output: first.file("aging.\(ext)")) + ["--quiet"])
        #expect(again.status == 0)
        #expect(try first.contents() == names)
        #expect(try first.data("aging.\(ext)") == second.data("aging.\(ext)"))
    }

    @Test func quietMeansEmptyStderr() throws {
        let dir = try TemporaryDirectory()
        let runs = [
            try CLI.run(Self.agingArguments(output: dir.file("aging.gpkg")) + ["--quiet"]),
            try CLI.run(["districts", Self.boundaries, "-o", dir.file("d.csv"), "-q"]),
            try CLI.run(["info", Self.boundaries, "--quiet"]),
        ]
        for run in runs {
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.isEmpty, "\(run)")
            #expect(!run.stdout.isEmpty)
        }
        // Without --quiet there is progress on stderr, and the summary on stdout is the same.
        let loud = try CLI.run(Self.agingArguments(output: dir.file("aging.gpkg")))
        #expect(!loud.stderr.isEmpty)
        #expect(loud.stdout == runs[0].stdout)
    }

    /// `--excel` writes CP932 tables that decode back; text CP932 cannot hold would be an error.
    @Test func excelCSV() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["districts", Self.boundaries, "-o", dir.file("d.csv"), "--excel", "-q"])
        #expect(run.status == 0, "\(run)")
        let bytes = try dir.data("d.csv")
        #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(validating: bytes, as: UTF8.self) == nil, "CP932, not UTF-8")
        let plain = try CLI.run(["districts", Self.boundaries, "-o", dir.file("u.csv"), "-q"])
        #expect(plain.status == 0)
        #expect(try dir.data("u.csv").starts(with: [0xEF, 0xBB, 0xBF]))
    }
}
