import Foundation
import GeoCore

/// CSV files as the tools read them: census tables, mesh statistics, council mappings, point lists.
public enum CSVFile {
    /// The records of a CSV file: a UTF-8 BOM dropped, the text decoded in `encoding` or in the one
    /// detected (UTF-8, else CP932), and split into RFC 4180 records.
    public static func read(_ path: String, encoding: TextEncoding? = nil) throws -> (records: [[String]], encoding: TextEncoding) {
        var records: [[String]] = []
        let chosen = try forEachRecord(path, encoding: encoding) { records.append($0) }
        return (records, chosen)
    }

    /// As `read`, handing each record to `body` in order instead of holding them all (a
    /// country's census table is millions of cells). Returns the encoding.
    public static func forEachRecord(_ path: String, encoding: TextEncoding? = nil, _ body: ([String]) throws -> Void) throws -> TextEncoding {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(file: path, "file not found") }
        guard let data = InputFiles.contents(path) else { throw DataError(file: path, "not readable") }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw DataError(file: path, "starts with two byte-order marks (BOM): it was saved as UTF-8 with BOM twice; remove one")
        }
        let chosen: TextEncoding
        if let encoding { chosen = encoding } else {
            guard case .success(let e) = TextEncoding.detect([bytes]) else {
                throw DataError(file: path, "text is neither UTF-8 nor CP932 (Shift_JIS); give the encoding with --encoding")
            }
            chosen = e
        }
        guard let text = chosen.decode(bytes) else { throw DataError(file: path, "text is not valid \(chosen)") }
        if let lost = text.unicodeScalars.firstIndex(of: "\u{FFFD}") {
            let line = text.unicodeScalars[..<lost].filter { $0 == "\n" }.count + 1
            throw DataError(file: path, record: line, "holds U+FFFD (�), the mark of text converted with losses (CP932 opened as UTF-8 "
                            + "and saved?): use the original file")
        }
        try records(text, body)
        return chosen
    }

    /// The records of `path` without blank ones, cells trimmed of spaces.
    public static func nonBlankRecords(_ path: String, encoding: TextEncoding? = nil) throws -> [[String]] {
        try read(path, encoding: encoding).records.filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    /// RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.
    public static func parse(_ text: String) -> [[String]] {
        var all: [[String]] = []
        records(text) { all.append($0) }
        return all
    }

    static func records(_ text: String, _ body: ([String]) throws -> Void) rethrows {
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        // Byte by byte over the UTF-8: the separators are ASCII, and no byte of a multi-byte
        // character is (a prefecture's census table parsed ten times faster than by characters).
        var text = text
        try text.withUTF8 { bytes in
            var i = 0
            func take() { record.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                if quoted {
                    if c == UInt8(ascii: "\"") {
                        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") { field.append(c); i += 1 } else { quoted = false }
                    } else { field.append(c) }
                    continue
                }
                switch c {
                case UInt8(ascii: "\""): quoted = true
                case UInt8(ascii: ","): take()
                case UInt8(ascii: "\r"): continue
                case UInt8(ascii: "\n"): take(); try body(record); record = []
                default: field.append(c)
                }
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(String(decoding: field, as: UTF8.self)); try body(record) }
    }
}
