import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// Candidate sites from a point file: GeoJSON, GeoPackage or Shapefile points, or a CSV with
/// longitude and latitude columns (JGD2011, which WGS 84 GPS readings match to centimetres).
public enum HubCandidates {
    public struct Fields: Sendable {
        /// Id field (default: id, site_id, code or name; else the record number).
        public var id: String?
        public var name: String?
        /// Capacity field (default: capacity, 定員 or 収容人数 when present): the weight a site can serve.
        public var capacity: String?
        public init() {}
    }

    static let idNames = ["id", "site_id", "code", "name"]
    static let nameNames = ["name", "名称", "施設名"]
    static let lonNames = ["lon", "lng", "longitude", "経度", "x"]
    static let latNames = ["lat", "latitude", "緯度", "y"]
    static let capacityNames = ["capacity", "定員", "収容人数"]

    typealias Row = (id: String?, name: String?, at: Coordinate, capacity: Double?)

    /// Reads sites, transformed to `planarCRS` and, for output, to `outputCRS`.
    public static func read(_ path: String, fields: Fields = Fields(), planarCRS: CRS, outputCRS: CRS,
                            encoding: TextEncoding? = nil, measurer: Measurer) throws -> (sites: [HubPlace], warnings: [String]) {
        let raw: (crs: CRS, rows: [Row], idField: String?)
        // Records are numbered as the file's reader counts them: features from 1, CSV lines
        // from 1 with the header as line 1.
        let isCSV = URL(fileURLWithPath: path).pathExtension.lowercased() == "csv"
        raw = isCSV ? try csv(path, fields: fields, encoding: encoding) : try vector(path, fields: fields, encoding: encoding)
        let firstRecord = isCSV ? 2 : 1
        guard !raw.rows.isEmpty else { throw DataError(file: path, "no candidate site in the file") }
        var warnings: [String] = []
        if raw.idField == nil { warnings.append("\(path) has no id field (\(idNames.joined(separator: ", "))): sites are named by record number") }
        if raw.crs != outputCRS { warnings.append("candidates are in \(raw.crs), demand in \(outputCRS): candidates transformed") }
        var seen: [String: Int] = [:]
        let ids = try raw.rows.enumerated().map { i, r -> String in
            let record = i + firstRecord
            let id = r.id ?? String(record)
            guard !id.isEmpty else { throw DataError(file: path, record: record, field: raw.idField, "empty id") }
            if let first = seen[id] {
                throw DataError(file: path, record: record, field: raw.idField, "candidate id \(id) is duplicated (first in record \(first))")
            }
            seen[id] = record
            return id
        }
        let coordinates = raw.rows.map(\.at)
        let planar = try measurer.transformer(from: raw.crs, to: planarCRS).transform(coordinates)
        let output = raw.crs == outputCRS ? coordinates : try measurer.transformer(from: raw.crs, to: outputCRS).transform(coordinates)
        let sites = raw.rows.indices.map { i in
            var site = HubPlace(id: ids[i], name: raw.rows[i].name ?? ids[i], location: output[i], planar: planar[i])
            site.capacity = raw.rows[i].capacity
            return site
        }
        return (sites, warnings)
    }

    static func vector(_ path: String, fields: Fields, encoding: TextEncoding?) throws
        -> (crs: CRS, rows: [Row], idField: String?) {
        let file = try VectorReader.read(path, encoding: encoding)
        let layer = file.layer
        let idField = try column(fields.id, idNames, layer.fields.map(\.name), path: path)
        let nameField = try column(fields.name, nameNames, layer.fields.map(\.name), path: path)
        let capacityField = try column(fields.capacity, capacityNames, layer.fields.map(\.name), path: path)
        let rows = try layer.features.enumerated().map { i, f -> Row in
            guard case .point(let c) = f.geometry else {
                throw DataError(file: path, record: i + 1, field: "geometry",
                                "\(f.geometry?.typeName ?? "no geometry") found: a candidate site is a point")
            }
            let capacity = try capacityField.flatMap { field in
                try self.capacity(layer.value(f, field).stringValue ?? "", file: path, record: i + 1, field: field)
            }
            return (idField.map { layer.value(f, $0).stringValue ?? "" }, nameField.flatMap { layer.value(f, $0).stringValue }, c, capacity)
        }
        return (layer.crs, rows, idField)
    }

    static func csv(_ path: String, fields: Fields, encoding: TextEncoding?) throws
        -> (crs: CRS, rows: [Row], idField: String?) {
        let records = try CSVFile.nonBlankRecords(path, encoding: encoding)
        guard let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw DataError(file: path, "empty: a header row was expected")
        }
        guard let lon = try column(nil, lonNames, header, path: path).flatMap(header.firstIndex),
              let lat = try column(nil, latNames, header, path: path).flatMap(header.firstIndex) else {
            throw DataError(file: path, record: 1, "no longitude/latitude columns (lon, lat); columns: \(header.joined(separator: ", "))")
        }
        let idField = try column(fields.id, idNames, header, path: path)
        let nameField = try column(fields.name, nameNames, header, path: path)
        let capacityField = try column(fields.capacity, capacityNames, header, path: path)
        let rows = try records.dropFirst().enumerated().map { k, record -> Row in
            let line = k + 2
            func cell(_ i: Int) -> String { i < record.count ? record[i].trimmingCharacters(in: .whitespaces) : "" }
            guard let x = Double(cell(lon)), let y = Double(cell(lat)), x.isFinite, y.isFinite else {
                throw DataError(file: path, record: line, field: header[Double(cell(lon)) == nil ? lon : lat],
                                "expected longitude and latitude in degrees, found '\(cell(lon))', '\(cell(lat))'")
            }
            if (20...46).contains(x) && (122...154).contains(y) {
                throw DataError(file: path, record: line, field: header[lon], "longitude \(x), latitude \(y): the columns look swapped")
            }
            guard (-180...360).contains(x), (-90...90).contains(y) else {
                throw DataError(file: path, record: line, field: header[lon], "(\(x), \(y)) is not a longitude and latitude")
            }
            let capacity = try capacityField.flatMap { field in
                try header.firstIndex(of: field).flatMap { try self.capacity(cell($0), file: path, record: line, field: field) }
            }
            return (idField.flatMap(header.firstIndex).map(cell), nameField.flatMap(header.firstIndex).map(cell), Coordinate(x, y), capacity)
        }
        return (.jgd2011, rows, idField)
    }

    /// A capacity cell: empty (none given) or a number ≥ 0.
    static func capacity(_ text: String, file: String, record: Int, field: String) throws -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        guard let v = Double(t), v.isFinite, v >= 0 else {
            throw DataError(file: file, record: record, field: field, "expected a capacity (people, a number ≥ 0), found '\(t)'")
        }
        return v
    }

    /// The column to use: `given` (which must exist), else the first of `names` present.
    static func column(_ given: String?, _ names: [String], _ columns: [String], path: String) throws -> String? {
        if let given {
            guard let found = columns.first(where: { $0 == given }) ?? columns.first(where: { $0.lowercased() == given.lowercased() }) else {
                throw DataError.noSuchField(given, file: path, fields: columns)
            }
            return found
        }
        return names.lazy.compactMap { n in columns.first { $0.lowercased() == n.lowercased() } }.first
    }
}
