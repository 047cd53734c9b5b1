import CGDAL
import Foundation
import GeoCore

/// Every layer of a run in one GeoPackage, each with its QGIS style (QML, and SLD where simple)
/// in the `layer_styles` table, marked default, so that QGIS draws the layer as the report does
/// when it is dragged in. Written whole to a hidden temporary file and renamed over the target:
/// a reader sees the old file or the new one.
public enum GeoPackage {
    /// Writes `layers` (names unique) into `path`. An existing file there is replaced only when it
    /// is a GeoPackage that may be written; anything else is an error and the file is kept.
    public static func write(_ layers: [Layer], to path: String) throws {
        _ = GDAL.ready
        try checkWritable(path)
        let names = layers.map(\.name)
        if let twice = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw DataError(file: path, "two layers named '\(twice)'")
        }
        try AtomicOutput.write(to: path) { temporary in
            guard let dataset = Dataset.create(temporary, driver: "GPKG") else {
                throw DataError(file: path, "cannot create the GeoPackage: \(GDAL.lastError())")
            }
            // One transaction: GeoPackage writes are an order of magnitude faster in bulk.
            let inTransaction = GDALDatasetStartTransaction(dataset.pointer, 0) == OGRERR_NONE
            for layer in layers { try add(layer, to: dataset, path: path) }
            let styled = layers.filter { $0.style != nil }
            if !styled.isEmpty { try addStyles(styled, to: dataset, path: path) }
            if inTransaction, GDALDatasetCommitTransaction(dataset.pointer) != OGRERR_NONE {
                throw DataError(file: path, "writing failed: \(GDAL.lastError())")
            }
            guard dataset.close() else { throw DataError(file: path, "writing failed: \(GDAL.lastError())") }
        }
    }

    /// Fails unless `path` can take a GeoPackage: called before long work. Its folder must be
    /// writable; an existing file there must be a GeoPackage (SQLite with the application id
    /// "GPKG") that this user may write: a file of another kind or a read-only one is kept.
    public static func checkWritable(_ path: String) throws {
        guard URL(fileURLWithPath: path).pathExtension.lowercased() == "gpkg" else {
            throw DataError(file: path, "a GeoPackage's name ends in .gpkg")
        }
        try AtomicOutput.checkWritable(path)
    }

    /// Called by `AtomicOutput.checkWritable` for every .gpkg output (this writer's and GDAL's).
    static func checkExisting(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue { throw DataError(file: path, "is a folder, not a GeoPackage: choose a file name ending in .gpkg") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError(file: path, "exists and cannot be read: it is kept") }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 72)) ?? Data()
        let sqlite = header.count >= 72 && header.prefix(16) == Data("SQLite format 3\0".utf8)
        guard sqlite, header[68..<72] == Data("GPKG".utf8) || header[68..<72] == Data("GP10".utf8) else {
            throw DataError(file: path, "exists and is not a GeoPackage: it is kept; remove it or choose another name")
        }
        // Read-only by its mode (as `chmod a-w` leaves it), which even root should respect.
        let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o644
        guard mode & 0o222 != 0, access(path, W_OK) == 0 else { throw DataError(file: path, "exists and is read-only: it is kept") }
    }

    private static func add(_ layer: Layer, to dataset: Dataset, path: String) throws {
        let geometries = layer.features.lazy.compactMap(\.geometry)
        let geometryType = geometries.isEmpty ? (layer.features.isEmpty ? wkbUnknown : wkbNone)
            : geometries.allSatisfy(\.isPolygonal) ? wkbMultiPolygon
            : geometries.allSatisfy { if case .point = $0 { true } else { false } } ? wkbPoint
            : geometries.allSatisfy { if case .lineString = $0 { true } else { false } } ? wkbLineString : wkbUnknown
        let options = geometryType == wkbNone ? [] : ["SPATIAL_INDEX=YES"]
        let ogr = try VectorOutput.createLayer(dataset, name: layer.name, crs: layer.crs, geometryType: geometryType,
                                               options: options, target: path)
        let display = "\(path), layer \(layer.name)"
        try VectorOutput.addFields(layer.fields, to: ogr, display: display)
        for (k, feature) in layer.features.enumerated() { try VectorOutput.write(feature, to: ogr, record: k + 1, display: display) }
    }

    /// The table QGIS reads a layer's default style from, with the columns QGIS itself creates.
    private static func addStyles(_ layers: [Layer], to dataset: Dataset, path: String) throws {
        let table = try VectorOutput.createLayer(dataset, name: "layer_styles", crs: .wgs84, geometryType: wkbNone, options: [], target: path)
        let display = "\(path), layer_styles"
        try VectorOutput.addFields([Field("f_table_catalog", .string), Field("f_table_schema", .string), Field("f_table_name", .string),
                                    Field("f_geometry_column", .string), Field("styleName", .string), Field("styleQML", .string),
                                    Field("styleSLD", .string), Field("useAsDefault", .integer), Field("description", .string),
                                    Field("owner", .string), Field("ui", .string), Field("update_time", .string)],
                                   to: table, display: display)
        for (k, layer) in layers.enumerated() {
            let style = layer.style!
            let hasGeometry = layer.features.contains { $0.geometry != nil }
            let values: [FieldValue] = [
                .string(""), .string(""), .string(layer.name), .string(hasGeometry ? "geom" : ""), .string(layer.name),
                .string(QGISStyle.qml(style)), QGISStyle.sld(style, layerName: layer.name).map(FieldValue.string) ?? .string(""),
                .integer(1), .string("chiiki: " + style.legend.map(\.label).joined(separator: ", ")), .string(""), .null,
                // Fixed, as GDAL's own timestamps here (OGR_CURRENT_DATE): outputs are byte for byte reproducible.
                .string("2000-01-01T00:00:00Z"),
            ]
            try VectorOutput.write(Feature(geometry: nil, values: values), to: table, record: k + 1, display: display)
        }
    }
}
