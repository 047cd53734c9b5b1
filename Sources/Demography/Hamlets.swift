import GeoCore
import GeoIO

/// A hamlet (行政区 / 自治会): the smallest administrative unit, with its own counts.
public struct Hamlet: Sendable {
    public var id: String
    public var name: String
    /// The census small area it lies in.
    public var keyCode: String
    public var figures: AgingFigures
    public var geometry: Geometry?
}

/// Attribute names of a hamlet layer (defaults: the bundled sample's).
public struct HamletFields: Sendable {
    public var id = "hamlet_id"
    public var name = "name"
    public var keyCode = "key_code"
    public var population = "population"
    public var aged = "aged_65_plus"
    public var households = "households"
    public init() {}
}

public enum Hamlets {
    public static func load(_ file: VectorFile, fields: HamletFields = HamletFields()) throws -> [Hamlet] {
        try file.requirePolygons()
        let layer = file.layer
        func index(_ name: String) throws -> Int {
            guard let i = layer.fieldIndex(name) else {
                throw DataError.noSuchField(name, file: file.path, fields: layer.fields.map(\.name))
            }
            return i
        }
        let (id, pop, aged, hh) = (try index(fields.id), try index(fields.population), try index(fields.aged), try index(fields.households))
        let name = layer.fieldIndex(fields.name), key = layer.fieldIndex(fields.keyCode)
        var seen: [String: Int] = [:]
        return try layer.features.enumerated().map { i, f in
            func count(_ column: Int) throws -> Int {
                guard let n = f.values[column].intValue, n >= 0 else {
                    throw DataError(file: file.path, record: i + 1, field: layer.fields[column].name,
                                    "expected a count (integer ≥ 0), found '\(f.values[column])'")
                }
                return n
            }
            guard let hamletID = f.values[id].stringValue, !hamletID.isEmpty else {
                throw DataError(file: file.path, record: i + 1, field: fields.id, "empty id")
            }
            if let previous = seen[hamletID] {
                throw DataError(file: file.path, record: i + 1, field: fields.id, "\(hamletID) is duplicated (first in record \(previous))")
            }
            seen[hamletID] = i + 1
            let figures = AgingFigures(population: try count(pop), aged: try count(aged), households: try count(hh))
            guard figures.aged <= figures.population else {
                throw DataError(file: file.path, record: i + 1, field: fields.aged,
                                "aged 65+ (\(figures.aged)) exceeds the population (\(figures.population))")
            }
            return Hamlet(id: hamletID, name: name.flatMap { f.values[$0].stringValue } ?? hamletID,
                          keyCode: key.flatMap { f.values[$0].stringValue } ?? "", figures: figures, geometry: f.geometry)
        }
    }
}
