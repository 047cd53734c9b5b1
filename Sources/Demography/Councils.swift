import Foundation
import GeoCore
import GeoIO

/// A community council (地域協働体 / まちづくり協議会) and the units it covers.
public struct Council: Sendable, Hashable {
    public var name: String
    /// The former town it lies in (長門, 三隅, 日置, 油谷 for Nagato), if given.
    public var area: String?
    public var fiscalYear: Int?
    public var keyCodes: [String]
    public var hamletIDs: [String]
    /// Figures printed in the plan, for comparison.
    public var published: AgingFigures?

    public init(name: String, area: String? = nil, fiscalYear: Int? = nil, keyCodes: [String] = [],
                hamletIDs: [String] = [], published: AgingFigures? = nil) {
        self.name = name; self.area = area; self.fiscalYear = fiscalYear; self.keyCodes = keyCodes
        self.hamletIDs = hamletIDs; self.published = published
    }
}

/// A council mapping file: JSON (`{"councils": [...]}` or a bare array) or CSV
/// (columns name, fiscal_year, key_codes and/or hamlet_ids; ids separated by ';').
public struct CouncilMap: Sendable {
    public var path: String
    public var councils: [Council]
    public var target: Double?

    public init(path: String, councils: [Council], target: Double? = nil) {
        self.path = path; self.councils = councils; self.target = target
    }

    /// The JSON value at `path`, as the file writes it, for an error message.
    static func found(at path: [CodingKey], in data: Data) -> String {
        var value: Any? = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        for key in path {
            if let i = key.intValue { value = (value as? [Any]).flatMap { i < $0.count ? $0[i] : nil } }
            else { value = (value as? [String: Any])?[key.stringValue] }
        }
        switch value {
        case let s as String: return "'\(s)'"
        case nil, is NSNull: return "null"
        case let v?: return "\(v)"
        }
    }

    /// Whether a council file is a mapping (JSON or CSV of members) rather than polygons.
    public static func isMapping(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".json") || lowered.hasSuffix(".csv")
    }

    public static func read(_ path: String) throws -> CouncilMap {
        guard let data = InputFiles.contents(path) else {
            throw DataError(file: path, FileManager.default.fileExists(atPath: path) ? "not readable" : "file not found")
        }
        let map = path.lowercased().hasSuffix(".csv") ? try readCSV(path) : try readJSON(path, data)
        var seen: [String: Int] = [:]
        for (i, c) in map.councils.enumerated() {
            if let previous = seen[c.name] {
                throw DataError(file: path, record: i + 1, field: "name", "council '\(c.name)' is listed twice (first as council \(previous))")
            }
            seen[c.name] = i + 1
        }
        return map
    }

    /// Which member list a membership is read from.
    public enum Members: Sendable {
        case smallAreas, hamlets
        var field: String { self == .smallAreas ? "key_codes" : "hamlet_ids" }
        var noun: String { self == .smallAreas ? "small area" : "hamlet" }
        func ids(_ c: Council) -> [String] { self == .smallAreas ? c.keyCodes : c.hamletIDs }
    }

    /// Council of each member id. An id not in `known`, or in two councils, is an error naming
    /// the council's record.
    public func membership(_ members: Members, known: Set<String>) throws -> [String: String] {
        var councilOf: [String: String] = [:]
        for (i, c) in councils.enumerated() {
            for id in members.ids(c) {
                guard known.contains(id) else {
                    throw DataError(file: path, record: i + 1, field: members.field, "\(c.name): unknown \(members.noun) \(id)")
                }
                if let other = councilOf[id] {
                    throw DataError(file: path, record: i + 1, field: members.field, "\(members.noun) \(id) is in both \(other) and \(c.name)")
                }
                councilOf[id] = c.name
            }
        }
        return councilOf
    }

    private struct JSONCouncil: Decodable {
        var name: String
        var district: String?
        var fiscal_year: Int?
        var key_codes: [String]?
        var hamlet_ids: [String]?
        var published: JSONPublished?
    }
    private struct JSONPublished: Decodable { var population: Int; var aged_65_plus: Int; var households: Int? }
    private struct JSONTarget: Decodable { var share: Double }
    private struct JSONFile: Decodable { var councils: [JSONCouncil]; var target: JSONTarget? }

    private static func readJSON(_ path: String, _ data: Data) throws -> CouncilMap {
        let decoder = JSONDecoder()
        let file: JSONFile
        do {
            if let list = try? decoder.decode([JSONCouncil].self, from: data) {
                file = JSONFile(councils: list, target: nil)
            } else {
                file = try decoder.decode(JSONFile.self, from: data)
            }
        } catch let DecodingError.keyNotFound(key, context) {
            throw DataError(file: path, record: recordNumber(context.codingPath), field: key.stringValue, "missing")
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            // In words, not Swift's: "expected a whole number" rather than "Expected to decode Int".
            let expected = type == Int.self ? "a whole number (e.g. 2017)" : type == Double.self ? "a number"
                : type == String.self ? "text" : "\(type)".hasPrefix("Array") ? "a list" : "\(type)"
            throw DataError(file: path, record: recordNumber(context.codingPath),
                            field: context.codingPath.last?.stringValue, "expected \(expected), found \(Self.found(at: context.codingPath, in: data))")
        } catch {
            let valid = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
            throw DataError(file: path, valid ? "not a council mapping: expected {\"councils\": [{\"name\": …, \"key_codes\": […]}, …]}"
                                              : "not valid JSON (cut short, or not saved as JSON?)")
        }
        return CouncilMap(path: path, councils: file.councils.map { c in
            Council(name: c.name, area: c.district, fiscalYear: c.fiscal_year, keyCodes: c.key_codes ?? [],
                    hamletIDs: c.hamlet_ids ?? [],
                    published: c.published.map { AgingFigures(population: $0.population, aged: $0.aged_65_plus, households: $0.households) })
        }, target: file.target?.share)
    }

    private static func recordNumber(_ path: [CodingKey]) -> Int? {
        path.first(where: { $0.intValue != nil })?.intValue.map { $0 + 1 }
    }

    private static func readCSV(_ path: String) throws -> CouncilMap {
        let rows = try CSVFile.read(path).records
        guard let header = rows.first, let nameColumn = header.firstIndex(of: "name") else {
            throw DataError(file: path, record: 1, field: "name", "expected a header row with a 'name' column")
        }
        func column(_ n: String) -> Int? { header.firstIndex(of: n) }
        let year = column("fiscal_year"), keys = column("key_codes"), hamlets = column("hamlet_ids"), area = column("district")
        guard keys != nil || hamlets != nil else {
            throw DataError(file: path, record: 1, "expected a 'key_codes' or 'hamlet_ids' column")
        }
        func ids(_ row: [String], _ c: Int?) -> [String] {
            guard let c, c < row.count else { return [] }
            return row[c].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let councils = try rows.enumerated().dropFirst().filter { !$0.element.allSatisfy { $0.isEmpty } }.map { i, row -> Council in
            var fiscalYear: Int?
            if let year, year < row.count, !row[year].isEmpty {
                guard let y = Int(row[year]) else {
                    throw DataError(file: path, record: i + 1, field: "fiscal_year", "expected a year, found '\(row[year])'")
                }
                fiscalYear = y
            }
            return Council(name: row[nameColumn], area: area.flatMap { $0 < row.count ? row[$0] : nil },
                           fiscalYear: fiscalYear, keyCodes: ids(row, keys), hamletIDs: ids(row, hamlets), published: nil)
        }
        return CouncilMap(path: path, councils: councils, target: nil)
    }
}
