import CGDAL
import Foundation
import GeoCore

/// One output layer written feature by feature through GDAL/OGR, so the caller need not hold
/// every feature at once. Nothing is visible until `commit()`: a file is written under a
/// temporary name and renamed over the target; a PostGIS table is created (and an old one
/// dropped, with `overwrite`) in one transaction. Dropped without a commit, it leaves the target
/// as it was.
///
/// Targets: `.gpkg`, `.geojson` (RFC 7946 through OGR) or a PostGIS table (PostGISLocation).
public final class VectorOutput {
    public let target: String
    /// The target as messages name it (a database password masked).
    public let display: String
    private let dataset: Dataset
    private let layer: OGRLayerH
    private let temporary: String?
    private let inTransaction: Bool
    private var finished = false
    public private(set) var count = 0

    /// `name`: the layer's name in a file (a PostGIS table is named by the location);
    /// `polygons`: every geometry is polygonal (written as MultiPolygon, one type per layer);
    /// `hasGeometry: false` makes an attribute-only table.
    public init(_ target: String, name: String, crs: CRS, fields: [Field], polygons: Bool,
                hasGeometry: Bool = true, overwrite: Bool = false) throws {
        self.target = target
        let geometryType = !hasGeometry ? wkbNone : polygons ? wkbMultiPolygon : wkbUnknown
        if let database = PostGISLocation(target) {
            display = database.description
            temporary = nil
            (dataset, layer) = try PostGIS.createTable(database, crs: crs, geometryType: geometryType, overwrite: overwrite)
            inTransaction = true
        } else {
            display = target
            let driver: String
            var options: [String]
            switch try OutputFormat(path: target) {
            case .geopackage: (driver, options) = ("GPKG", ["SPATIAL_INDEX=YES"])
            case .geojson: (driver, options) = ("GeoJSON", ["RFC7946=YES", "WRITE_NAME=NO"])
            case .csv, .postgis: throw DataError(file: target, "not a vector output: use .gpkg or .geojson")
            }
            try AtomicOutput.checkWritable(target)
            let temporary = AtomicOutput.temporaryPath(for: target)
            self.temporary = temporary
            guard let dataset = Dataset.create(temporary, driver: driver) else {
                throw DataError(file: target, "cannot create the output: \(GDAL.lastError())")
            }
            self.dataset = dataset
            if !hasGeometry { options.removeAll { $0.hasPrefix("SPATIAL_INDEX") } }
            do {
                layer = try Self.createLayer(dataset, name: name, crs: crs, geometryType: geometryType,
                                             options: options, target: target)
            } catch {
                // Not yet fully initialised, so deinit will not clean up: do it here.
                _ = dataset.close()
                try? FileManager.default.removeItem(atPath: temporary)
                throw error
            }
            // One transaction: GeoPackage writes are an order of magnitude faster in bulk.
            inTransaction = GDALDatasetStartTransaction(dataset.pointer, 0) == OGRERR_NONE
        }
        try Self.addFields(fields, to: layer, display: display)
    }

    static func createLayer(_ dataset: Dataset, name: String, crs: CRS, geometryType: OGRwkbGeometryType,
                            options: [String], target: String) throws -> OGRLayerH {
        var srs: SpatialReference?
        if geometryType != wkbNone {
            guard let s = SpatialReference(definition: crs.definition) else {
                throw DataError(file: target, "GDAL does not know the CRS \(crs)")
            }
            srs = s
        }
        let list = CStringList(options)
        let created = list.withPointer {
            GDALDatasetCreateLayer(dataset.pointer, name, srs?.pointer, geometryType, $0)
        }
        guard let layer = created else {
            throw DataError(file: target, "cannot create layer '\(name)': \(PostGIS.oneLine(GDAL.lastError()))")
        }
        return layer
    }

    /// Adds one feature; `record` (1-based) is what an error names.
    public func append(_ feature: Feature) throws {
        precondition(!finished, "append after commit")
        count += 1
        try Self.write(feature, to: layer, record: count, display: display)
    }

    static func addFields(_ fields: [Field], to layer: OGRLayerH, display: String) throws {
        for field in fields {
            let type: OGRFieldType
            switch field.type {
            case .integer: type = OFTInteger64
            case .real: type = OFTReal
            case .string: type = OFTString
            }
            let defn = OGR_Fld_Create(field.name, type)
            defer { OGR_Fld_Destroy(defn) }
            guard OGR_L_CreateField(layer, defn, 1) == OGRERR_NONE else {
                throw DataError(file: display, field: field.name, "cannot create the field: \(PostGIS.oneLine(GDAL.lastError()))")
            }
        }
    }

    static func write(_ feature: Feature, to layer: OGRLayerH, record: Int, display: String) throws {
        let f = OGRFeature(OGR_F_Create(OGR_L_GetLayerDefn(layer)))
        for (j, value) in feature.values.enumerated() {
            switch value {
            case .null: OGR_F_SetFieldNull(f.pointer, Int32(j))
            case .integer(let v): OGR_F_SetFieldInteger64(f.pointer, Int32(j), GIntBig(v))
            case .real(let v): OGR_F_SetFieldDouble(f.pointer, Int32(j), v)
            case .string(let v): OGR_F_SetFieldString(f.pointer, Int32(j), v)
            }
        }
        if let g = feature.geometry {
            let ogr = try OGRGeometryWriter.make(g)
            OGR_F_SetGeometryDirectly(f.pointer, ogr.transfer())
        }
        GDAL.resetError()
        guard OGR_L_CreateFeature(layer, f.pointer) == OGRERR_NONE else {
            throw DataError(file: display, record: record, "cannot write the feature: \(PostGIS.oneLine(GDAL.lastError()))")
        }
    }

    /// Makes the output visible: renames the file, or commits the transaction.
    public func commit() throws {
        precondition(!finished, "commit twice")
        finished = true
        GDAL.resetError()
        // The PostgreSQL driver creates a table on its first feature or here, so an empty layer
        // still becomes a table (inside the transaction).
        guard OGR_L_SyncToDisk(layer) == OGRERR_NONE else {
            discard()
            throw DataError(file: display, "writing failed: \(PostGIS.oneLine(GDAL.lastError()))")
        }
        if inTransaction, GDALDatasetCommitTransaction(dataset.pointer) != OGRERR_NONE {
            discard()
            throw DataError(file: display, "the transaction failed, nothing was written: \(PostGIS.oneLine(GDAL.lastError()))")
        }
        guard dataset.close() else {
            discard()
            throw DataError(file: display, "writing failed: \(PostGIS.oneLine(GDAL.lastError()))")
        }
        if let temporary { try AtomicOutput.replace(target, with: temporary) }
    }

    /// Leaves the target as it was: rolls the transaction back, removes the temporary file.
    private func discard() {
        if inTransaction, temporary == nil { _ = GDALDatasetRollbackTransaction(dataset.pointer) }
        _ = dataset.close()
        if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
    }

    deinit { if !finished { discard() } }
}

extension PostGIS {
    /// Opens a transaction and creates the table in it (after dropping the old one with
    /// `overwrite`): a geometry column `geom` with the CRS's SRID and a GiST index, field names
    /// kept as given (KEY_CODE, not key_code), so QGIS and chiiki see the same layer.
    static func createTable(_ location: PostGISLocation, crs: CRS, geometryType: OGRwkbGeometryType,
                            overwrite: Bool) throws -> (Dataset, OGRLayerH) {
        let source = location.description
        let name = try tableName(location)
        let dataset = try connect(location, update: true)
        guard GDALDatasetStartTransaction(dataset.pointer, 0) == OGRERR_NONE else {
            throw DataError(file: source, "cannot start a transaction: \(oneLine(GDAL.lastError()))")
        }
        do {
            try checkSchema(location, dataset)
            if let existing = table(name, in: dataset) {
                guard overwrite else { throw DataError(file: source, "table '\(name)' exists: give --overwrite to replace it") }
                let index = (0..<GDALDatasetGetLayerCount(dataset.pointer)).first { GDALDatasetGetLayer(dataset.pointer, $0) == existing }
                guard let index, GDALDatasetDeleteLayer(dataset.pointer, index) == OGRERR_NONE else {
                    throw DataError(file: source, "cannot replace table '\(name)': \(oneLine(GDAL.lastError()))")
                }
            }
            var options = ["LAUNDER=NO", "PRECISION=NO", "FID=fid", "DIM=XY"]
            if geometryType != wkbNone { options += ["GEOMETRY_NAME=geom", "SPATIAL_INDEX=GIST"] }
            let layer = try VectorOutput.createLayer(dataset, name: name, crs: crs, geometryType: geometryType,
                                                     options: options, target: source)
            return (dataset, layer)
        } catch {
            _ = GDALDatasetRollbackTransaction(dataset.pointer)
            throw error
        }
    }

    /// Checks before long work: the server answers, the location names a table, and the table
    /// does not exist yet unless it may be replaced.
    static func checkWritable(_ location: PostGISLocation, overwrite: Bool) throws {
        let name = try tableName(location)
        let dataset = try connect(location, update: true)
        try checkSchema(location, dataset)
        if !overwrite, table(name, in: dataset) != nil {
            throw DataError(file: location.description, "table '\(name)' exists: give --overwrite to replace it")
        }
    }

    private static func checkSchema(_ location: PostGISLocation, _ dataset: Dataset) throws {
        if let schema = location.tableParts?.schema, try !schemaExists(schema, in: dataset, source: location.description) {
            throw DataError(file: location.description, "no schema '\(schema)' in the database: create it (CREATE SCHEMA) or write to public")
        }
    }

    private static func tableName(_ location: PostGISLocation) throws -> String {
        switch location.relation {
        case .table(let name): return name
        case .query: throw DataError(file: location.description, "a query cannot be written to: name a table (…#schema.table)")
        case nil: throw DataError(file: location.description, "name the table to write after '#' (…#schema.table)")
        }
    }
}
