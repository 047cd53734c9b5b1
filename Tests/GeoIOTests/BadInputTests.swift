import Foundation
import TestSupport
import GeoCore
import GeoIO
import Testing

/// Each bad input in Fixtures/bad (built by make_bad_inputs.py) fails with a DataError that names
/// the file, the record and field where they apply, and says what was expected.
@Suite("Bad vector inputs")
struct BadVectorInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        /// Whether the error comes from reading or from `requirePolygons()` after a clean read.
        var whenRequiringPolygons = false
        var record: Int?
        /// The record need not be named (a check over the whole layer may fail first).
        var anyRecord = false
        var field: String?
        var says: [String]
        /// What the message should also say but does not yet (a bug reported, not fixed here).
        var knownIssue: (bug: String, says: [String])? = nil
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "missing_dbf.shp", says: ["no .dbf beside the .shp", ".shp, .shx and .dbf"]),
        Case(file: "truncated.shp", record: 2, says: ["unreadable record", "truncated"]),
        Case(file: "bad_encoding.shp", record: 2, field: "MOJI",
             says: ["neither UTF-8 nor CP932", "--encoding"]),
        Case(file: "empty.geojson", whenRequiringPolygons: true, says: ["is empty", "polygons were expected"]),
        Case(file: "empty.gpkg", whenRequiringPolygons: true, says: ["layer 'empty' is empty", "polygons were expected"]),
        Case(file: "points.geojson", whenRequiringPolygons: true, record: 1, field: "geometry",
             says: ["Point found", "a polygon was expected"]),
        Case(file: "swapped.geojson", anyRecord: true, field: "geometry", says: ["look swapped", "lon, lat expected"]),
        Case(file: "out_of_range.geojson", record: 1, field: "geometry",
             says: ["out of range for lon/lat", "swapped?"]),
    ]

    @Test(arguments: cases)
    func failsNamingFileRecordField(_ c: Case) throws {
        let path = Paths.bad(c.file)
        #expect(FileManager.default.fileExists(atPath: path), "fixture missing: run make_bad_inputs.py")
        let error = dataError {
            let file = try VectorReader.read(path)
            #expect(c.whenRequiringPolygons, "read succeeded; the error was expected from the read")
            try file.requirePolygons()
        }
        let e = try #require(error)
        #expect(e.file == path)
        if !c.anyRecord { #expect(e.record == c.record, "\(e)") }
        #expect(e.field == c.field, "\(e)")
        for text in c.says {
            #expect(e.message.contains(text), "'\(e.message)' should say '\(text)'")
        }
        if let known = c.knownIssue {
            withKnownIssue(Comment(rawValue: known.bug)) {
                for text in known.says { #expect(e.message.contains(text), "'\(e.message)' should say '\(text)'") }
            }
        }
        // The one-line form the CLI prints starts with the file, then the location.
        var location = path
        if let r = c.anyRecord ? e.record : c.record { location += ", record \(r)" }
        if let f = c.field { location += ", field \(f)" }
        #expect(e.description.hasPrefix(location + ": "))
        #expect(!e.description.contains("\n"))
    }

    @Test func missingFileAndDirectory() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.file("nowhere.shp")
        let e1 = try #require(dataError { _ = try VectorReader.read(missing) })
        #expect(e1.file == missing && e1.message.contains("not found"))
        let e2 = try #require(dataError { _ = try VectorReader.read(dir.path) })
        #expect(e2.file == dir.path && e2.message.contains("directory"))
    }

    @Test func notAVectorFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("notes.geojson")
        try Data("this is not JSON".utf8).write(to: URL(fileURLWithPath: path))
        let e = try #require(dataError { _ = try VectorReader.read(path) })
        #expect(e.file == path)
        #expect(e.message.contains("GDAL cannot read it"))
    }

    @Test func unknownLayerNamesTheLayers() throws {
        let path = Paths.bad("empty.gpkg")
        let e = try #require(dataError { _ = try VectorReader.read(path, layer: "h27ka35") })
        #expect(e.message.contains("no layer 'h27ka35'"))
        #expect(e.message.contains("layers: empty"))
    }

    /// Forcing CP932 does not hide bytes that are not CP932 either.
    @Test func badEncodingEvenWhenGiven() throws {
        let path = Paths.bad("bad_encoding.shp")
        let e = try #require(dataError { _ = try VectorReader.read(path, encoding: .cp932) })
        #expect(e.record == 2)
        #expect(e.field == "MOJI")
        #expect(e.message.contains("not valid CP932"))
    }

    /// The readable records around the bad one are fine: the patch hit only record 2's MOJI.
    @Test func badEncodingFixtureIsOtherwiseSound() throws {
        let path = Paths.bad("bad_encoding.shp")
        // UTF-8 accepts no CP932 bytes, so this fails on record 1, the first Japanese text.
        let e = try #require(dataError { _ = try VectorReader.read(path, encoding: .utf8) })
        #expect(e.record == 1)
        #expect(e.message.contains("not valid UTF-8"))
    }
}

/// Census tables in e-Stat layout with one defect each.
@Suite("Bad census tables")
struct BadCensusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var record: Int?
        var field: String?
        var says: [String]
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "census_non_numeric.csv", record: 5, field: "T001082003",
             says: ["expected a count", "found 'abc'"]),
        Case(file: "census_duplicate_key.csv", record: 6, field: "KEY_CODE",
             says: ["352110010 is duplicated", "first on line 4"]),
    ]

    @Test(arguments: cases)
    func failsNamingLineAndColumn(_ c: Case) throws {
        let path = Paths.bad(c.file)
        let e = try #require(dataError { _ = try CensusCSV.read(path) })
        #expect(e.file == path)
        #expect(e.record == c.record, "\(e)")
        #expect(e.field == c.field, "\(e)")
        for text in c.says { #expect(e.message.contains(text), "'\(e.message)' should say '\(text)'") }
    }

    /// The tables whose problem is only found when joining (in Demography) read cleanly here.
    @Test(arguments: ["census_extra_key.csv", "census_no_match.csv"])
    func joinProblemsReadCleanly(_ name: String) throws {
        let table = try CensusCSV.read(Paths.bad(name))
        #expect(table.encoding == .cp932)
        #expect(table.rows.count >= 28)
    }

    @Test func goodTableInCP932() throws {
        let table = try CensusCSV.read(Paths.nagatoCensus)
        #expect(table.encoding == .cp932)
        #expect(table.rows.count == 28)
        #expect(table.rows[0].keyCode == "35211" && table.rows[0].level == 1 && table.rows[0].line == 3)
        #expect(table.rows.contains { $0.name == "仙崎" })
        #expect(table.valueLabels.first == "総数、年齢「不詳」含む")
        // 日置蔵小田 is suppressed and counted in 日置上.
        let suppressed = try #require(table.rows.first { $0.keyCode == "352110170" })
        #expect(suppressed.suppression == 2 && suppressed.countedIn == "352110130")
        #expect(suppressed.cells.allSatisfy { $0 == .suppressed })
        let host = try #require(table.rows.first { $0.keyCode == "352110130" })
        #expect(host.absorbs == ["352110170"])
    }

    /// The same table in UTF-8 with a BOM reads to the same rows.
    @Test func utf8WithBOMReadsLikeCP932() throws {
        let path = Paths.bad("census_utf8_bom.csv")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let utf8 = try CensusCSV.read(path)
        let cp932 = try CensusCSV.read(Paths.nagatoCensus)
        #expect(utf8.encoding == .utf8)
        #expect(utf8.codes == cp932.codes)
        #expect(utf8.labels == cp932.labels)
        #expect(utf8.rows == cp932.rows)
    }

    @Test func encodingOverride() throws {
        // Forcing UTF-8 on the CP932 table fails with the file named, not with mojibake.
        let e = try #require(dataError { _ = try CensusCSV.read(Paths.nagatoCensus, encoding: .utf8) })
        #expect(e.file == Paths.nagatoCensus)
        #expect(e.message.contains("not valid UTF-8"))
        let table = try CensusCSV.read(Paths.nagatoCensus, encoding: .cp932)
        #expect(table.rows.count == 28)
    }

    @Test func undecodableTable() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.csv")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Paths.nagatoCensus)))
        bytes.append(contentsOf: [0xFF, 0xFF, 0x0D, 0x0A])
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let e = try #require(dataError { _ = try CensusCSV.read(path) })
        #expect(e.message.contains("neither UTF-8 nor CP932"))
    }

    @Test func wrongLayoutNamesTheColumn() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.csv")
        try Data("KEY_CODE,NAME,T1\r\nx,y,z\r\n352110010,通,1\r\n".utf8).write(to: URL(fileURLWithPath: path))
        let e = try #require(dataError { _ = try CensusCSV.read(path) })
        #expect(e.record == 1 && e.field == "NAME")
        #expect(e.message.contains("KEY_CODE,HYOSYO,CITYNAME,NAME,HTKSYORI,HTKSAKI,GASSAN"))
    }

    @Test func missingFile() throws {
        let e = try #require(dataError { _ = try CensusCSV.read("/nonexistent/census.csv") })
        #expect(e.file == "/nonexistent/census.csv" && e.message.contains("not found"))
    }
}
