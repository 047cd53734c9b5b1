import GeoCore
import GeoEngine
import GeoIO

/// A place read from a point layer (a bus stop, a station, a hub, a taxi stop), located in the
/// plane zone of the study.
public struct NamedPoint: Sendable, Hashable {
    public var name: String
    /// Where it came from, for messages: the file and its 1-based record.
    public var source: String
    public var record: Int
    /// In the study's plane zone (metres).
    public var position: Coordinate

    public init(name: String, source: String, record: Int, position: Coordinate) {
        self.name = name; self.source = source; self.record = record; self.position = position
    }

    /// "name (file, record n)", for warnings that must let a person find the point.
    public var label: String { "\(name) (record \(record))" }
}

/// Reads point-like layers. Points are taken as they are (each part of a MultiPoint is a place);
/// lines are represented by their middle, measured along the line — 国土数値情報 N02 draws each
/// station as its platform, a LineString — and polygons by a point on their surface.
public enum NamedPoints {
    /// Name fields tried in order when none is given: P11 bus stops (P11_001), N02 stations
    /// (N02_005), then generic ones.
    public static let nameFields = ["P11_001", "N02_005", "name", "名称", "NAME", "Name"]

    public struct Loaded: Sendable {
        public var points: [NamedPoint]
        /// The record each point came from (0-based), parallel to `points`.
        public var records: [Int]
        public var layer: Layer
    }

    public static func load(_ file: VectorFile, nameField: String? = nil, planarCRS: CRS, measurer: Measurer) throws -> Loaded {
        let layer = file.layer
        guard !layer.features.isEmpty else {
            throw DataError(file: file.path, "layer '\(layer.name)' is empty: points were expected")
        }
        let nameIndex: Int?
        if let nameField {
            guard let i = layer.fieldIndex(nameField) else {
                throw DataError.noSuchField(nameField, file: file.path, fields: layer.fields.map(\.name))
            }
            nameIndex = i
        } else {
            nameIndex = nameFields.lazy.compactMap(layer.fieldIndex).first
        }
        let projected = try measurer.project(layer, to: planarCRS)
        var points: [NamedPoint] = []
        var records: [Int] = []
        for (i, f) in projected.features.enumerated() {
            guard let g = f.geometry, !g.isEmpty else {
                throw DataError(file: file.path, record: i + 1, field: "geometry", "no geometry: a point was expected")
            }
            let name = nameIndex.flatMap { f.values[$0].stringValue }.flatMap { $0.isEmpty ? nil : $0 } ?? "record \(i + 1)"
            for position in try representativePoints(g, engine: measurer.engine) {
                points.append(NamedPoint(name: name, source: file.path, record: i + 1, position: position))
                records.append(i)
            }
        }
        return Loaded(points: points, records: records, layer: layer)
    }

    static func representativePoints(_ g: Geometry, engine: GeometryEngine) throws -> [Coordinate] {
        switch g {
        case .point(let c): return [c]
        case .multiPoint(let cs): return cs
        case .lineString(let cs): return [middle(cs)]
        case .multiLineString(let ls): return ls.filter { !$0.isEmpty }.map(middle)
        case .polygon, .multiPolygon: return [try engine.pointOnSurface(g)]
        case .collection(let parts): return try parts.flatMap { try representativePoints($0, engine: engine) }
        }
    }

    /// The point halfway along a line (planar lengths).
    static func middle(_ line: [Coordinate]) -> Coordinate {
        guard line.count > 1 else { return line[0] }
        let lengths = zip(line, line.dropFirst()).map { planarDistance($0, $1) }
        var remaining = lengths.reduce(0, +) / 2
        for (k, length) in lengths.enumerated() {
            if remaining <= length, length > 0 {
                let t = remaining / length
                return Coordinate(line[k].x + (line[k + 1].x - line[k].x) * t, line[k].y + (line[k + 1].y - line[k].y) * t)
            }
            remaining -= length
        }
        return line[line.count - 1]
    }

    /// Whole-number values of `field` for every point (by its record), `default` where the
    /// layer has no such field; a value that is not a whole number ≥ `minimum` is an error.
    public static func counts(_ loaded: Loaded, field: String, default value: Int?, minimum: Int, source: String) throws -> [Int] {
        guard let column = loaded.layer.fieldIndex(field) else {
            guard let value else {
                throw DataError.noSuchField(field, file: source, fields: loaded.layer.fields.map(\.name))
            }
            return Array(repeating: value, count: loaded.points.count)
        }
        return try loaded.records.map { r in
            let v = loaded.layer.features[r].values[column]
            guard let n = v.intValue, n >= minimum else {
                throw DataError(file: source, record: r + 1, field: field, "expected a whole number ≥ \(minimum), found '\(v)'")
            }
            return n
        }
    }
}
