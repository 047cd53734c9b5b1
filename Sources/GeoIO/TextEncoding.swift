import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings Japanese public data comes in. e-Stat DBFs and census CSVs are CP932
/// (Microsoft's Shift_JIS), usually with no .cpg or BOM to say so; newer files are UTF-8.
public enum TextEncoding: String, Sendable, CaseIterable, CustomStringConvertible {
    case utf8 = "UTF-8"
    case cp932 = "CP932"

    public var description: String { rawValue }

    /// Parses a user's `--encoding` value: utf8, utf-8, cp932, sjis, shift_jis, windows-31j.
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf8", "utf-8": self = .utf8
        case "cp932", "sjis", "shift-jis", "shiftjis", "windows-31j", "ms932": self = .cp932
        default: return nil
        }
    }

    /// Decodes bytes strictly: nil if they are not valid in this encoding.
    public func decode<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
        switch self {
        case .utf8: return String(validating: bytes, as: UTF8.self)
        case .cp932: return decodeAll([Array(bytes)])?.first
        }
    }

    /// Decodes many values with one converter (opening iconv per value dominated reading a
    /// prefecture's DBF); nil if any is invalid.
    public func decodeAll(_ values: [[UInt8]]) -> [String]? {
        switch self {
        case .utf8:
            var out: [String] = []
            out.reserveCapacity(values.count)
            for v in values { guard let s = String(validating: v, as: UTF8.self) else { return nil }; out.append(s) }
            return out
        case .cp932:
            guard let converter = Iconv(from: "CP932", to: "UTF-8") else { return nil }
            var out: [String] = []
            out.reserveCapacity(values.count)
            for v in values {
                // ASCII is the same in CP932 and UTF-8: skip the conversion.
                if v.allSatisfy({ $0 < 0x80 }) { out.append(String(decoding: v, as: UTF8.self)); continue }
                guard let bytes = converter.convert(v), let s = String(validating: bytes, as: UTF8.self) else { return nil }
                out.append(s)
            }
            return out
        }
    }

    /// Encodes text for a consumer that needs this encoding (Excel on Japanese Windows wants CP932).
    /// Characters CP932 cannot hold are an error naming the text, never a silent '?'.
    public func encode(_ text: String) -> [UInt8]? {
        switch self {
        case .utf8: return Array(text.utf8)
        case .cp932: return Iconv(from: "UTF-8", to: "CP932")?.convert(Array(text.utf8))
        }
    }

    /// The encoding every value decodes in: UTF-8 if all are valid UTF-8 (ASCII included),
    /// else CP932 if all are valid CP932. Returns the first value neither can decode otherwise.
    public static func detect(_ samples: [[UInt8]]) -> Result<TextEncoding, UndecodableText> {
        if samples.allSatisfy({ String(validating: $0, as: UTF8.self) != nil }) { return .success(.utf8) }
        if TextEncoding.cp932.decodeAll(samples) != nil { return .success(.cp932) }
        let bad = samples.firstIndex { TextEncoding.cp932.decode($0) == nil } ?? 0
        return .failure(UndecodableText(index: bad))
    }
}

public struct UndecodableText: Error, Sendable {
    /// Index of the first sample that is neither UTF-8 nor CP932.
    public let index: Int
}

/// A glibc iconv converter, strict: any invalid or unconvertible sequence fails the conversion.
/// Owns its descriptor (closed in deinit); one thread at a time.
final class Iconv {
    private let cd: iconv_t

    init?(from: String, to: String) {
        let cd = iconv_open(to, from)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        self.cd = cd
    }

    deinit { iconv_close(cd) }

    func convert(_ input: [UInt8]) -> [UInt8]? {
        if input.isEmpty { return [] }
        // Reset the shift state left by a previous (possibly failed) conversion.
        _ = iconv(cd, nil, nil, nil, nil)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var source = input.map { CChar(bitPattern: $0) }
        let outCapacity = output.count
        let written: Int? = source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                var inPtr: UnsafeMutablePointer<CChar>? = src.baseAddress
                var inLeft = src.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outCapacity
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0 else { return nil }
                // Flush any shift state so a stateful encoding ends cleanly.
                guard iconv(cd, nil, nil, &outPtr, &outLeft) != -1 else { return nil }
                return outCapacity - outLeft
            }
        }
        guard let written else { return nil }
        return Array(output[..<written])
    }
}
