import GeoCore

/// A table for spreadsheets: CSV (RFC 4180 quoting, CRLF). UTF-8 with a BOM so Excel
/// recognises it; `excel: true` writes CP932 for Excel on Japanese Windows without import steps.
public struct Table: Sendable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// A layer's attributes (no geometry) as a table.
    public init(_ layer: Layer) {
        columns = layer.fields.map(\.name)
        rows = layer.features.map { f in f.values.map { $0.csvText } }
    }

    /// For a GeoPackage: the table as an attribute-only layer, a column whose every value is an
    /// integer (or a number) typed as one.
    public func layer(name: String) -> Layer {
        let types: [FieldType] = columns.indices.map { j in
            let values = rows.map { $0[j] }.filter { !$0.isEmpty }
            if !values.isEmpty, values.allSatisfy({ Int($0) != nil }) { return .integer }
            if !values.isEmpty, values.allSatisfy({ Double($0) != nil }) { return .real }
            return .string
        }
        let features = rows.map { row in
            Feature(geometry: nil, values: zip(row, types).map { text, type in
                text.isEmpty ? .null : type == .integer ? .integer(Int(text)!) : type == .real ? .real(Double(text)!) : .string(text)
            })
        }
        return Layer(name: name, crs: .wgs84, fields: zip(columns, types).map { Field($0, $1) }, features: features)
    }

    public func csv() -> String {
        ([columns] + rows).map { $0.map(Self.quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        let field = Self.defused(field)
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingQuotes() + "\""
    }

    /// Text a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first)
    /// gets a leading apostrophe, as OWASP advises for CSV injection; numbers (-3.5) stay numbers.
    static func defused(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(field) == nil else { return field }
        return "'" + field
    }

    /// Writes CSV, or a PostGIS table of text columns (what the CSV would hold) when `path` names one.
    public func write(to path: String, excel: Bool = false, overwrite: Bool = false) throws {
        if PostGISLocation(path) != nil {
            let output = try VectorOutput(path, name: "table", crs: .wgs84, fields: columns.map { Field($0, .string) },
                                          polygons: false, hasGeometry: false, overwrite: overwrite)
            for row in rows { try output.append(Feature(geometry: nil, values: row.map(FieldValue.string))) }
            return try output.commit()
        }
        let text = csv()
        let bytes: [UInt8]
        if excel {
            guard let encoded = TextEncoding.cp932.encode(text) else {
                let bad = (columns + rows.joined()).first { TextEncoding.cp932.encode($0) == nil } ?? ""
                throw DataError(file: path, "'\(bad)' has characters CP932 cannot hold; write UTF-8 (without --excel)")
            }
            bytes = encoded
        } else {
            bytes = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        }
        try AtomicOutput.write(bytes, to: path)
    }
}

extension FieldValue {
    /// Numbers as plain digits (no exponent for counts), text as is.
    public var csvText: String {
        switch self {
        case .real(let d): return formatReal(d)
        default: return description
        }
    }
}

/// Shortest text that reads back as the same double, without exponents for ordinary values.
public func formatReal(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return String(d)
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        for c in self { out += c == "\"" ? "\"\"" : String(c) }
        return out
    }
}
