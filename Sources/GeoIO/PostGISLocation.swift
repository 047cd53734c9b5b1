import Foundation
import GeoCore

/// A PostGIS table or query, named on the command line wherever a file path goes. The part
/// before `#` is what libpq connects with; the part after names the table (`schema.table`, or
/// `table` on the search path) or, when it starts with SELECT or WITH, a query:
///
///     PG:host=localhost dbname=chiiki user=planner#public.small_areas
///     postgresql://planner@localhost:5432/chiiki#public.small_areas
///     'postgresql://planner@localhost/chiiki#SELECT * FROM small_areas WHERE "KEN" = '"'31'"
///
/// Passwords belong in ~/.pgpass or PGPASSWORD; one written into the location is kept out of
/// every message (`description` masks it).
public struct PostGISLocation: Sendable, Hashable, CustomStringConvertible {
    public enum Relation: Sendable, Hashable {
        /// `schema.table` or `table`, as written.
        case table(String)
        case query(String)
    }

    /// What GDAL's PostgreSQL driver opens: a `PG:` string or a `postgresql://` URL, secrets included.
    public var connection: String
    public var relation: Relation?
    /// The location with any password replaced by `***`, for messages and summaries.
    public var description: String

    /// Nil when `text` names no database (it is a file path, then).
    public init?(_ text: String) {
        let lower = text.lowercased()
        let isURL = lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
        guard isURL || lower.hasPrefix("pg:") else { return nil }
        // A URL must percent-encode '#' in a password; a PG: string may quote it ('a#b').
        let cut = isURL ? text.firstIndex(of: "#") : Self.firstUnquotedHash(text)
        connection = String(text[..<(cut ?? text.endIndex)])
        let fragment = cut.map { text[text.index(after: $0)...].trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        if fragment.isEmpty {
            relation = nil
        } else {
            let first = fragment.prefix { !$0.isWhitespace && $0 != "(" }.uppercased()
            relation = first == "SELECT" || first == "WITH" ? .query(fragment) : .table(fragment)
        }
        description = Self.masked(connection) + (cut.map { _ in "#" + fragment } ?? "")
    }

    /// The table as `schema.table` parts for quoting in SQL; the schema is nil on the search path.
    var tableParts: (schema: String?, name: String)? {
        guard case .table(let t) = relation else { return nil }
        guard let dot = t.firstIndex(of: ".") else { return (nil, t) }
        return (String(t[..<dot]), String(t[t.index(after: dot)...]))
    }

    /// How messages name a path: a database location with its password masked, a file as it is.
    public static func display(_ path: String) -> String { PostGISLocation(path)?.description ?? path }

    /// The same database with another table: how one output names its companions (`_hamlets`, …).
    public func replacingTable(_ table: String) -> PostGISLocation {
        var copy = self
        copy.relation = .table(table)
        copy.description = Self.masked(connection) + "#" + table
        return copy
    }

    /// This location with `suffix` added to its table name, secrets kept: how one output names
    /// its companions (`…#public.aging` → `…#public.aging_hamlets`).
    public func appendingToTable(_ suffix: String) -> String {
        guard case .table(let t) = relation else { return connection + "#" + suffix }
        return connection + "#" + t + suffix
    }

    private static func firstUnquotedHash(_ text: String) -> String.Index? {
        var quoted = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "\\", quoted, text.index(after: i) < text.endIndex {
                i = text.index(i, offsetBy: 2)
                continue
            }
            if c == "'" { quoted.toggle() }
            if c == "#", !quoted { return i }
            i = text.index(after: i)
        }
        return nil
    }

    /// Replaces the password of `postgresql://user:secret@host` and of `password=secret`
    /// (a PG: keyword or a URL query parameter) with `***`.
    static func masked(_ connection: String) -> String {
        var text = connection
        if let scheme = text.range(of: "://"),
           let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        let patterns = [#"(password\s*=\s*)'(?:[^'\\]|\\.)*'"#, #"(password\s*=\s*)[^\s&']+"#]
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            text = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1***")
        }
        return text
    }
}

/// Identifiers and literals for the few statements chiiki sends itself (the SRID check).
enum SQL {
    static func identifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    static func table(_ parts: (schema: String?, name: String)) -> String {
        (parts.schema.map { identifier($0) + "." } ?? "") + identifier(parts.name)
    }
}
