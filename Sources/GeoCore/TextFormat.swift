/// Numbers as people read them, in summaries, descriptions, tables and figures alike.
/// Hand-rolled rather than Foundation's formatters so that output is byte-identical on every
/// platform and locale.
public enum TextFormat {
    /// An integer with thousands separators: 12,345.
    public static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return n < 0 ? "-" + out : out
    }

    /// A share as a percentage with one decimal ("39.7%"), or a dash where there is none.
    public static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "–" }
        let tenths = Int((share * 1000).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)%"
    }

    /// `part` as a percentage of `whole`, or a dash when the whole is 0.
    public static func percent(_ part: Double, of whole: Double) -> String {
        whole > 0 ? percent(part / whole) : "–"
    }

    /// Right-aligns text in a column of `width` characters.
    public static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Up to ten items, then how many more.
    public static func listed(_ items: [String]) -> String {
        items.prefix(10).joined(separator: ", ") + (items.count > 10 ? " and \(items.count - 10) more" : "")
    }

    /// A distance: whole metres below 10 km ("2,350 m"), else km with at most one decimal ("12.5 km").
    public static func metres(_ m: Double) -> String {
        guard m.isFinite else { return "–" }
        guard m >= 10_000 else { return "\(grouped(Int(m.rounded()))) m" }
        let tenths = Int((m / 100).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10) km" : "\(tenths / 10).\(tenths % 10) km"
    }

    /// An area in km² with one decimal and thousands separators ("1,234.5 km²").
    public static func squareKilometres(_ m2: Double) -> String {
        let tenths = Int((m2 / 1e5).rounded())
        return "\(grouped(tenths / 10)).\(tenths % 10) km²"
    }
}
