/// One attribute value, as vector formats store them.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int)
    case real(Double)
    case string(String)

    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .string(let s): return s
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .string(let s): return Double(s)
        case .null: return nil
        }
    }

    public var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .real(let d): return Int(exactly: d)
        case .string(let s): return Int(s)
        case .null: return nil
        }
    }

    /// Text for keys and names: integers without a decimal point.
    public var stringValue: String? {
        switch self {
        case .null: return nil
        default: return description
        }
    }
}

public enum FieldType: String, Sendable, Hashable {
    case integer, real, string
}

public struct Field: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public init(_ name: String, _ type: FieldType) { self.name = name; self.type = type }
}

/// A geometry with attributes in the order of the layer's fields.
public struct Feature: Sendable, Hashable {
    public var geometry: Geometry?
    public var values: [FieldValue]
    public init(geometry: Geometry?, values: [FieldValue]) {
        self.geometry = geometry
        self.values = values
    }
}

/// Features sharing one schema and one CRS: what loading produces and writing consumes.
public struct Layer: Sendable {
    public var name: String
    public var crs: CRS
    public var fields: [Field]
    public var features: [Feature]
    /// How maps draw it (the GeoPackage's QGIS style); nil: not styled.
    public var style: LayerStyle?

    public init(name: String, crs: CRS, fields: [Field], features: [Feature] = []) {
        self.name = name
        self.crs = crs
        self.fields = fields
        self.features = features
    }

    public func fieldIndex(_ name: String) -> Int? {
        fields.firstIndex { $0.name == name } ?? fields.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    public func value(_ feature: Feature, _ field: String) -> FieldValue {
        guard let i = fieldIndex(field), i < feature.values.count else { return .null }
        return feature.values[i]
    }

    public var boundingBox: BoundingBox? {
        BoundingBox.union(features.compactMap { $0.geometry?.boundingBox })
    }
}

/// One attribute of an output layer: its name and type declared beside the value each row
/// gives, so a layer's schema and its values cannot drift apart.
public struct Column<Row> {
    public var field: Field
    public var value: (Row) -> FieldValue

    public init(_ name: String, _ type: FieldType, _ value: @escaping (Row) -> FieldValue) {
        field = Field(name, type)
        self.value = value
    }

    /// A text column.
    public static func string(_ name: String, _ value: @escaping (Row) -> String?) -> Column {
        Column(name, .string) { value($0).map(FieldValue.string) ?? .null }
    }

    /// An integer column.
    public static func integer(_ name: String, _ value: @escaping (Row) -> Int?) -> Column {
        Column(name, .integer) { value($0).map(FieldValue.integer) ?? .null }
    }

    /// A real column, rounded to `digits` decimals (m² to 3, rates to 4) when given.
    public static func real(_ name: String, digits: Int? = nil, _ value: @escaping (Row) -> Double?) -> Column {
        Column(name, .real) { row in value(row).map { x in .real(digits.map { rounded(x, $0) } ?? x) } ?? .null }
    }

    /// A 0/1 flag.
    public static func flag(_ name: String, _ value: @escaping (Row) -> Bool?) -> Column {
        Column(name, .integer) { value($0).map { .integer($0 ? 1 : 0) } ?? .null }
    }
}

extension Layer {
    /// A layer of `rows`, each a feature with `geometry` and one value per column.
    public init<Row>(name: String, crs: CRS, rows: [Row], geometry: (Row) -> Geometry?, columns: [Column<Row>]) {
        self.init(name: name, crs: crs, fields: columns.map(\.field),
                  features: rows.map { row in Feature(geometry: geometry(row), values: columns.map { $0.value(row) }) })
    }
}
