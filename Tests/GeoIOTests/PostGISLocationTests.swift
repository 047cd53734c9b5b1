import GeoIO
import Testing

/// Parsing the PostGIS names that go where file paths go; no server needed.
@Suite("PostGIS locations")
struct PostGISLocationTests {
    @Test func urlWithTable() throws {
        let l = try #require(PostGISLocation("postgresql://planner:s3cret@db.local:5433/chiiki#public.small_areas"))
        #expect(l.connection == "postgresql://planner:s3cret@db.local:5433/chiiki")
        #expect(l.relation == .table("public.small_areas"))
        #expect(l.description == "postgresql://planner:***@db.local:5433/chiiki#public.small_areas")
    }

    @Test func pgKeywordsWithTable() throws {
        let l = try #require(PostGISLocation("PG:host=localhost dbname=chiiki user=planner password=s3cret#districts"))
        #expect(l.connection == "PG:host=localhost dbname=chiiki user=planner password=s3cret")
        #expect(l.relation == .table("districts"))
        #expect(l.description == "PG:host=localhost dbname=chiiki user=planner password=***#districts")
    }

    @Test func quotedPasswordMayHoldAHash() throws {
        let l = try #require(PostGISLocation("PG:dbname=chiiki password='a#b c' host=localhost#t"))
        #expect(l.connection == "PG:dbname=chiiki password='a#b c' host=localhost")
        #expect(l.relation == .table("t"))
        #expect(!l.description.contains("a#b"), "\(l.description)")
    }

    @Test(arguments: ["SELECT * FROM t", "  select id, geom FROM t WHERE id < 3", "WITH x AS (SELECT 1) SELECT * FROM x"])
    func queries(_ sql: String) throws {
        let l = try #require(PostGISLocation("postgres://planner@localhost/chiiki#" + sql))
        #expect(l.relation == .query(sql.trimmingCharacters(in: .whitespaces)))
    }

    @Test func noRelation() throws {
        let l = try #require(PostGISLocation("postgresql://localhost/chiiki"))
        #expect(l.relation == nil)
        #expect(l.description == "postgresql://localhost/chiiki")
    }

    @Test(arguments: ["geodata/tottori/h27ka31.shp", "out/pg.gpkg", "PGfile.geojson", "/tmp/postgresql.csv", "a#b.geojson"])
    func filesAreNotLocations(_ path: String) {
        #expect(PostGISLocation(path) == nil)
        #expect(PostGISLocation.display(path) == path)
    }

    @Test func passwordInURLQueryIsMasked() throws {
        let l = try #require(PostGISLocation("postgresql://localhost/chiiki?user=p&password=s3cret#t"))
        #expect(l.description == "postgresql://localhost/chiiki?user=p&password=***#t")
    }

    @Test func companionTablesKeepTheConnection() throws {
        let l = try #require(PostGISLocation("postgresql://p:s@localhost/chiiki#public.aging"))
        #expect(l.appendingToTable("_hamlets") == "postgresql://p:s@localhost/chiiki#public.aging_hamlets")
    }

    @Test func outputFormat() throws {
        #expect(try OutputFormat(path: "postgresql://localhost/chiiki#t") == .postgis)
        #expect(try OutputFormat(path: "PG:dbname=chiiki#t") == .postgis)
        #expect(try OutputFormat(path: "x.gpkg") == .geopackage)
    }
}
