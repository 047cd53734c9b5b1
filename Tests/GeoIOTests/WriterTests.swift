import Foundation
import TestSupport
import GeoCore
import GeoEngine
import GeoIO
import Testing

@Suite("Writing outputs")
struct WriterTests {
    static func nagato() throws -> Layer { try VectorReader.read(Paths.nagatoShapefile).layer }

    // MARK: GeoJSON

    /// The layer in its own lon/lat (written by chiiki's GeoJSON encoder) and in plane zone III
    /// metres (written by GDAL's driver, which must transform to lon/lat).
    enum Input: String, CaseIterable, Sendable { case lonLat = "JGD2000 lon/lat", plane = "JGD2000 zone III metres" }

    static func layer(_ input: Input) throws -> Layer {
        let layer = try nagato()
        switch input {
        case .lonLat: return layer
        case .plane: return try Measurer().project(layer, to: .epsg(2445, geographic: false, name: "JGD2000 / Japan Plane Rectangular CS III"))
        }
    }

    /// RFC 7946: no "crs" member, at most 7 decimals, exterior rings counter-clockwise and holes
    /// clockwise, as checked on the parsed output itself.
    @Test(arguments: Input.allCases)
    func geoJSONFollowsRFC7946(_ input: Input) throws {
        let dir = try TemporaryDirectory()
        let layer = try Self.layer(input)
        // The e-Stat input has clockwise exteriors (the Shapefile convention): the writer must turn them.
        let clockwise = layer.features.compactMap(\.geometry).flatMap(\.polygons).filter { signedArea($0.exterior) < 0 }
        #expect(!clockwise.isEmpty)
        let path = dir.file("nagato.geojson")
        try VectorWriter.write(layer, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["type"] as? String == "FeatureCollection")
        #expect(json["crs"] == nil, "RFC 7946 has no crs member")
        #expect(json["name"] == nil)
        let features = try #require(json["features"] as? [[String: Any]])
        #expect(features.count == 46)

        var exteriors = 0, holes = 0
        for (i, feature) in features.enumerated() {
            let geometry = try #require(feature["geometry"] as? [String: Any])
            let type = try #require(geometry["type"] as? String)
            let polygons: [[[[Double]]]]
            switch type {
            case "Polygon": polygons = [try #require(geometry["coordinates"] as? [[[Double]]])]
            case "MultiPolygon": polygons = try #require(geometry["coordinates"] as? [[[[Double]]]])
            default: Issue.record("feature \(i + 1): \(type)"); continue
            }
            for polygon in polygons {
                for (r, ring) in polygon.enumerated() {
                    #expect(ring.first == ring.last, "ring closed")
                    let area = signedArea(ring)
                    if r == 0 {
                        exteriors += 1
                        #expect(area > 0, "feature \(i + 1): exterior ring is clockwise")
                    } else {
                        holes += 1
                        #expect(area < 0, "feature \(i + 1): hole is counter-clockwise")
                    }
                    for point in ring {
                        #expect(point.count == 2)
                        #expect((120...155).contains(point[0]) && (20...46).contains(point[1]), "lon, lat order")
                    }
                }
            }
        }
        #expect(exteriors >= 46)
        #expect(holes >= 0)

        // Decimals, on the text: every coordinate pair "[x, y]" has at most 7 decimals.
        let text = try #require(String(data: data, encoding: .utf8))
        let number = try Regex(#"\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]"#)
        var pairs = 0
        var maxDecimals = 0
        for match in text.matches(of: number) {
            pairs += 1
            for k in 1...2 {
                let s = try #require(match.output[k].substring)
                let decimals = s.split(separator: ".").dropFirst().first?.count ?? 0
                maxDecimals = max(maxDecimals, decimals)
            }
        }
        #expect(pairs > 1000)
        #expect(maxDecimals <= 7)
        #expect(maxDecimals >= 5, "coordinates should keep useful precision")
        // Non-ASCII text is written as UTF-8 characters.
        #expect(text.contains("仙崎"))
    }

    @Test(arguments: Input.allCases)
    func geoJSONReadsBack(_ input: Input) throws {
        let dir = try TemporaryDirectory()
        let layer = try Self.nagato()
        let written = try Self.layer(input)
        let path = dir.file("nagato.geojson")
        try VectorWriter.write(written, to: path)
        let back = try VectorReader.read(path)
        #expect(back.encoding == .utf8)
        #expect(back.layer.crs.epsg == 4326)
        #expect(back.layer.features.count == layer.features.count)
        #expect(back.layer.crs.isGeographic)
        for name in ["KEY_CODE", "MOJI", "JINKO", "SETAI", "AREA"] {
            let a = layer.features.map { layer.value($0, name) }
            let b = back.layer.features.map { back.layer.value($0, name) }
            #expect(a == b, "field \(name)")
        }
        // Coordinates agree to the 7 decimals kept (about a centimetre).
        for (f, g) in zip(layer.features, back.layer.features) {
            let p = try #require(f.geometry?.polygons), q = try #require(g.geometry?.polygons)
            #expect(p.count == q.count)
            let boxA = try #require(f.geometry?.boundingBox), boxB = try #require(g.geometry?.boundingBox)
            #expect(abs(boxA.minX - boxB.minX) < 1e-6 && abs(boxA.maxY - boxB.maxY) < 1e-6)
        }
    }

    /// Values of every kind, text that needs escaping, a hole, a clockwise exterior: GDAL reads
    /// back what was written, with rings turned to RFC 7946's orientation.
    @Test func geoJSONValuesAndRings() throws {
        let dir = try TemporaryDirectory()
        // Exterior clockwise, hole counter-clockwise: both the wrong way round for RFC 7946.
        let exterior = [Coordinate(131, 34), Coordinate(131, 34.1), Coordinate(131.1, 34.1), Coordinate(131.1, 34), Coordinate(131, 34)]
        let hole = [Coordinate(131.02, 34.02), Coordinate(131.05, 34.02), Coordinate(131.05, 34.05), Coordinate(131.02, 34.02)]
        let geometry = Geometry.polygon(Polygon(exterior: exterior, holes: [hole]))
        let texts = ["仙崎", "quote \" and \\ backslash", "line\nbreak\ttab", "\u{1}control", "😀", ""]
        let layer = Layer(name: "values", crs: .jgd2011, fields: [
            Field("id", .integer), Field("rate", .real), Field("name", .string),
        ], features: texts.enumerated().map { i, text in
            Feature(geometry: geometry, values: [.integer(i - 2), .real(Double(i) / 3), .string(text)])
        } + [Feature(geometry: geometry, values: [.null, .null, .null]),
             Feature(geometry: geometry, values: [.integer(1 << 40), .real(1e-9), .string("x")])])
        let path = dir.file("values.geojson")
        try VectorWriter.write(layer, to: path)
        let back = try VectorReader.read(path).layer
        #expect(back.features.count == layer.features.count)
        #expect(back.features.map { back.value($0, "id") } == layer.features.map { layer.value($0, "id") })
        #expect(back.features.map { back.value($0, "name") } == layer.features.map { layer.value($0, "name") })
        for (a, b) in zip(layer.features, back.features) {
            let x = layer.value(a, "rate").doubleValue, y = back.value(b, "rate").doubleValue
            #expect(x == y || (x != nil && y != nil && abs(x! - y!) <= 1e-15 * max(1, abs(x!))), "\(String(describing: x)) vs \(String(describing: y))")
            let polygon = try #require(b.geometry?.polygons.first)
            #expect(signedArea(polygon.exterior) > 0)
            #expect(polygon.holes.count == 1)
            #expect(signedArea(polygon.holes[0]) < 0)
            #expect(Set(polygon.exterior) == Set(exterior))
            #expect(Set(polygon.holes[0]) == Set(hole))
        }
    }

    // MARK: GeoPackage

    @Test func geoPackageRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let layer = try Self.nagato()
        let path = dir.file("nagato.gpkg")
        try VectorWriter.write(layer, to: path)
        #expect(try dir.contents() == ["nagato.gpkg"], "no journal, WAL or temporary file left")
        let back = try VectorReader.read(path)
        #expect(back.driver == "GPKG")
        #expect(back.layerNames == [layer.name])
        #expect(back.layer.name == layer.name)
        #expect(back.layer.crs.epsg == 4612)
        #expect(back.layer.fields.map(\.name) == layer.fields.map(\.name))
        #expect(back.layer.fields.map(\.type) == layer.fields.map(\.type))
        #expect(back.layer.features.count == 46)
        for (i, (f, g)) in zip(layer.features, back.layer.features).enumerated() {
            #expect(f.values == g.values, "record \(i + 1)")
            // Written as MultiPolygon (one geometry type per layer), coordinates exact.
            #expect(f.geometry?.polygons == g.geometry?.polygons, "record \(i + 1)")
        }
    }

    /// Null, integer, real and text values survive a GeoPackage, including characters CP932 lacks.
    @Test func geoPackageValues() throws {
        let dir = try TemporaryDirectory()
        let square = Geometry.polygon(Polygon(exterior: [
            Coordinate(131, 34), Coordinate(131.01, 34), Coordinate(131.01, 34.01), Coordinate(131, 34.01), Coordinate(131, 34),
        ]))
        let layer = Layer(name: "values", crs: .jgd2011, fields: [
            Field("id", .integer), Field("rate", .real), Field("name", .string),
        ], features: [
            Feature(geometry: square, values: [.integer(1), .real(0.397), .string("仙崎😀, \"quoted\"")]),
            Feature(geometry: square, values: [.null, .null, .null]),
            Feature(geometry: square, values: [.integer(-5), .real(1e-9), .string("")]),
        ])
        let path = dir.file("values.gpkg")
        try VectorWriter.write(layer, to: path)
        let back = try VectorReader.read(path).layer
        #expect(back.crs.epsg == 6668)
        #expect(back.features.map(\.values) == layer.features.map(\.values))
    }

    // MARK: CSV

    @Test func csvIsUTF8WithBOM() throws {
        let dir = try TemporaryDirectory()
        let layer = try Self.nagato()
        let path = dir.file("nagato.csv")
        try VectorWriter.write(layer, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = try #require(TextEncoding.utf8.decode(bytes.dropFirst(3)))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 48, "header, 46 records, empty after the last CRLF")
        #expect(lines.last == "")
        #expect(lines[0].hasPrefix("AREA,PERIMETER,"))
        #expect(lines[0].hasSuffix(",KEY_CODE"))
        #expect(text.contains("仙崎"))
        #expect(text.contains(",352110030"))
        #expect(!text.contains("e+"), "no exponents")
    }

    @Test func csvForExcelIsCP932() throws {
        let dir = try TemporaryDirectory()
        let layer = try Self.nagato()
        let utf8 = dir.file("utf8.csv"), excel = dir.file("excel.csv")
        try VectorWriter.write(layer, to: utf8)
        try VectorWriter.write(layer, to: excel, excel: true)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: excel)))
        #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]), "no BOM in CP932")
        #expect(TextEncoding.utf8.decode(bytes) == nil, "Japanese text in CP932 is not UTF-8")
        let decoded = try #require(TextEncoding.cp932.decode(bytes))
        let utf8Bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: utf8)))
        #expect(decoded == TextEncoding.utf8.decode(utf8Bytes.dropFirst(3)))
        #expect(decoded.contains("仙崎"))
    }

    @Test func tableQuoting() throws {
        let table = Table(columns: ["name", "note"], rows: [["a,b", "say \"hi\""], ["line\nbreak", "plain"]])
        #expect(table.csv() == "name,note\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",plain\r\n")
        // What the table writes, the census parser reads back.
        #expect(CSVFile.parse(table.csv()) == [["name", "note"], ["a,b", "say \"hi\""], ["line\nbreak", "plain"]])
    }

    /// Names from the data are data: a cell a spreadsheet would run as a formula is defused with an
    /// apostrophe (CSV injection), numbers are left alone.
    @Test func formulasInCellsAreDefused() {
        let table = Table(columns: ["name", "value"], rows: [["=HYPERLINK(\"x\")", "-3.5"], ["+81 3", "@sum"], ["通", "-"]])
        #expect(CSVFile.parse(table.csv()) == [["name", "value"], ["'=HYPERLINK(\"x\")", "-3.5"], ["'+81 3", "'@sum"], ["通", "'-"]])
    }

    @Test func unknownOutputFormat() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.shp")
        let e = try #require(dataError { try VectorWriter.write(try Self.nagato(), to: path) })
        #expect(e.file == path && e.message.contains(".geojson, .gpkg or .csv"))
        #expect(try dir.contents() == [])
    }

    // MARK: Determinism

    @Test(arguments: ["geojson", "gpkg", "csv"])
    func twoWritesAreByteIdentical(_ ext: String) throws {
        let dir = try TemporaryDirectory()
        let layer = try Self.nagato()
        let a = dir.file("a.\(ext)"), b = dir.file("b.\(ext)")
        try VectorWriter.write(layer, to: a)
        // A different second (GeoPackage stamps times) and a different name (GPKG keeps the layer name only).
        Thread.sleep(forTimeInterval: 1.1)
        try VectorWriter.write(layer, to: b)
        let da = try Data(contentsOf: URL(fileURLWithPath: a)), db = try Data(contentsOf: URL(fileURLWithPath: b))
        #expect(da.count > 0)
        #expect(da == db, "\(ext): \(da.count) vs \(db.count) bytes")
        // Overwriting an existing output gives the same bytes again.
        try VectorWriter.write(layer, to: a)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == db)
        #expect(try dir.contents() == ["a.\(ext)", "b.\(ext)"])
    }
}

@Suite("Atomic outputs")
struct AtomicOutputTests {
    static let layer = Layer(name: "one", crs: .jgd2000, fields: [Field("name", .string)], features: [
        Feature(geometry: .polygon(Polygon(exterior: [
            Coordinate(131, 34), Coordinate(131.01, 34), Coordinate(131.01, 34.01), Coordinate(131, 34),
        ])), values: [.string("仙崎")]),
    ])

    @Test(arguments: ["geojson", "gpkg", "csv"])
    func missingDirectory(_ ext: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("missing/out.\(ext)")
        let e = try #require(dataError { try VectorWriter.write(Self.layer, to: path) })
        #expect(e.file == path)
        #expect(e.message.contains("does not exist"))
        #expect(try dir.contents() == [])
    }

    /// Root ignores permission bits, so "read-only" is simulated by a parent that is a file.
    @Test(arguments: ["geojson", "gpkg", "csv"])
    func parentIsAFile(_ ext: String) throws {
        let dir = try TemporaryDirectory()
        let blocker = dir.file("blocker")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/out.\(ext)"
        let e = try #require(dataError { try VectorWriter.write(Self.layer, to: path) })
        #expect(e.file == path)
        #expect(try dir.contents() == ["blocker"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: blocker)) == Data("x".utf8))
    }

    /// A directory nobody can create files in, root included: /proc.
    @Test(arguments: ["geojson", "gpkg", "csv"])
    func unwritableDirectory(_ ext: String) throws {
        let path = "/proc/chiiki-test-\(UUID().uuidString).\(ext)"
        let e = try #require(dataError { try VectorWriter.write(Self.layer, to: path) })
        #expect(e.file == path)
        #expect(!FileManager.default.fileExists(atPath: path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.contains("chiiki-test") }
        #expect(leftovers.isEmpty)
    }

    /// A character CP932 cannot hold, with `excel: true`: an error naming the text, nothing written.
    @Test func unencodableTextLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.csv")
        let table = Table(columns: ["name"], rows: [["仙崎"], ["笑顔😀"]])
        let e = try #require(dataError { try table.write(to: path, excel: true) })
        #expect(e.file == path)
        #expect(e.message.contains("笑顔😀"))
        #expect(e.message.contains("CP932"))
        #expect(try dir.contents() == [])
        // The same table is fine in UTF-8.
        try table.write(to: path)
        #expect(try dir.contents() == ["out.csv"])
    }

    /// A header CP932 cannot hold is reported too (the message names the offending text).
    @Test func unencodableColumnIsNamed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.csv")
        let e = try #require(dataError { try Table(columns: ["人口😀"], rows: [["a"]]).write(to: path, excel: true) })
        #expect(e.file == path)
        #expect(try dir.contents() == [])
        #expect(e.message.contains("人口😀"), "\(e.message)")
    }

    /// A failure while GDAL writes (here an unknown CRS, after the file was created) leaves no
    /// temporary file and does not touch an existing output.
    @Test(arguments: ["geojson", "gpkg"])
    func failureDuringWriteLeavesNoTemporary(_ ext: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.\(ext)")
        try VectorWriter.write(Self.layer, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var bad = Self.layer
        bad.crs = CRS(epsg: nil, definition: "not a CRS at all", isGeographic: true, name: "nonsense")
        let e = try #require(dataError { try VectorWriter.write(bad, to: path) })
        #expect(e.file == path)
        #expect(e.message.contains("CRS"))
        #expect(try dir.contents() == ["out.\(ext)"], "no hidden temporary file")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the old output is intact")
    }

    @Test func bodyFailureRemovesTemporary() throws {
        struct Boom: Error {}
        let dir = try TemporaryDirectory()
        let path = dir.file("out.txt")
        var temporary = ""
        #expect(throws: Boom.self) {
            try AtomicOutput.write(to: path) { tmp in
                temporary = tmp
                try Data("half".utf8).write(to: URL(fileURLWithPath: tmp))
                throw Boom()
            }
        }
        #expect(URL(fileURLWithPath: temporary).deletingLastPathComponent().standardizedFileURL.path
                == dir.url.standardizedFileURL.path, "temporary beside the target")
        #expect(URL(fileURLWithPath: temporary).lastPathComponent.hasPrefix("."), "hidden")
        #expect(URL(fileURLWithPath: temporary).pathExtension == "txt", "extension kept last for GDAL")
        #expect(try dir.contents() == [])
    }

    @Test func bytesWrittenAtomically() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.html")
        try AtomicOutput.write(Array("one".utf8), to: path)
        try AtomicOutput.write(Array("two".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try dir.contents() == ["out.html"])
    }

    /// Large layers are formatted in pieces on all cores: the pieces join into one valid
    /// collection, in order, with the separators right at every piece boundary.
    @Test func geoJSONInPieces() throws {
        let count = 2_000 * 4 + 7
        let features = (0..<count).map { i in
            Feature(geometry: .point(Coordinate(131 + Double(i) * 1e-5, 34.3)), values: [.integer(i)])
        }
        let layer = Layer(name: "points", crs: .jgd2000, fields: [Field("n", .integer)], features: features)
        let dir = try TemporaryDirectory()
        let path = dir.file("points.geojson")
        try VectorWriter.write(layer, to: path)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let parsed = try #require(json?["features"] as? [[String: Any]])
        #expect(parsed.count == count)
        let numbers = parsed.compactMap { ($0["properties"] as? [String: Any])?["n"] as? Int }
        #expect(numbers == Array(0..<count))
        #expect(try VectorReader.read(path).layer.features.count == count)
    }
}
