import Foundation
import GeoCore
import GeoIO
import TestSupport
import Testing

/// Reading and writing PostGIS through GDAL against a real server, each test in a database of
/// its own. Skipped, saying why, where no server answers; CI always starts one (.ci/run).
@Suite("PostGIS", .enabled(if: PostGISServer.isAvailable,
                           Comment(rawValue: "needs PostgreSQL + PostGIS on loopback: \(PostGISServer.unavailableReason ?? "")")))
struct PostGISTests {
    /// The bad tables of Fixtures/postgis/bad_tables.sql, loaded into a fresh database.
    static func databaseWithFixtures() throws -> TemporaryDatabase {
        let db = try TemporaryDatabase()
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/postgis/bad_tables.sql")
        try db.sql(String(contentsOf: url, encoding: .utf8))
        return db
    }

    // MARK: round trip

    @Test func nagatoRoundTrip() throws {
        let db = try TemporaryDatabase()
        let file = try VectorReader.read(Paths.nagatoShapefile)
        let target = db.url("public.nagato")
        try VectorWriter.write(file.layer, to: target)

        // What QGIS will see: a MultiPolygon column in EPSG:4612 with a GiST index, field names as given.
        #expect(try db.sql("SELECT Find_SRID('public', 'nagato', 'geom')") == "4612")
        #expect(try db.sql("SELECT type FROM geometry_columns WHERE f_table_name = 'nagato'") == "MULTIPOLYGON")
        #expect(try db.sql("SELECT count(*) FROM pg_indexes WHERE tablename = 'nagato' AND indexdef LIKE '%USING gist (geom)%'") == "1")
        #expect(try db.sql(#"SELECT count(*) FROM nagato WHERE "MOJI" = '仙崎'"#) != "0")

        let back = try VectorReader.read(target)
        #expect(back.driver == "PostgreSQL")
        #expect(back.layer.crs.epsg == 4612)
        #expect(back.layer.fields.map(\.name) == file.layer.fields.map(\.name))
        #expect(back.layer.features.count == file.layer.features.count)
        for (a, b) in zip(file.layer.features, back.layer.features) {
            // Text, Japanese included, comes back as it went in; numbers as numbers.
            for (x, y) in zip(a.values, b.values) { #expect(x.stringValue == y.stringValue || x.doubleValue == y.doubleValue) }
            // Polygons are stored as MultiPolygons; the coordinates are the same doubles.
            #expect(a.geometry?.polygons == b.geometry?.polygons)
        }
    }

    @Test func readsAQuery() throws {
        let db = try Self.databaseWithFixtures()
        let file = try VectorReader.read(db.location("SELECT id, name, geom FROM good WHERE name = '油谷'"))
        #expect(file.layer.features.count == 1)
        #expect(file.layer.value(file.layer.features[0], "name") == .string("油谷"))
        #expect(file.layer.crs.epsg == 4612)
    }

    @Test func tableCanBeGivenAsLayer() throws {
        let db = try Self.databaseWithFixtures()
        let file = try VectorReader.read("PG:\(db.parameters)", layer: "good")
        #expect(file.layer.features.count == 2)
    }

    @Test func overwriteReplacesTheTable() throws {
        let db = try Self.databaseWithFixtures()
        let layer = try VectorReader.read(Paths.nagatoShapefile).layer
        try VectorWriter.write(layer, to: db.location("good"), overwrite: true)
        #expect(try db.sql("SELECT count(*) FROM good") == String(layer.features.count))
        #expect(try db.sql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'good' AND column_name = 'KEY_CODE'") == "1")
    }

    @Test func attributeTableWithoutGeometry() throws {
        let db = try TemporaryDatabase()
        let table = Table(columns: ["name", "rate"], rows: [["向津具", "52.1"], ["仙崎", "38.0"]])
        try table.write(to: db.location("councils"))
        #expect(try db.sql("SELECT name || '=' || rate FROM councils ORDER BY fid") == "向津具=52.1\n仙崎=38.0")
        #expect(try db.sql("SELECT count(*) FROM geometry_columns WHERE f_table_name = 'councils'") == "0")
    }

    // MARK: nothing half-written

    @Test func failedWriteLeavesTheOldTable() throws {
        let db = try Self.databaseWithFixtures()
        let before = try db.sql("SELECT id, name, ST_AsText(geom) FROM good ORDER BY id")
        let polygon = try #require(VectorReader.read(Paths.nagatoShapefile).layer.features.first?.geometry)
        // A point in a MultiPolygon column: the server refuses it part-way, after a polygon went in.
        let error = dataError {
            let output = try VectorOutput(db.location("good"), name: "good", crs: .jgd2000,
                                          fields: [Field("id", .integer)], polygons: true, overwrite: true)
            try output.append(Feature(geometry: polygon, values: [.integer(1)]))
            try output.append(Feature(geometry: .point(Coordinate(131.2, 34.4)), values: [.integer(2)]))
            try output.commit()
        }
        #expect(error?.file.hasPrefix("PG:") == true, "\(String(describing: error))")
        #expect(try db.sql("SELECT id, name, ST_AsText(geom) FROM good ORDER BY id") == before)
    }

    @Test func abandonedWriteLeavesNoTable() throws {
        let db = try Self.databaseWithFixtures()
        do {
            let output = try VectorOutput(db.location("fresh"), name: "fresh", crs: .jgd2000,
                                          fields: [Field("id", .integer)], polygons: true)
            try output.append(Feature(geometry: nil, values: [.integer(1)]))
            // Dropped without commit, as when the run fails after writing began.
        }
        #expect(try db.sql("SELECT to_regclass('public.fresh') IS NULL") == "t")
    }

    // MARK: bad input: one DataError naming the target, saying what is wrong

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The location, built from the test database's parameters.
        var location: @Sendable (TemporaryDatabase) -> String
        var field: String?
        var says: [String]
        var testDescription: String { name }
    }

    static let badReads: [Case] = [
        Case(name: "unreachable server", location: { _ in "postgresql://chiiki:chiiki@127.0.0.1:1/chiiki#t" },
             says: ["cannot connect to the database", "127.0.0.1", "port 1"]),
        Case(name: "wrong credentials", location: { db in "PG:\(db.parameters) user=chiiki password=wrong#good" },
             says: ["cannot connect to the database", "password authentication failed"]),
        Case(name: "missing database", location: { _ in "PG:\(PostGISServer.parameters) dbname=chiiki_no_such_db#good" },
             says: ["cannot connect", "does not exist"]),
        Case(name: "missing table", location: { db in db.location("public.no_such_table") },
             says: ["no table 'public.no_such_table'", "good"]),
        Case(name: "no table named", location: { db in "PG:\(db.parameters)" },
             says: ["name a table or a query after '#'", "good"]),
        Case(name: "table without geometry", location: { db in db.location("no_geometry") },
             says: ["no geometry column"]),
        Case(name: "mixed SRIDs", location: { db in db.location("mixed_srids") }, field: "geom",
             says: ["mixed SRIDs (4612, 6668)", "one CRS per layer"]),
        Case(name: "mixed SRIDs through a query", location: { db in db.location("SELECT * FROM mixed_srids") }, field: "geom",
             says: ["mixed SRIDs (4612, 6668)"]),
        Case(name: "no SRID", location: { db in db.location("no_srid") }, field: "geom",
             says: ["SRID 0", "UpdateGeometrySRID"]),
        Case(name: "failing query", location: { db in db.location("SELECT * FROM no_such_table") },
             says: ["the query failed", "no_such_table"]),
    ]

    @Test(arguments: badReads)
    func badRead(_ c: Case) throws {
        let db = try Self.databaseWithFixtures()
        let location = c.location(db)
        let e = try #require(dataError { _ = try VectorReader.read(location) })
        #expect(e.file == PostGISLocation.display(location))
        #expect(!e.description.contains("password=chiiki") && !e.description.contains(":chiiki@"), "password shown: \(e)")
        #expect(e.field == c.field, "\(e)")
        #expect(!e.description.contains("\n"), "one line: \(e)")
        for text in c.says { #expect(e.message.contains(text), "'\(e.message)' should say '\(text)'") }
    }

    static let badWrites: [Case] = [
        Case(name: "existing table without overwrite", location: { db in db.location("good") },
             says: ["table 'good' exists", "--overwrite"]),
        Case(name: "query as output", location: { db in db.location("SELECT * FROM good") },
             says: ["a query cannot be written to"]),
        Case(name: "no table named", location: { db in "PG:\(db.parameters)" }, says: ["name the table to write"]),
        Case(name: "unreachable server", location: { _ in "postgresql://chiiki:chiiki@127.0.0.1:1/chiiki#t" },
             says: ["cannot connect to the database"]),
        Case(name: "missing schema", location: { db in db.location("no_schema.t") }, says: ["no schema 'no_schema'", "CREATE SCHEMA"]),
    ]

    @Test(arguments: badWrites)
    func badWrite(_ c: Case) throws {
        let db = try Self.databaseWithFixtures()
        let location = c.location(db)
        let before = try db.sql("SELECT id, name, ST_AsText(geom) FROM good ORDER BY id")
        let layer = try VectorReader.read(Paths.nagatoShapefile).layer
        let e = try #require(dataError { try VectorWriter.write(layer, to: location) })
        #expect(e.file == PostGISLocation.display(location))
        #expect(!e.description.contains("\n"), "one line: \(e)")
        for text in c.says { #expect(e.message.contains(text), "'\(e.message)' should say '\(text)'") }
        #expect(try db.sql("SELECT id, name, ST_AsText(geom) FROM good ORDER BY id") == before)
        #expect(try db.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "5")
        // The check made before long work fails the same way.
        let early = try #require(dataError { try AtomicOutput.checkWritable(location) })
        #expect(early.message == e.message)
    }
}

/// Runs where the suite above is skipped, so a run without a server says so in its results.
@Suite("PostGIS server check")
struct PostGISServerCheck {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] != nil, "CI always has a PostGIS server (.ci/run)"))
    func ciHasAServer() {
        #expect(PostGISServer.isAvailable, "\(PostGISServer.unavailableReason ?? "")")
    }
}
