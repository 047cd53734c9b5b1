import Demography
import GeoCore
import GeoIO
import Planning

extension HTMLReport {
    /// Hamlet mergers: every scenario side by side (table), then a map of each, merged units
    /// outlined and filled by their aging rate after the merge.
    static func mergeSection(_ m: MergeStudy, frame: MapFrame, outline: [Geometry], figures: inout Figures) throws -> String {
        let comparison = m.comparison
        let table = HTMLTable(comparison.table())
        let width = 480
        let drawn = try frame.draw(m.units.units.map(\.geometry), widthPixels: Double(width))
        var maps: [String] = []
        for (n, result) in m.results.map(\.result).enumerated() {
            let shapes = try result.units.map { u -> SVGMap.MapShape in
                let geometry = u.isMerge ? try frame.union(u.members.compactMap { drawn[$0] }) : drawn[u.members[0]]
                let f = u.figures
                var tip = "\(u.name)\n\(u.members.count) hamlet(s) · \(TextFormat.grouped(f.population)) people · \(f.households.map(TextFormat.grouped) ?? "–") households"
                if m.units.agedKnown { tip += " · aging rate \(TextFormat.percent(f.rate))" }
                return SVGMap.MapShape(id: u.id, geometry: geometry, fill: u.isMerge ? Palette.agingColour(m.units.agedKnown ? f.rate : nil) : Palette.background,
                                       tooltip: tip, emphasised: u.isMerge)
            }
            let legend = Palette.agingClasses.map { ($0.colour, "merged, \($0.label)") } + [(Palette.background, "unchanged")]
            let map = SVGMap.map(shapes, width: width, title: result.name, legendTitle: "Units", legend: legend, outline: outline)
            maps.append(figures.add(String(format: "map_merge_%02d", n + 1), map))
        }
        let note = "<p class='note'>Small and aged: aging rate ≥ 50 % and at most 19 households. Merged units are summed; "
            + "“proposal” merges each small-and-aged hamlet with the fewest neighbours reaching 20 households; "
            + "“regions” partitions every hamlet into the most contiguous regions of at least the floor (max-p).</p>"
        return section("Hamlet mergers (行政区の再編)", table.html + note + "<div class='maps'>" + maps.joined() + "</div>")
    }
}

/// A CSV-shaped table as HTML, numbers right-aligned.
struct HTMLTable {
    var columns: [String]
    var rows: [[String]]
    init(_ t: GeoIO.Table) { columns = t.columns; rows = t.rows }

    var html: String {
        func cell(_ s: String, _ tag: String) -> String {
            let numeric = !s.isEmpty && s.allSatisfy { "0123456789.,-→ ".contains($0) }
            return "<\(tag)\(numeric ? " class='num'" : "")>\(Fmt.escape(s))</\(tag)>"
        }
        let head = "<tr>" + columns.map { "<th>\(Fmt.escape($0.replacingOccurrences(of: "_", with: " ")))</th>" }.joined() + "</tr>"
        return "<table>" + head + rows.map { "<tr>" + $0.map { cell($0, "td") }.joined() + "</tr>" }.joined() + "</table>"
    }
}
