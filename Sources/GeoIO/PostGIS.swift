import CGDAL
import GeoCore

/// PostGIS through GDAL/OGR's PostgreSQL driver (libpq underneath): connecting, reading a table
/// or query as a layer, and the checks a shared database needs before anything is written.
enum PostGIS {
    /// Connects, or fails with libpq's reason on one line (unreachable server, wrong password, …).
    static func connect(_ location: PostGISLocation, update: Bool = false) throws -> Dataset {
        guard let dataset = Dataset.open(location.connection, update: update) else {
            throw DataError(file: location.description, "cannot connect to the database: \(oneLine(GDAL.lastError()))")
        }
        return dataset
    }

    /// GDAL passes libpq's multi-line messages on; an error is one line here. When the server
    /// refused a statement, its ERROR (and DETAIL, HINT) lines are the reason, not the
    /// statement GDAL quotes before them.
    static func oneLine(_ message: String) -> String {
        var lines = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        // GDAL's own preamble says nothing libpq's reason does not.
        lines.removeAll { $0.isEmpty || $0 == "PQconnectdb failed." }
        let server = lines.filter { ["ERROR:", "DETAIL:", "HINT:"].contains(where: $0.hasPrefix) }
        let text = (server.isEmpty ? lines : server)
            .map { $0.replacingOccurrences(of: ":  ", with: ": ") }.joined(separator: "; ")
        return text.isEmpty ? "no reason given" : text
    }

    /// The table as a layer of `dataset`, if it exists (tables without geometry included).
    static func table(_ name: String, in dataset: Dataset) -> OGRLayerH? {
        GDAL.resetError()
        return GDALDatasetGetLayerByName(dataset.pointer, name)
    }

    /// Whether the schema exists (checked before writing: the driver finds out only at the first row).
    static func schemaExists(_ schema: String, in dataset: Dataset, source: String) throws -> Bool {
        guard let result = SQLResult(dataset, "SELECT count(*) FROM pg_namespace WHERE nspname = \(SQL.literal(schema))") else {
            throw DataError(file: source, "cannot look up schema '\(schema)': \(oneLine(GDAL.lastError()))")
        }
        OGR_L_ResetReading(result.layer)
        guard let handle = OGR_L_GetNextFeature(result.layer) else { return false }
        let row = OGRFeature(handle)
        return withExtendedLifetime(row) { OGR_F_GetFieldAsInteger64(row.pointer, 0) > 0 }
    }

    /// Distinct SRIDs in the geometry column of `relation` (a quoted table or a parenthesised
    /// query), at most three: enough to tell one from several.
    static func srids(of relation: String, column: String, in dataset: Dataset, source: String) throws -> [Int] {
        let c = SQL.identifier(column)
        let statement = "SELECT DISTINCT ST_SRID(\(c)) AS srid FROM \(relation) AS chiiki_source WHERE \(c) IS NOT NULL ORDER BY 1 LIMIT 3"
        guard let result = SQLResult(dataset, statement) else {
            throw DataError(file: source, field: column, "cannot check the SRIDs of the geometry column: \(oneLine(GDAL.lastError()))")
        }
        var srids: [Int] = []
        OGR_L_ResetReading(result.layer)
        while let handle = OGR_L_GetNextFeature(result.layer) {
            let row = OGRFeature(handle)
            withExtendedLifetime(row) { srids.append(Int(OGR_F_GetFieldAsInteger64(row.pointer, 0))) }
        }
        return srids
    }
}

extension VectorReader {
    /// Reads a table or the rows of a query; the text is UTF-8 (GDAL asks the server for it).
    static func read(_ location: PostGISLocation, layer layerName: String?) throws -> VectorFile {
        let source = location.description
        let dataset = try PostGIS.connect(location)
        guard let relation = location.relation ?? layerName.map(PostGISLocation.Relation.table) else {
            throw DataError(file: source, "name a table or a query after '#' (…#schema.table); tables with geometry: \(tableList(dataset))")
        }
        let ogrLayer: OGRLayerH
        let quotedRelation: String
        var result: SQLResult?
        switch relation {
        case .table(let name):
            guard let table = PostGIS.table(name, in: dataset) else {
                throw DataError(file: source, "no table '\(name)' in the database (or no right to read it); tables with geometry: \(tableList(dataset))")
            }
            ogrLayer = table
            guard let parts = location.replacingTable(name).tableParts else {
                throw DataError(file: source, "'\(name)' is not a table name (schema.table)")
            }
            quotedRelation = SQL.table(parts)
        case .query(let statement):
            guard let rows = SQLResult(dataset, statement) else {
                throw DataError(file: source, "the query failed: \(PostGIS.oneLine(GDAL.lastError()))")
            }
            result = rows
            ogrLayer = rows.layer
            quotedRelation = "(\(statement))"
        }
        defer { withExtendedLifetime(result) {} }
        guard OGR_L_GetGeomType(ogrLayer) != wkbNone, let columnName = OGR_L_GetGeometryColumn(ogrLayer),
              case let column = String(cString: columnName), !column.isEmpty else {
            throw DataError(file: source, "no geometry column: a table or query with a PostGIS geometry was expected")
        }
        // GDAL takes a layer's CRS from the column's declared SRID or from its first row, so rows
        // in other SRIDs would be read in the wrong CRS without a word.
        let srids = try PostGIS.srids(of: quotedRelation, column: column, in: dataset, source: source)
        if srids.count > 1 {
            throw DataError(file: source, field: column,
                            "mixed SRIDs (\(srids.map(String.init).joined(separator: ", "))\(srids.count == 3 ? ", …" : "")): one CRS per layer expected; ST_Transform the rows to one SRID or select one with a query")
        }
        if srids == [0] {
            throw DataError(file: source, field: column, "SRID 0 (no coordinate reference system): set it with UpdateGeometrySRID")
        }
        let raw = try readFeatures(ogrLayer, path: source)
        let crs = try layerCRS(ogrLayer, path: source)
        let name: String
        switch relation {
        case .table(let t): name = t
        case .query: name = "query"
        }
        let layer = try raw.layer(name: name, crs: crs, decoding: .utf8, path: source)
        return VectorFile(path: source, driver: dataset.driverName, layer: layer, layerNames: layerNames(dataset),
                          encoding: .utf8, encodingDetected: false)
    }

    private static func tableList(_ dataset: Dataset) -> String {
        let names = layerNames(dataset)
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
