import Foundation
import TestSupport
import GeoCore
@testable import GeoIO
import Testing

@Suite("Reading the sample data")
struct ReaderTests {
    /// The e-Stat Shapefile has no .cpg: CP932 is detected from the DBF's bytes.
    @Test func nagatoShapefileIsDetectedAsCP932() throws {
        let file = try VectorReader.read(Paths.nagatoShapefile)
        #expect(file.driver == "ESRI Shapefile")
        #expect(file.encoding == .cp932)
        #expect(file.encodingDetected)
        #expect(file.layer.features.count == 46)
        #expect(file.layer.fields.count == 30)
        #expect(file.layer.crs.epsg == 4612)
        #expect(file.layer.crs.isGeographic)
        let names = Set(file.layer.features.map { file.layer.value($0, "MOJI").stringValue ?? "" })
        for name in ["仙崎", "東深川", "日置蔵小田", "油谷向津具上", "通"] {
            #expect(names.contains(name), "\(name) should be decoded intact")
        }
        let first = try #require(file.layer.features.first)
        #expect(file.layer.value(first, "KEN_NAME") == .string("山口県"))
        #expect(file.layer.value(first, "GST_NAME") == .string("長門市"))
        // Text stays text (codes keep their leading zeros), numbers are numbers.
        #expect(file.layer.value(first, "KEY_CODE") == .string("352110030"))
        #expect(file.layer.value(first, "KIHON1") == .string("0030"))
        #expect(file.layer.value(first, "JINKO").intValue == 7629)
        let population = file.layer.features.compactMap { file.layer.value($0, "JINKO").intValue }.reduce(0, +)
        let households = file.layer.features.compactMap { file.layer.value($0, "SETAI").intValue }.reduce(0, +)
        #expect(population == 35_439)
        #expect(households == 14_666)
        try file.requirePolygons()
    }

    /// `--encoding cp932` gives the same values, marked as given; `--encoding utf8` fails with the
    /// first text that is not UTF-8 named, rather than producing mojibake.
    /// Fields not asked for are not read: the ones asked for (any letter case) come in the
    /// file's order with the values a full read gives, the rest are named as unread.
    @Test func onlyTheFieldsAskedFor() throws {
        let all = try VectorReader.read(Paths.nagatoShapefile)
        let some = try VectorReader.read(Paths.nagatoShapefile, fields: ["jinko", "KEY_CODE", "MOJI", "no such field"])
        #expect(some.layer.fields.map(\.name) == ["KEY_CODE", "MOJI", "JINKO"].sorted { all.layer.fieldIndex($0)! < all.layer.fieldIndex($1)! })
        #expect(Set(some.unreadFields) == Set(all.layer.fields.map(\.name)).subtracting(["KEY_CODE", "MOJI", "JINKO"]))
        #expect(some.encoding == .cp932)
        #expect(some.layer.features.count == all.layer.features.count)
        for (a, b) in zip(all.layer.features, some.layer.features) {
            #expect(a.geometry == b.geometry)
            for name in ["KEY_CODE", "MOJI", "JINKO"] { #expect(all.layer.value(a, name) == some.layer.value(b, name)) }
        }
    }

    @Test func encodingOverride() throws {
        let detected = try VectorReader.read(Paths.nagatoShapefile)
        let given = try VectorReader.read(Paths.nagatoShapefile, encoding: .cp932)
        #expect(given.encoding == .cp932)
        #expect(!given.encodingDetected)
        #expect(given.layer.features == detected.layer.features)
        #expect(given.layer.fields == detected.layer.fields)

        let e = try #require(dataError { _ = try VectorReader.read(Paths.nagatoShapefile, encoding: .utf8) })
        #expect(e.file == Paths.nagatoShapefile)
        #expect(e.record == 1)
        #expect(e.field == "KEN_NAME")
        #expect(e.message.contains("not valid UTF-8"))
    }

    @Test(arguments: [
        ("utf8", TextEncoding.utf8), ("UTF-8", .utf8), ("cp932", .cp932), ("CP932", .cp932), ("sjis", .cp932),
        ("Shift_JIS", .cp932), ("shift-jis", .cp932), ("Windows-31J", .cp932), ("MS932", .cp932),
    ])
    func encodingNames(_ name: String, _ expected: TextEncoding) {
        #expect(TextEncoding(name: name) == expected)
    }

    @Test(arguments: ["latin1", "euc-jp", "", "utf16"])
    func unknownEncodingNames(_ name: String) {
        #expect(TextEncoding(name: name) == nil)
    }

    @Test func detection() throws {
        let sjis: [UInt8] = [0x90, 0xE5, 0x8D, 0xE8]  // 仙崎 in CP932
        #expect(TextEncoding.cp932.decode(sjis) == "仙崎")
        #expect(TextEncoding.cp932.encode("仙崎") == sjis)
        #expect(try TextEncoding.detect([Array("KEY_CODE".utf8)]).get() == .utf8)
        #expect(try TextEncoding.detect([Array("仙崎".utf8), Array("abc".utf8)]).get() == .utf8)
        #expect(try TextEncoding.detect([Array("abc".utf8), sjis]).get() == .cp932)
        switch TextEncoding.detect([Array("abc".utf8), sjis, [0x41, 0xFF, 0xFF]]) {
        case .success(let e): Issue.record("detected \(e) for undecodable bytes")
        case .failure(let bad): #expect(bad.index == 2)
        }
        // Characters outside CP932 cannot be encoded: nil, never a silent '?'.
        #expect(TextEncoding.cp932.encode("😀") == nil)
        #expect(TextEncoding.utf8.decode([0xFF]) == nil)
    }

    /// The hamlets are RFC 7946 GeoJSON: UTF-8, 225 polygons.
    @Test func hamletsGeoJSON() throws {
        let file = try VectorReader.read(Paths.nagatoHamlets)
        #expect(file.driver == "GeoJSON")
        #expect(file.encoding == .utf8)
        #expect(file.layer.features.count == 225)
        #expect(file.layer.crs.isGeographic)
        try file.requirePolygons()
        for field in ["hamlet_id", "name", "key_code", "households", "population", "aged_65_plus"] {
            #expect(file.layer.fieldIndex(field) != nil, "field \(field)")
        }
        let names = file.layer.features.compactMap { file.layer.value($0, "name").stringValue }
        #expect(names.count == 225)
        #expect(names.allSatisfy { $0.hasSuffix("区") })
        #expect(names.contains { $0.hasPrefix("仙崎") })
        let ids = Set(file.layer.features.compactMap { file.layer.value($0, "hamlet_id").stringValue })
        #expect(ids.count == 225)
        let population = file.layer.features.compactMap { file.layer.value($0, "population").intValue }.reduce(0, +)
        #expect(population == 35_439)
        let multipart = file.layer.features.filter { $0.geometry?.polygons.count ?? 0 > 1 }.count
        #expect(multipart == 14)
    }

    /// Reading never writes: the inputs' bytes and dates are unchanged and no side file
    /// (.cpg, .qix, .aux.xml, …) appears beside them.
    @Test func inputsAreNeverModified() throws {
        let dir = try TemporaryDirectory()
        let sources = ["shp", "shx", "dbf", "prj"].map { Repository.nagato("h27ka35211.\($0)") }
            + [Paths.nagatoHamlets, Paths.nagatoCensus, Paths.bad("empty.gpkg")]
        for source in sources {
            try FileManager.default.copyItem(atPath: source, toPath: dir.file(URL(fileURLWithPath: source).lastPathComponent))
        }
        let before = try dir.contents()
        let prints = try before.map { try FileFingerprint(dir.file($0)) }
        // Also the originals in the repository.
        let originals = try sources.map { try FileFingerprint($0) }

        for _ in 0..<2 {
            _ = try VectorReader.read(dir.file("h27ka35211.shp"))
            _ = try VectorReader.read(dir.file("h27ka35211.shp"), encoding: .cp932)
            _ = try VectorReader.read(dir.file("hamlets_2014_synthetic.geojson"))
            _ = try VectorReader.read(dir.file("empty.gpkg"))
            _ = try CensusCSV.read(dir.file("census_age_2015_synthetic.csv"))
            _ = try VectorReader.read(Paths.nagatoShapefile)
            _ = try VectorReader.read(Paths.nagatoHamlets)
            _ = try CensusCSV.read(Paths.nagatoCensus)
        }
        #expect(try dir.contents() == before)
        #expect(try before.map { try FileFingerprint(dir.file($0)) } == prints)
        #expect(try sources.map { try FileFingerprint($0) } == originals)
    }

    /// Large files are read in ranges on all cores (here forced on the small sample): the same
    /// layer as one pass, records in order, text decoded the same.
    @Test(arguments: [5, 10, 14])
    func readInRangesOnAllCores(_ recordsPerThread: Int) throws {
        let whole = try VectorReader.read(Paths.nagatoShapefile)
        let ranged = try VectorReader.read(Paths.nagatoShapefile, layer: nil, encoding: nil, recordsPerThread: recordsPerThread)
        #expect(ranged.layer.features.count == whole.layer.features.count)
        #expect(ranged.layer.features == whole.layer.features)
        #expect(ranged.layer.fields == whole.layer.fields)
        #expect(ranged.encoding == whole.encoding)
        // The reopened files leave the same fields unread.
        let fields: Set<String> = ["KEY_CODE", "MOJI", "JINKO"]
        let some = try VectorReader.read(Paths.nagatoShapefile, fields: fields)
        let someRanged = try VectorReader.read(Paths.nagatoShapefile, layer: nil, encoding: nil, fields: fields,
                                               recordsPerThread: recordsPerThread)
        #expect(someRanged.layer.fields == some.layer.fields)
        #expect(someRanged.layer.features == some.layer.features)
    }
}

/// GeoJSON coordinates are printed by a fixed-point path (GeoJSONWriter.coordinate) that must
/// give exactly what the general float printer gives after rounding to 7 decimals.
@Suite struct CoordinateTextTests {
    @Test func fixedPointMatchesTheFloatPrinter() {
        var seed: UInt64 = 42
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        var values: [Double] = [0, -0.0, 0.5, -3.5, 134, 1e-4, 0.0001234, 0.00009, 99999999.1234567, -180, 1e8, 12345678.9, 1e15, 2e15, .ulpOfOne]
        for _ in 0..<200_000 {
            values.append(120 + next() * 35)            // longitudes of Japan
            values.append(20 + next() * 26)             // latitudes
            values.append((next() - 0.5) * 2e6)         // plane-zone metres
            values.append((next() - 0.5) * 1e-3)        // near zero
        }
        for v in values {
            #expect(GeoJSONWriter.coordinate(v) == formatReal((v * 1e7).rounded() / 1e7), "\(v)")
        }
    }
}
