import GeoCore

/// Formatting shared by the SVG and HTML writers. Hand-rolled rather than Foundation's
/// formatters so that the output is byte-identical on every platform and locale.
enum Fmt {
    /// The fonts of every text, SVG and HTML alike; CJK fonts so hamlet names render.
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Noto Sans CJK JP', 'Yu Gothic', Meiryo, sans-serif"

    /// Escapes the five XML specials (for text and attribute values alike) and drops the
    /// control characters XML 1.0 forbids, so a stray one in a name cannot break the file.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            // Bidirectional overrides and isolates would reorder the page around a name (a
            // "right-to-left" trick): shown as their code instead.
            case "\u{200E}", "\u{200F}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                out += "[U+\(String(c.value, radix: 16, uppercase: true))]"
            default: if c.value >= 0x20 { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// A pixel value with at most one decimal ("12", "12.5", never "-0"): small, stable output.
    static func px(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10, fraction = abs(tenths) % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// A threshold as a whole percentage where it is one ("45%"), else with one decimal.
    static func threshold(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)%" : TextFormat.percent(share)
    }

    /// Rough rendered width of a label, to lay out text without a font engine:
    /// CJK characters are about one em wide, Latin ones a bit over half.
    static func textWidth(_ s: String, size: Double) -> Double {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? size : size * 0.6) }
    }

    /// The largest of 1, 2, 5 × 10ⁿ not above `x` (x > 0): round numbers for ticks and scale bars.
    static func niceFloor(_ x: Double) -> Double {
        var step = 1.0
        while step * 10 <= x { step *= 10 }
        while step > x { step /= 10 }
        if step * 5 <= x { return step * 5 }
        if step * 2 <= x { return step * 2 }
        return step
    }
}
