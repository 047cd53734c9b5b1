import CGDAL
import Foundation
import GeoCore

/// Output formats, chosen from the file extension.
public enum OutputFormat: String, Sendable {
    case geojson, geopackage, csv

    public init(path: String) throws {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "geojson", "json": self = .geojson
        case "gpkg": self = .geopackage
        case "csv": self = .csv
        default:
            throw DataError(file: path, "unknown output format: use .geojson, .gpkg or .csv")
        }
    }
}

/// Writes layers through GDAL/OGR, atomically (temporary file, then rename).
public enum VectorWriter {
    /// GeoJSON is RFC 7946: lon/lat WGS 84, counter-clockwise exteriors, 7 decimals, no `crs`.
    /// CSV holds the attributes only (UTF-8 with BOM, or CP932 with `excel`).
    public static func write(_ layer: Layer, to path: String, excel: Bool = false) throws {
        switch try OutputFormat(path: path) {
        case .csv: try Table(layer).write(to: path, excel: excel)
        case .geojson where layer.crs.isGeographic && (layer.crs.japaneseDatum != nil || layer.crs.epsg == 4326):
            // JGD2000 and JGD2011 lon/lat are WGS 84 for GeoJSON: EPSG's transformations between
            // them (EPSG:1826, EPSG:9936) are no-ops (`projinfo -s EPSG:4612 -t EPSG:4326`).
            try AtomicOutput.write(Array(GeoJSONWriter.encode(layer).utf8), to: path)
        case .geojson: try writeOGR(layer, to: path, driver: "GeoJSON", layerOptions: ["RFC7946=YES", "WRITE_NAME=NO"])
        case .geopackage: try writeOGR(layer, to: path, driver: "GPKG", layerOptions: ["SPATIAL_INDEX=YES"])
        }
    }

    static func writeOGR(_ layer: Layer, to path: String, driver: String, layerOptions: [String]) throws {
        try AtomicOutput.write(to: path) { temporary in
            guard let dataset = Dataset.create(temporary, driver: driver) else {
                throw DataError(file: path, "cannot create the output: \(GDAL.lastError())")
            }
            guard let srs = SpatialReference(definition: layer.crs.definition) else {
                throw DataError(file: path, "GDAL does not know the CRS \(layer.crs)")
            }
            let options = CStringList(layerOptions)
            let created = options.withPointer {
                GDALDatasetCreateLayer(dataset.pointer, layer.name, srs.pointer, geometryType(layer), $0)
            }
            guard let ogrLayer = created else {
                throw DataError(file: path, "cannot create layer '\(layer.name)': \(GDAL.lastError())")
            }
            for field in layer.fields {
                let type: OGRFieldType
                switch field.type {
                case .integer: type = OFTInteger64
                case .real: type = OFTReal
                case .string: type = OFTString
                }
                let defn = OGR_Fld_Create(field.name, type)
                defer { OGR_Fld_Destroy(defn) }
                guard OGR_L_CreateField(ogrLayer, defn, 1) == OGRERR_NONE else {
                    throw DataError(file: path, field: field.name, "cannot create the field: \(GDAL.lastError())")
                }
            }
            // One transaction: GeoPackage writes are an order of magnitude faster in bulk.
            _ = GDALDatasetStartTransaction(dataset.pointer, 0)
            let defn = OGR_L_GetLayerDefn(ogrLayer)
            for (i, feature) in layer.features.enumerated() {
                let f = OGRFeature(OGR_F_Create(defn))
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
                guard OGR_L_CreateFeature(ogrLayer, f.pointer) == OGRERR_NONE else {
                    throw DataError(file: path, record: i + 1, "cannot write the feature: \(GDAL.lastError())")
                }
            }
            _ = GDALDatasetCommitTransaction(dataset.pointer)
            guard dataset.close() else { throw DataError(file: path, "writing failed: \(GDAL.lastError())") }
        }
    }

    static func geometryType(_ layer: Layer) -> OGRwkbGeometryType {
        let geometries = layer.features.compactMap(\.geometry)
        if !geometries.isEmpty, geometries.allSatisfy(\.isPolygonal) { return wkbMultiPolygon }
        return wkbUnknown
    }
}

/// Builds OGR geometries from values, a ring's coordinates per call (OGR_G_SetPoints).
/// Polygonal geometries are written as MultiPolygon so a layer has one geometry type.
enum OGRGeometryWriter {
    static func make(_ geometry: Geometry) throws -> OGRGeometry {
        switch geometry {
        case .point(let c):
            let g = OGRGeometry(OGR_G_CreateGeometry(wkbPoint))
            OGR_G_SetPoint_2D(g.pointer, 0, c.x, c.y)
            return g
        case .lineString(let cs): return line(cs, wkbLineString)
        case .polygon(let p): return try collection(wkbMultiPolygon, [polygon(p)])
        case .multiPolygon(let ps): return try collection(wkbMultiPolygon, ps.map(polygon))
        case .multiPoint(let cs): return try collection(wkbMultiPoint, cs.map { try make(.point($0)) })
        case .multiLineString(let ls): return try collection(wkbMultiLineString, ls.map { line($0, wkbLineString) })
        case .collection(let gs): return try collection(wkbGeometryCollection, gs.map(make))
        }
    }

    private static func line(_ coordinates: [Coordinate], _ type: OGRwkbGeometryType) -> OGRGeometry {
        let g = OGRGeometry(OGR_G_CreateGeometry(type))
        var coordinates = coordinates
        let stride = Int32(MemoryLayout<Coordinate>.stride)
        let count = Int32(coordinates.count)
        coordinates.withUnsafeMutableBytes { raw in
            OGR_G_SetPoints(g.pointer, count, raw.baseAddress, stride, raw.baseAddress! + 8, stride, nil, 0)
        }
        return g
    }

    private static func polygon(_ p: Polygon) throws -> OGRGeometry {
        try collection(wkbPolygon, p.rings.map { line($0, wkbLinearRing) })
    }

    private static func collection(_ type: OGRwkbGeometryType, _ parts: [OGRGeometry]) throws -> OGRGeometry {
        let g = OGRGeometry(OGR_G_CreateGeometry(type))
        for part in parts {
            guard OGR_G_AddGeometryDirectly(g.pointer, part.transfer()) == OGRERR_NONE else {
                throw EngineError(library: "GDAL", operation: "build geometry", message: GDAL.lastError())
            }
        }
        return g
    }
}
