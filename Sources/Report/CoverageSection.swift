import Demography
import GeoCore
import Planning

extension HTMLReport {
    /// Council coverage: key figures, the map of covered, proposed and uncovered districts, the
    /// covered share by fiscal year against the target, and the plan.
    static func coverageSection(_ r: CoverageReport, frame: MapFrame, outline: [Geometry], figures: inout Figures) throws -> String {
        let after = r.coveredArea + r.plan.addedArea
        let cards = [
            card("Covered share", "協働体カバー率", Fmt.rate(r.share), detail: "\(km2(r.coveredArea)) of \(km2(r.denominator))"),
            card("Target", "目標", Fmt.rate(r.target), detail: r.gapArea > 0 ? "\(km2(r.gapArea)) to go" : "reached"),
            card("With the plan", "計画後", Fmt.rate(after / r.denominator),
                 detail: "\(r.plan.additions.count) district(s) added" + (r.plan.provenOptimal ? ", fewest possible" : "")),
        ]
        let proposal = Dictionary(uniqueKeysWithValues: r.plan.additions.map { ($0.district, $0) })
        let drawn = try frame.draw(r.districts.map(\.geometry), widthPixels: 960)
        let shapes = r.districts.indices.map { i -> SVGMap.MapShape in
            let d = r.districts[i], p = proposal[i]
            let fill = r.councilOf[i] != nil ? CoveragePalette.covered
                : p.map { $0.joinsExisting ? CoveragePalette.joins : CoveragePalette.new } ?? CoveragePalette.uncovered
            var tip = "\(d.name) (\(d.id))\n\(km2(d.areaM2))"
            if let c = r.councilOf[i] { tip += "\n\(c)" + (r.fiscalYearOf[i].map { " (FY\($0))" } ?? "") }
            if let p { tip += "\nplan: " + (p.joinsExisting ? "join \(p.council)" : p.council) }
            return SVGMap.MapShape(id: d.id, geometry: drawn[i], fill: fill, tooltip: tip, emphasised: p != nil)
        }
        let map = SVGMap.map(shapes, width: 960, title: "Council coverage and the plan", legendTitle: "Districts",
                             legend: [(CoveragePalette.covered, "in a council"), (CoveragePalette.joins, "plan: joins a council"),
                                      (CoveragePalette.new, "plan: new council"), (CoveragePalette.uncovered, "not covered")],
                             outline: outline)
        let steps = r.timeline.map { ("FY\($0.fiscalYear)", $0.share) } + [("plan", after / r.denominator)]
        let rows = r.plan.additions.map { a -> String in
            let d = r.districts[a.district]
            return "<tr><td>\(Fmt.escape(d.id))</td><td>\(Fmt.escape(d.name))</td><td class='n'>\(km2(d.areaM2))</td>"
                + "<td class='n'>\(d.agedKnown ? d.figures.map { Fmt.grouped($0.aged) } ?? "–" : "–")</td><td>\(Fmt.escape(a.council))\(a.joinsExisting ? "" : " (new)")</td></tr>"
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

    static func km2(_ m2: Double) -> String {
        let tenths = Int((m2 / 1e5).rounded())
        return "\(Fmt.grouped(tenths / 10)).\(tenths % 10) km²"
    }
}

extension Charts {
    /// Bars of a share per step (fiscal years, then the plan) with the target as a dashed line.
    public static func shareSteps(_ steps: [(label: String, share: Double)], target: Double, title: String,
                                  width: Int = 960, height: Int = 260) -> String {
        let w = Double(width), h = Double(height)
        let (left, right, top, bottom) = (48.0, 16.0, 44.0, 30.0)
        let plotW = w - left - right, plotH = h - top - bottom
        func y(_ share: Double) -> Double { top + (1 - min(max(share, 0), 1)) * plotH }
        let slot = plotW / Double(max(steps.count, 1))
        var s = [SVGMap.header(width: w, height: h, label: title)]
        s.append("<text x='12' y='24' font-size='15' font-weight='600' fill='#222'>\(Fmt.escape(title))</text>")
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            s.append("<line x1='\(Fmt.px(left))' x2='\(Fmt.px(w - right))' y1='\(Fmt.px(y(tick)))' y2='\(Fmt.px(y(tick)))' stroke='#e5e5e5'/>"
                     + "<text x='\(Fmt.px(left - 6))' y='\(Fmt.px(y(tick) + 4))' font-size='11' text-anchor='end' fill='#555'>\(Int(tick * 100))%</text>")
        }
        for (i, step) in steps.enumerated() {
            let x = left + Double(i) * slot + slot * 0.2
            let fill = step.label == "plan" ? CoveragePalette.joins : CoveragePalette.covered
            s.append("<rect x='\(Fmt.px(x))' y='\(Fmt.px(y(step.share)))' width='\(Fmt.px(slot * 0.6))' height='\(Fmt.px(y(0) - y(step.share)))' fill='\(fill)'/>")
            s.append("<text x='\(Fmt.px(x + slot * 0.3))' y='\(Fmt.px(y(step.share) - 5))' font-size='12' text-anchor='middle' fill='#222'>\(Fmt.rate(step.share))</text>")
            s.append("<text x='\(Fmt.px(x + slot * 0.3))' y='\(Fmt.px(h - bottom + 18))' font-size='12' text-anchor='middle' fill='#222'>\(Fmt.escape(step.label))</text>")
        }
        s.append("<line x1='\(Fmt.px(left))' x2='\(Fmt.px(w - right))' y1='\(Fmt.px(y(target)))' y2='\(Fmt.px(y(target)))' stroke='#d7191c' stroke-dasharray='5 4' stroke-width='1.5'/>"
                 + "<text x='\(Fmt.px(left + 6))' y='\(Fmt.px(y(target) - 5))' font-size='12' fill='#d7191c'>target \(Fmt.rate(target))</text>")
        s.append("</svg>")
        return s.joined(separator: "\n")
    }
}
