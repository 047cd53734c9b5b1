import CGDAL
import Foundation
import GeoCore

/// A layer read from a vector file, with what a person needs to know about how it was read.
public struct VectorFile: Sendable {
    public var path: String
    /// GDAL's driver short name: "ESRI Shapefile", "GeoJSON", "GPKG", …
    public var driver: String
    public var layer: Layer
    /// Every layer name in the file (GeoPackages can hold several).
    public var layerNames: [String]
    /// The encoding the attribute text was decoded from; detected unless given.
    public var encoding: TextEncoding
    public var encodingDetected: Bool
    /// The layer's fields left unread (not asked for), for messages that list what is there.
    public var unreadFields: [String] = []

    /// Fails unless the layer has features and every one is a polygon or multipolygon.
    public func requirePolygons() throws {
        guard !layer.features.isEmpty else {
            throw DataError(file: path, "layer '\(layer.name)' is empty: polygons were expected")
        }
        for (i, f) in layer.features.enumerated() {
            guard let g = f.geometry, !g.isEmpty else {
                throw DataError(file: path, record: i + 1, field: "geometry", "no geometry: a polygon was expected")
            }
            guard g.isPolygonal else {
                throw DataError(file: path, record: i + 1, field: "geometry", "\(g.typeName) found: a polygon was expected")
            }
        }
    }
}

extension Geometry {
    public var typeName: String {
        switch self {
        case .point: return "Point"
        case .lineString: return "LineString"
        case .polygon: return "Polygon"
        case .multiPoint: return "MultiPoint"
        case .multiLineString: return "MultiLineString"
        case .multiPolygon: return "MultiPolygon"
        case .collection: return "GeometryCollection"
        }
    }
}

/// Reads vector files through GDAL/OGR: Shapefile (any DBF encoding), GeoJSON, GeoPackage and
/// whatever else the installed GDAL reads.
public enum VectorReader {
    /// Reads one layer (the first, or `layer` by name). `encoding` overrides detection of a
    /// Shapefile's DBF text encoding; other formats are UTF-8 by definition. `path` may also
    /// name a PostGIS table or query (`PG:…#table`, `postgresql://…#table`: PostGISLocation).
    /// With `fields`, a file's other fields (any letter case) are not read at all: most of an
    /// e-Stat DBF is codes and labels no analysis uses, a third of reading a country.
    public static func read(_ path: String, layer layerName: String? = nil, encoding: TextEncoding? = nil,
                            fields: Set<String>? = nil) throws -> VectorFile {
        try read(path, layer: layerName, encoding: encoding, fields: fields, recordsPerThread: recordsPerThread)
    }

    static func read(_ path: String, layer layerName: String?, encoding: TextEncoding?, fields wanted: Set<String>? = nil,
                     recordsPerThread: Int) throws -> VectorFile {
        if PostGISLocation(path) == nil { InputFiles.note(path) }
        if let database = PostGISLocation(path) { return try read(database, layer: layerName) }
        let isShapefile = try checkReadable(path)
        // ENCODING="" makes the Shapefile driver hand back the DBF's raw bytes, so the encoding
        // is decided here from the whole file rather than guessed by GDAL from a missing .cpg.
        guard let dataset = Dataset.open(path, openOptions: isShapefile ? ["ENCODING="] : []) else {
            throw DataError(file: path, "GDAL cannot read it as a vector file: \(GDAL.lastError())")
        }
        let names = layerNames(dataset)
        let index: Int32
        if let layerName {
            guard let i = names.firstIndex(of: layerName) else {
                throw DataError(file: path, "no layer '\(layerName)'; layers: \(names.joined(separator: ", "))")
            }
            index = Int32(i)
        } else {
            guard !names.isEmpty else { throw DataError(file: path, "no vector layer in the file") }
            index = 0
        }
        guard let ogrLayer = GDALDatasetGetLayer(dataset.pointer, index) else {
            throw DataError(file: path, "GDAL cannot open layer \(index + 1): \(GDAL.lastError())")
        }
        let unread = wanted.map { unwantedFields(ogrLayer, wanted: $0) } ?? []
        ignore(unread, in: ogrLayer)
        let options = isShapefile ? ["ENCODING="] : []
        let raw = try readFeatures(ogrLayer, path: path, reopen: {
            Dataset.open(path, openOptions: options).flatMap { d in
                GDALDatasetGetLayer(d.pointer, index).map { layer in ignore(unread, in: layer); return (d, layer) }
            }
        }, recordsPerThread: recordsPerThread)
        let chosen: TextEncoding
        if let encoding {
            chosen = encoding
        } else if isShapefile, let declared = declaredEncoding(path) {
            // The .cpg's word holds unless the bytes contradict it: then the file is wrong somewhere.
            let texts = raw.fieldNames + raw.texts.map(\.bytes)
            if let bad = texts.firstIndex(where: { declared.decode($0) == nil }) {
                let (record, field) = bad < raw.fieldNames.count ? (nil, "field name \(bad + 1)")
                    : (raw.texts[bad - raw.fieldNames.count].record + 1, raw.fieldNameText(raw.texts[bad - raw.fieldNames.count].field, .cp932))
                throw DataError(file: path, record: record, field: field,
                                "the .cpg says \(declared) but this text is not \(declared): correct the .cpg or give --encoding")
            }
            chosen = declared
        } else if isShapefile {
            switch TextEncoding.detect(raw.fieldNames + raw.texts.map(\.bytes)) {
            case .success(let e): chosen = e
            case .failure(let bad):
                let (record, field) = bad.index < raw.fieldNames.count
                    ? (nil, "field name \(bad.index + 1)")
                    : (raw.texts[bad.index - raw.fieldNames.count].record + 1,
                       raw.fieldNameText(raw.texts[bad.index - raw.fieldNames.count].field, .cp932))
                throw DataError(file: path, record: record, field: field,
                                "text is neither UTF-8 nor CP932 (Shift_JIS); give the encoding with --encoding")
            }
        } else {
            chosen = .utf8
        }
        let crs = try layerCRS(ogrLayer, path: path)
        let layer = try raw.layer(name: names[Int(index)], crs: crs, decoding: chosen, path: path)
        return VectorFile(path: path, driver: dataset.driverName, layer: layer, layerNames: names,
                          encoding: chosen, encodingDetected: encoding == nil,
                          unreadFields: unread.map { chosen.decode($0) ?? String(decoding: $0, as: UTF8.self) })
    }

    /// The names (as stored) of the layer's fields not in `wanted`, compared without letter case.
    static func unwantedFields(_ layer: OGRLayerH, wanted: Set<String>) -> [[UInt8]] {
        let keep = Set(wanted.map { $0.lowercased() })
        let defn = OGR_L_GetLayerDefn(layer)
        return (0..<OGR_FD_GetFieldCount(defn)).map { bytes(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, $0))) }
            .filter { !keep.contains(String(decoding: $0, as: UTF8.self).lowercased()) }
    }

    /// Tells the driver not to read these fields (`schema` then leaves them out). The names go
    /// back as the bytes GDAL gave, whatever their encoding.
    static func ignore(_ names: [[UInt8]], in layer: OGRLayerH) {
        guard !names.isEmpty else { return }
        // All names in one buffer, each ended by a NUL, and a NULL-terminated list into it.
        let text: [CChar] = names.flatMap { name in name.map { CChar(bitPattern: $0) } + [0] }
        let starts = names.indices.map { i in names[..<i].reduce(0) { $0 + $1.count + 1 } }
        text.withUnsafeBufferPointer { base in
            var list: [UnsafePointer<CChar>?] = starts.map { base.baseAddress! + $0 } + [nil]
            _ = list.withUnsafeMutableBufferPointer { OGR_L_SetIgnoredFields(layer, $0.baseAddress) }
        }
    }

    /// The encoding a Shapefile's .cpg declares, when it names UTF-8 or CP932.
    static func declaredEncoding(_ path: String) -> TextEncoding? {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().path
        guard let data = ["cpg", "CPG"].lazy.compactMap({ FileManager.default.contents(atPath: "\(stem).\($0)") }).first else { return nil }
        let word = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return TextEncoding(name: word) ?? (word == "65001" ? .utf8 : word == "932" ? .cp932 : nil)
    }

    /// Returns whether the path is a Shapefile, after checking that it and its parts exist.
    static func checkReadable(_ path: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "file not found")
        }
        guard !isDirectory.boolValue else { throw DataError(file: path, "is a directory: give the file itself") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw DataError(file: path, "not readable (permissions)") }
        let url = URL(fileURLWithPath: path)
        guard url.pathExtension.lowercased() == "shp" else { return false }
        let base = url.deletingPathExtension()
        for part in ["dbf", "shx"] {
            let exists = [part, part.uppercased()].contains {
                FileManager.default.fileExists(atPath: base.appendingPathExtension($0).path)
            }
            guard exists else {
                throw DataError(file: path, "no .\(part) beside the .shp: a Shapefile needs its .shp, .shx and .dbf together")
            }
        }
        return true
    }

    static func layerNames(_ dataset: Dataset) -> [String] {
        (0..<GDALDatasetGetLayerCount(dataset.pointer)).map { i in
            String(cString: OGR_L_GetName(GDALDatasetGetLayer(dataset.pointer, i)))
        }
    }

    static func layerCRS(_ layer: OGRLayerH, path: String) throws -> CRS {
        guard let borrowed = OGR_L_GetSpatialRef(layer), let srs = SpatialReference(cloning: borrowed) else {
            throw DataError(file: path, "no coordinate reference system (a Shapefile needs its .prj)")
        }
        return srs.crs
    }

    /// NaN or an infinite coordinate (GeoJSON has no such numbers, but GDAL reads "NaN") would
    /// poison every area and distance downstream.
    static func checkFinite(_ layer: Layer, path: String) throws {
        for (i, f) in layer.features.enumerated() {
            var finite = true
            f.geometry?.forEachCoordinate { c in if !c.x.isFinite || !c.y.isFinite { finite = false } }
            if !finite { throw DataError(file: path, record: i + 1, field: "geometry", "a coordinate is not a finite number (NaN or infinity)") }
        }
    }

    /// Catches lon/lat given as lat/lon: out-of-range values, or a layer that would lie in Japan
    /// if its axes were swapped.
    static func checkLonLat(_ layer: Layer, path: String) throws {
        // Japan seen through swapped axes first: it is the likelier mistake and the clearer message.
        if let box = layer.boundingBox, box.minX >= 20, box.maxX <= 46, box.minY >= 122, box.maxY <= 154 {
            throw DataError(file: path, field: "geometry",
                            "x is \(box.minX)…\(box.maxX) and y \(box.minY)…\(box.maxY): latitude/longitude look swapped (lon, lat expected)")
        }
        for (i, f) in layer.features.enumerated() {
            guard let box = f.geometry?.boundingBox else { continue }
            if box.minY < -90 || box.maxY > 90 || box.minX < -180 || box.maxX > 360 {
                throw DataError(file: path, record: i + 1, field: "geometry",
                                "coordinates out of range for lon/lat (x \(box.minX)…\(box.maxX), y \(box.minY)…\(box.maxY)): projected coordinates without their CRS, or longitude and latitude swapped?")
            }
        }
    }
}

/// Features as read, with text fields still as bytes until the encoding is decided.
struct RawFeatures: Sendable {
    var fieldNames: [[UInt8]] = []
    var fieldTypes: [FieldType] = []
    /// The OGR index of each field read.
    var columns: [Int32] = []
    var features: [Feature] = []
    var texts: [(record: Int, field: Int, bytes: [UInt8])] = []

    func fieldNameText(_ i: Int, _ encoding: TextEncoding) -> String {
        encoding.decode(fieldNames[i]) ?? String(decoding: fieldNames[i], as: UTF8.self)
    }

    /// The layer, its text decoded; lon/lat checked for swapped or projected coordinates.
    consuming func layer(name: String, crs: CRS, decoding encoding: TextEncoding, path: String) throws -> Layer {
        let fields = try fields(decoding: encoding, path: path)
        guard let decoded = encoding.decodeAll(texts.map(\.bytes)) else {
            guard let t = texts.first(where: { encoding.decode($0.bytes) == nil }) else {
                throw DataError(file: path, "text is not valid \(encoding)")
            }
            throw DataError(file: path, record: t.record + 1, field: fields[t.field].name, "text is not valid \(encoding)")
        }
        for (t, s) in zip(texts, decoded) { features[t.record].values[t.field] = .string(s) }
        let layer = Layer(name: name, crs: crs, fields: fields, features: features)
        try VectorReader.checkFinite(layer, path: path)
        if crs.isGeographic { try VectorReader.checkLonLat(layer, path: path) }
        return layer
    }

    func fields(decoding encoding: TextEncoding, path: String) throws -> [Field] {
        try fieldNames.indices.map { i in
            guard let name = encoding.decode(fieldNames[i]) else {
                throw DataError(file: path, field: "field name \(i + 1)", "not valid \(encoding)")
            }
            return Field(name, fieldTypes[i])
        }
    }
}

extension VectorReader {
    /// Records per reading thread: below twice this, one thread reads (opening the file again
    /// for another thread costs more than it saves).
    static let recordsPerThread = 20_000

    /// Reads every record. With `reopen` (a way to open the same layer again, for a file whose
    /// driver can jump to a record), a large layer is read in contiguous ranges on all cores,
    /// one dataset per thread; the result is the same as reading in one pass.
    static func readFeatures(_ layer: OGRLayerH, path: String,
                             reopen: (@Sendable () -> (Dataset, OGRLayerH)?)? = nil,
                             recordsPerThread: Int = recordsPerThread) throws -> RawFeatures {
        let schema = schema(layer)
        let total = Int(OGR_L_GetFeatureCount(layer, 0))
        let threads = min(workerThreads, total / max(recordsPerThread, 1))
        guard let reopen, threads > 1, OGR_L_TestCapability(layer, OLCFastSetNextByIndex) != 0 else {
            var raw = schema
            let record = try readRange(layer, from: 0, count: nil, into: &raw, path: path)
            // A Shapefile's index promises a number of records; fewer read means a truncated .shp.
            if total >= 0, total != record {
                throw DataError(file: path, record: record + 1,
                                "only \(record) of \(total) records could be read (is the file truncated?)")
            }
            return raw
        }
        let bounds = (0...threads).map { $0 * total / threads }
        let parts = try parallelMap(Array(0..<threads), chunks: threads) { chunk in
            try chunk.map { i -> RawFeatures in
                guard let (dataset, copy) = reopen() else {
                    throw DataError(file: path, "GDAL cannot read it as a vector file: \(GDAL.lastError())")
                }
                var raw = schema
                let read = try withExtendedLifetime(dataset) {
                    try readRange(copy, from: bounds[i], count: bounds[i + 1] - bounds[i], into: &raw, path: path)
                }
                guard read == bounds[i + 1] - bounds[i] else {
                    throw DataError(file: path, record: bounds[i] + read + 1,
                                    "only \(bounds[i] + read) of \(total) records could be read (is the file truncated?)")
                }
                return raw
            }
        }
        var raw = schema
        for part in parts {
            raw.features += part.features
            raw.texts += part.texts
        }
        return raw
    }

    /// Field names and types, no records yet.
    static func schema(_ layer: OGRLayerH) -> RawFeatures {
        var raw = RawFeatures()
        let defn = OGR_L_GetLayerDefn(layer)
        for i in 0..<OGR_FD_GetFieldCount(defn) {
            let fd = OGR_FD_GetFieldDefn(defn, i)
            if OGR_Fld_IsIgnored(fd) != 0 { continue }
            raw.columns.append(i)
            raw.fieldNames.append(bytes(OGR_Fld_GetNameRef(fd)))
            switch OGR_Fld_GetType(fd) {
            case OFTInteger, OFTInteger64: raw.fieldTypes.append(.integer)
            case OFTReal: raw.fieldTypes.append(.real)
            default: raw.fieldTypes.append(.string)
            }
        }
        return raw
    }

    /// Reads `count` records (all to the end when nil) from record `first` (0-based) into `raw`,
    /// numbering texts and errors from `first`; returns how many were read.
    static func readRange(_ layer: OGRLayerH, from first: Int, count: Int?, into raw: inout RawFeatures, path: String) throws -> Int {
        let columns = raw.columns
        OGR_L_ResetReading(layer)
        GDAL.resetError()
        if first > 0, OGR_L_SetNextByIndex(layer, GIntBig(first)) != OGRERR_NONE {
            throw DataError(file: path, record: first + 1, "cannot go to the record: \(GDAL.lastError())")
        }
        var record = first
        raw.features.reserveCapacity(count ?? 0)
        while count.map({ record - first < $0 }) ?? true, let handle = OGR_L_GetNextFeature(layer) {
            let feature = OGRFeature(handle)
            if GDAL.lastErrorIsFailure() {
                throw DataError(file: path, record: record + 1, "unreadable record (is the file truncated or damaged?): \(GDAL.lastError())")
            }
            var values = [FieldValue](repeating: .null, count: columns.count)
            for (j, i) in columns.enumerated() where OGR_F_IsFieldSetAndNotNull(handle, i) != 0 {
                switch raw.fieldTypes[j] {
                case .integer: values[j] = .integer(Int(OGR_F_GetFieldAsInteger64(handle, i)))
                case .real: values[j] = .real(OGR_F_GetFieldAsDouble(handle, i))
                case .string: raw.texts.append((record, j, bytes(OGR_F_GetFieldAsString(handle, i))))
                }
            }
            let geometry: Geometry?
            do {
                geometry = try OGR_F_GetGeometryRef(feature.pointer).map(OGRGeometryReader.read)
            } catch let error as OGRGeometryReader.Unsupported {
                throw DataError(file: path, record: record + 1, field: "geometry", error.message)
            }
            // The fields and geometry above are borrowed from the feature: keep it alive until here.
            withExtendedLifetime(feature) {}
            raw.features.append(Feature(geometry: geometry, values: values))
            record += 1
            GDAL.resetError()
        }
        if GDAL.lastErrorIsFailure() {
            throw DataError(file: path, record: record + 1, "unreadable record (is the file truncated?): \(GDAL.lastError())")
        }
        return record - first
    }

    /// A C string's bytes as they are, without assuming any encoding.
    static func bytes(_ text: UnsafePointer<CChar>?) -> [UInt8] {
        guard let text else { return [] }
        return UnsafeRawBufferPointer(start: text, count: strlen(text)).map { $0 }
    }
}

/// Reads OGR geometries into values, a ring's coordinates per call (OGR_G_GetPoints).
enum OGRGeometryReader {
    struct Unsupported: Error { let message: String }

    static func read(_ g: OGRGeometryH) throws -> Geometry {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(g))
        if OGR_GT_IsNonLinear(type) != 0 {
            // Curves (GeoPackage CurvePolygon, …) are approximated by line segments.
            guard let linear = OGR_G_GetLinearGeometry(g, 0, nil) else {
                throw Unsupported(message: "curved geometry could not be linearized")
            }
            let owned = OGRGeometry(linear)
            return try read(owned.pointer!)
        }
        switch type {
        case wkbPoint: return .point(Coordinate(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)))
        case wkbLineString, wkbLinearRing: return .lineString(points(g))
        case wkbPolygon: return .polygon(polygon(g))
        case wkbMultiPoint: return .multiPoint(parts(g).map { Coordinate(OGR_G_GetX($0, 0), OGR_G_GetY($0, 0)) })
        case wkbMultiLineString: return .multiLineString(parts(g).map(points))
        case wkbMultiPolygon: return .multiPolygon(parts(g).map(polygon))
        case wkbGeometryCollection: return .collection(try parts(g).map(read))
        default:
            throw Unsupported(message: "unsupported geometry type \(String(cString: OGRGeometryTypeToName(type)))")
        }
    }

    private static func parts(_ g: OGRGeometryH) -> [OGRGeometryH] {
        (0..<OGR_G_GetGeometryCount(g)).compactMap { OGR_G_GetGeometryRef(g, $0) }
    }

    private static func polygon(_ g: OGRGeometryH) -> Polygon {
        let rings = parts(g).map(points)
        guard let exterior = rings.first else { return Polygon(exterior: []) }
        return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
    }

    private static func points(_ g: OGRGeometryH) -> [Coordinate] {
        let n = Int(OGR_G_GetPointCount(g))
        var result = [Coordinate](repeating: Coordinate(0, 0), count: n)
        guard n > 0 else { return result }
        let stride = Int32(MemoryLayout<Coordinate>.stride)
        result.withUnsafeMutableBytes { raw in
            _ = OGR_G_GetPoints(g, raw.baseAddress, stride, raw.baseAddress! + 8, stride, nil, 0)
        }
        return result
    }
}
