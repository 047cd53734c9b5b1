import Foundation
import GeoCore
import GeoIO

/// Counts per grid square from a mesh-statistics CSV (e-Stat's 地域メッシュ統計 or any table
/// with a mesh-code column): UTF-8 or CP932, a header row of column names, optionally a second
/// row of labels (as e-Stat writes them). `-` is zero; `X`, `*`, `…` are suppressed cells,
/// counted as zero and reported.
public struct MeshStatistics: Sendable {
    public var path: String
    public var field: String
    public var level: MeshLevel
    public var counts: [(code: MeshCode, value: Double)]
    /// Codes whose cell was suppressed.
    public var suppressed: [String]

    static let codeColumns = ["KEY_CODE", "mesh_code", "meshcode", "mesh", "code", "メッシュコード"]

    public static func read(_ path: String, field: String, encoding: TextEncoding? = nil) throws -> MeshStatistics {
        let records = try CSVFile.nonBlankRecords(path, encoding: encoding)
        guard let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw DataError(file: path, "empty: a header row with a mesh-code column was expected")
        }
        guard let codeColumn = codeColumns.lazy.compactMap({ c in header.firstIndex { $0.lowercased() == c.lowercased() } }).first else {
            throw DataError(file: path, record: 1, "no mesh-code column (\(codeColumns.joined(separator: ", "))); columns: \(header.joined(separator: ", "))")
        }
        guard let valueColumn = header.firstIndex(of: field) else {
            throw DataError(file: path, record: 1, field: field, "no such column; columns: \(header.joined(separator: ", "))")
        }
        var counts: [(code: MeshCode, value: Double)] = []
        var suppressed: [String] = []
        var seen: [MeshCode: Int] = [:]
        var level: MeshLevel?
        for (index, record) in records.enumerated().dropFirst() {
            let line = index + 1
            let codeText = record.count > codeColumn ? record[codeColumn].trimmingCharacters(in: .whitespaces) : ""
            // e-Stat's second header row holds labels, not codes.
            if index == 1, !codeText.allSatisfy(\.isNumber) || codeText.isEmpty { continue }
            guard let code = MeshCode(codeText) else {
                throw DataError(file: path, record: line, field: header[codeColumn],
                                "expected an 8-, 9- or 10-digit JIS X 0410 mesh code, found '\(codeText)'")
            }
            if let level, level != code.level {
                throw DataError(file: path, record: line, field: header[codeColumn],
                                "\(code) is a \(code.level) square; the rows above are \(level) squares")
            }
            level = code.level
            if let first = seen[code] {
                throw DataError(file: path, record: line, field: header[codeColumn], "\(code) is duplicated (first on line \(first))")
            }
            seen[code] = line
            let cell = record.count > valueColumn ? record[valueColumn].trimmingCharacters(in: .whitespaces) : ""
            switch cell {
            case "-", "－": counts.append((code, 0))
            case "X", "x", "*", "…", "...", "･･･":
                counts.append((code, 0))
                suppressed.append(code.code)
            default:
                guard let value = Double(cell.replacingOccurrences(of: ",", with: "")), value.isFinite, value >= 0 else {
                    throw DataError(file: path, record: line, field: field,
                                    "expected a count ≥ 0, '-' (zero) or a suppression mark (X, *, …); found '\(cell)'")
                }
                counts.append((code, value))
            }
        }
        guard let level else { throw DataError(file: path, "no data rows") }
        return MeshStatistics(path: path, field: field, level: level, counts: counts, suppressed: suppressed)
    }
}
