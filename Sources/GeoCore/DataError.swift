/// Bad input, described so a person can find and fix it: which file, which record (1-based,
/// as a spreadsheet or QGIS's attribute table counts), which field, and what was expected.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var record: Int?
    public var field: String?
    public var message: String

    public init(file: String, record: Int? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.record = record
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if let record { location += ", record \(record)" }
        if let field { location += ", field \(field)" }
        return "\(location): \(message)"
    }
}

/// A failure inside a C library (GEOS, PROJ, GDAL), with the library's own message.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public var library: String
    public var operation: String
    public var message: String
    public init(library: String, operation: String, message: String) {
        self.library = library
        self.operation = operation
        self.message = message
    }
    public var description: String {
        "\(library) \(operation) failed" + (message.isEmpty ? "" : ": \(message)")
    }
}

extension DataError {
    /// A field the work needs is not in the file: the fields it has, or that it has none at all.
    public static func noSuchField(_ name: String, file: String, fields: [String]) -> DataError {
        DataError(file: file, field: name, fields.isEmpty ? "no such field: the file has no attribute fields at all (a corrupt or missing .dbf?)"
                                                           : "no such field; fields are \(fields.joined(separator: ", "))")
    }
}
