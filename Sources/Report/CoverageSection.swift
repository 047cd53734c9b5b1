import Demography
import GeoCore
import Planning

extension HTMLReport {
    /// Council coverage: key figures, the map of covered, proposed and uncovered districts, the
    /// covered share by fiscal year against the target, and the plan.
    static func coverageSection(_ r: CoverageReport, frame: MapFrame, outline: [Geometry], figures: inout Figures) throws -> String {
        let after = r.coveredArea + r.plan.addedArea
        let cards = [
            card("Covered share", "協働体カバー率", TextFormat.percent(r.share), detail: "\(TextFormat.squareKilometres(r.coveredArea)) of \(TextFormat.squareKilometres(r.denominator))"),
            card("Target", "目標", TextFormat.percent(r.target), detail: r.gapArea > 0 ? "\(TextFormat.squareKilometres(r.gapArea)) to go" : "reached"),
            card("With the plan", "計画後", TextFormat.percent(after / r.denominator),
                 detail: "\(r.plan.additions.count) district(s) added" + (r.plan.provenOptimal ? ", fewest possible" : "")),
        ]
        let proposal = Dictionary(uniqueKeysWithValues: r.plan.additions.map { ($0.district, $0) })
        let style = r.districtStyle
        let drawn = try frame.draw(r.districts.map(\.geometry), widthPixels: 960)
        let shapes = r.districts.indices.map { i -> SVGMap.MapShape in
            let d = r.districts[i], p = proposal[i]
            let fill = style.colour(.string(r.coverageClass(i))) ?? Palette.notReached
            var tip = "\(d.name) (\(d.id))\n\(TextFormat.squareKilometres(d.areaM2))"
            if let c = r.councilOf[i] { tip += "\n\(c)" + (r.fiscalYearOf[i].map { " (FY\($0))" } ?? "") }
            if let p { tip += "\nplan: " + (p.joinsExisting ? "join \(p.council)" : p.council) }
            return SVGMap.MapShape(id: d.id, geometry: drawn[i], fill: fill, tooltip: tip, emphasised: p != nil)
        }
        let map = SVGMap.map(shapes, width: 960, title: "Council coverage and the plan", legendTitle: "Districts",
                             legend: style.legend,
                             outline: outline)
        let steps = r.timeline.map { ("FY\($0.fiscalYear)", $0.share) } + [("plan", after / r.denominator)]
        let rows = r.plan.additions.map { a -> String in
            let d = r.districts[a.district]
            return "<tr><td>\(Fmt.escape(d.id))</td><td>\(Fmt.escape(d.name))</td><td class='n'>\(TextFormat.squareKilometres(d.areaM2))</td>"
                + "<td class='n'>\(d.agedKnown ? d.figures.map { TextFormat.grouped($0.aged) } ?? "–" : "–")</td><td>\(Fmt.escape(a.council))\(a.joinsExisting ? "" : " (new)")</td></tr>"
        }
        let table = rows.isEmpty ? "" : "<table><thead><tr><th>ID</th><th>District</th><th class='n'>Area</th><th class='n'>65+</th><th>Council</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table>"
        let note = "<p class='note'>Share of \(Fmt.escape(r.denominatorSource)). Plan: \(Fmt.escape(r.plan.method)); "
            + "fewest districts first, then the most people aged 65+; each group of added districts joins the council it borders most, or forms a new one.</p>"
        return section("Council coverage (地域協働体のカバー率)",
                       "<div class='cards'>\(cards.joined())</div>" + figures.add("map_coverage", map)
                           + figures.add("chart_coverage_share", Charts.shareSteps(steps, target: r.target, title: "Covered share at the end of each fiscal year"), chart: true)
                           + note + table)
    }

}

extension Charts {
    /// Bars of a share per step (fiscal years, then the plan) with the target as a dashed line.
    public static func shareSteps(_ steps: [(label: String, share: Double)], target: Double, title: String,
                                  width: Int = 960, height: Int = 260) -> String {
        let f = ShareBars(width: width, height: height, bars: steps.count)
        var s = f.opening(title: title)
        for (i, step) in steps.enumerated() {
            s.append(f.bar(i, step.share, fill: step.label == "plan" ? Palette.joinsCouncil : Palette.covered))
            s.append(f.text(i, y: f.y(step.share) - 5, size: 12, TextFormat.percent(step.share)))
            s.append(f.label(i, Fmt.escape(step.label)))
        }
        s.append("<line x1='\(Fmt.px(f.left))' x2='\(Fmt.px(f.w - f.right))' y1='\(Fmt.px(f.y(target)))' y2='\(Fmt.px(f.y(target)))' stroke='#d7191c' stroke-dasharray='5 4' stroke-width='1.5'/>"
                 + "<text x='\(Fmt.px(f.left + 6))' y='\(Fmt.px(f.y(target) - 5))' font-size='12' fill='#d7191c'>target \(TextFormat.percent(target))</text>")
        s.append("</svg>")
        return s.joined(separator: "\n")
    }
}
