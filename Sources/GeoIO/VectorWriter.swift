import CGDAL
import Foundation
import GeoCore

/// Output formats, chosen from the file extension; a PostGIS table (PostGISLocation) is one too.
public enum OutputFormat: String, Sendable {
    case geojson, geopackage, csv, postgis

    public init(path: String) throws {
        if PostGISLocation(path) != nil { self = .postgis; return }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "geojson", "json": self = .geojson
        case "gpkg": self = .geopackage
        case "csv": self = .csv
        default:
            throw DataError(file: path, "unknown output format: use .geojson, .gpkg or .csv, or a PostGIS table (postgresql://…#schema.table)")
        }
    }
}

/// Writes layers through GDAL/OGR, atomically (temporary file then rename, or one transaction).
public enum VectorWriter {
    /// GeoJSON is RFC 7946: lon/lat WGS 84, counter-clockwise exteriors, 7 decimals, no `crs`.
    /// CSV holds the attributes only (UTF-8 with BOM, or CP932 with `excel`). A PostGIS table
    /// that exists is replaced only with `overwrite`.
    public static func write(_ layer: Layer, to path: String, excel: Bool = false, overwrite: Bool = false) throws {
        switch try OutputFormat(path: path) {
        case .csv: try Table(layer).write(to: path, excel: excel)
        case .geojson where layer.crs.isGeographic && (layer.crs.japaneseDatum != nil || layer.crs.epsg == 4326):
            // JGD2000 and JGD2011 lon/lat are WGS 84 for GeoJSON: EPSG's transformations between
            // them (EPSG:1826, EPSG:9936) are no-ops (`projinfo -s EPSG:4612 -t EPSG:4326`).
            try AtomicOutput.write(to: path) { temporary in
                // open(2), not FileManager.createFile: that writes through a temporary of its own
                // (.dat.nosync…), which a run killed at that moment leaves behind.
                let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                guard descriptor >= 0 else { throw DataError(file: path, "cannot create the output: \(String(cString: strerror(errno)))") }
                let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
                defer { try? file.close() }
                do {
                    try GeoJSONWriter.encode(layer) { piece in try piece.withUnsafeBytes { try file.write(contentsOf: $0) } }
                } catch {
                    throw DataError(file: path, "cannot write the output: \(error.localizedDescription)")
                }
            }
        case .geojson, .geopackage, .postgis:
            let geometries = layer.features.lazy.compactMap(\.geometry)
            let output = try VectorOutput(path, name: layer.name, crs: layer.crs, fields: layer.fields,
                                          polygons: !geometries.isEmpty && geometries.allSatisfy(\.isPolygonal),
                                          hasGeometry: !geometries.isEmpty || layer.features.isEmpty, overwrite: overwrite)
            for feature in layer.features { try output.append(feature) }
            try output.commit()
        }
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
