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
        // Decoded once: a census table of a whole country is 9 MB of CP932.
        let chosen: TextEncoding, decoded: String?
        if let encoding {
            (chosen, decoded) = (encoding, encoding.decode(bytes))
        } else if let utf8 = String(validating: bytes, as: UTF8.self) {
            (chosen, decoded) = (.utf8, utf8)
        } else {
            guard let cp932 = TextEncoding.cp932.decode(bytes) else {
                throw DataError(file: path, "text is neither UTF-8 nor CP932 (Shift_JIS); give the encoding with --encoding")
            }
            (chosen, decoded) = (.cp932, cp932)
        }
        guard let text = decoded else { throw DataError(file: path, "text is not valid \(chosen)") }
        if let lost = replacementCharacter(in: text) {
            let line = text.utf8.prefix(lost).filter { $0 == UInt8(ascii: "\n") }.count + 1
            throw DataError(file: path, record: line, "holds U+FFFD (�), the mark of text converted with losses (CP932 opened as UTF-8 "
                            + "and saved?): use the original file")
        }
        try records(text, body)
        return chosen
    }

    /// The UTF-8 offset of the first U+FFFD (EF BF BD) in `text`.
    static func replacementCharacter(in text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            while i + 2 < bytes.count {
                if bytes[i] == 0xEF, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBD { return i }
                i += 1
            }
            return nil
        }
    }

    /// `s` without leading and trailing white space (Unicode's, as Foundation's
    /// `.whitespaces`), at the cost of two byte reads when it has none: a country's census table
    /// has millions of cells, and most are plain digits.
    public static func trimmed(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") }
        return plain(first) && plain(last) ? s : s.trimmingCharacters(in: .whitespaces)
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
