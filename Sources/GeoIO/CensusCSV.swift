import Foundation
import GeoCore

/// A cell of an e-Stat census table.
public enum CensusCell: Sendable, Hashable {
    case count(Int)
    /// Suppressed for confidentiality (`X`, `*`, `…`): counted in another area or not published.
    case suppressed
}

/// One row of an e-Stat small-area census table (e.g. T001082, population by 5-year age).
public struct CensusRow: Sendable, Hashable {
    /// 1-based line number in the file, for error messages.
    public var line: Int
    public var keyCode: String
    /// Level in the area hierarchy: 1 the municipality, 2 大字・町, 3 字・丁目, 4 below.
    public var level: Int
    public var name: String
    /// 秘匿処理 (HTKSYORI): 0 none, 1 this area absorbed others' counts, 2 counted elsewhere.
    public var suppression: Int
    /// 秘匿先 (HTKSAKI): the area this one is counted in, when `suppression == 2`.
    public var countedIn: String?
    /// 合算地域 (GASSAN): the areas whose counts this one includes, when `suppression == 1`.
    public var absorbs: [String]
    public var cells: [CensusCell]
}

/// An e-Stat census CSV: a row of column codes, a row of Japanese labels, then data.
public struct CensusTable: Sendable {
    public var path: String
    public var encoding: TextEncoding
    public var codes: [String]
    public var labels: [String]
    /// Data columns (after the identifying ones).
    public var valueCodes: [String]
    public var valueLabels: [String]
    public var rows: [CensusRow]

    /// The data column whose code or label is `name`, or that a label matcher picks.
    public func column(_ name: String) -> Int? {
        valueCodes.firstIndex(of: name) ?? valueLabels.firstIndex(of: name)
    }
}

public enum CensusCSV {
    static let identifying = ["KEY_CODE", "HYOSYO", "CITYNAME", "NAME", "HTKSYORI", "HTKSAKI", "GASSAN"]

    public static func read(_ path: String, encoding: TextEncoding? = nil) throws -> CensusTable {
        // Rows are turned into counts as they are parsed: the text records of a whole country
        // are never all held at once.
        var codes: [String] = [], labels: [String] = []
        var rows: [CensusRow] = []
        var seen: [String: Int] = [:]
        var line = 0
        let first = identifying.count
        let chosen = try CSVFile.forEachRecord(path, encoding: encoding) { record in
            line += 1
            if line == 1 {
                codes = record.map { $0.trimmingCharacters(in: .whitespaces) }
                for (i, name) in identifying.enumerated() where codes.count <= i || codes[i] != name {
                    throw DataError(file: path, record: 1, field: codes.count > i ? codes[i] : "column \(i + 1)",
                                    "expected the e-Stat small-area layout starting \(identifying.joined(separator: ","))")
                }
                return
            }
            if line == 2 {
                labels = record + Array(repeating: "", count: max(0, codes.count - record.count))
                return
            }
            if record.allSatisfy({ CSVFile.trimmed($0).isEmpty }) { return }
            guard record.count == codes.count else {
                throw DataError(file: path, record: line, "has \(record.count) columns; the header has \(codes.count)")
            }
            let key = CSVFile.trimmed(record[0])
            guard !key.isEmpty, key.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                throw DataError(file: path, record: line, field: "KEY_CODE", "expected digits, found '\(key)'")
            }
            if let previous = seen[key] {
                throw DataError(file: path, record: line, field: "KEY_CODE", "\(key) is duplicated (first on line \(previous))")
            }
            seen[key] = line
            func integer(_ i: Int, default value: Int? = nil) throws -> Int {
                let s = CSVFile.trimmed(record[i])
                if s.isEmpty || s == "-", let value { return value }
                guard let n = Int(s) else {
                    throw DataError(file: path, record: line, field: codes[i], "expected an integer, found '\(s)'")
                }
                return n
            }
            let cells = try (first..<codes.count).map { i -> CensusCell in
                // Most cells are plain digits: read them without Foundation's trimming (a whole
                // country's table has thirteen million cells).
                if let n = Int(record[i]), n >= 0 { return .count(n) }
                let s = record[i].trimmingCharacters(in: .whitespaces)
                switch s {
                case "-", "－": return .count(0)
                case "X", "x", "*", "…", "...", "･･･": return .suppressed
                default:
                    guard let n = Int(s.contains(",") ? s.replacingOccurrences(of: ",", with: "") : s), n >= 0 else {
                        throw DataError(file: path, record: line, field: codes[i],
                                        "expected a count, '-' (zero) or a suppression mark (X, *, …); found '\(s)'")
                    }
                    return .count(n)
                }
            }
            let countedIn = CSVFile.trimmed(record[5])
            rows.append(CensusRow(
                line: line, keyCode: key, level: try integer(1), name: record[3],
                suppression: try integer(4, default: 0),
                countedIn: countedIn.isEmpty ? nil : countedIn,
                absorbs: record[6].split(whereSeparator: { $0 == ";" || $0 == " " || $0 == "、" }).map(String.init),
                cells: cells))
        }
        guard line >= 2 else {
            throw DataError(file: path, "expected two header rows (column codes, then labels) and data rows")
        }
        guard !rows.isEmpty else { throw DataError(file: path, "no data rows after the two header rows") }
        return CensusTable(path: path, encoding: chosen, codes: codes, labels: labels,
                           valueCodes: Array(codes[first...]), valueLabels: Array(labels[first..<codes.count]), rows: rows)
    }
}
