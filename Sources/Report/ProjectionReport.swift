import Demography
import GeoCore
import GeoIO

/// Colours of "the year a hamlet reaches 50 %": darkest for already, lighter for later, grey for
/// not within the horizon.
public enum ProjectionPalette {
    public static let years = ["#67000d", "#a50f15", "#cb181d", "#ef3b2c", "#fb6a4a", "#fc9272", "#fcbba1", "#fee0d2"]
    public static let never = "#e0e0e0"

    /// The colour of `year` among `years` (the base year first), or grey for nil.
    public static func colour(_ year: Int?, in years: [Int]) -> String {
        guard let year, let i = years.firstIndex(of: year) else { return never }
        return Self.years[min(i, Self.years.count - 1)]
    }
}

extension Charts {
    /// Two population pyramids on one axis: the base year filled, the horizon as an outline; men
    /// left, women right, 0–4 at the bottom.
    public static func pyramid(_ base: AgeStructure, _ horizon: AgeStructure, years: (Int, Int), width: Int = 640,
                               title: String) -> String {
        let w = Double(width), rowH = 16.0, top = 56.0, bottom = 28.0
        let h = top + 16 * rowH + bottom
        let mid = w / 2, half = w / 2 - 60
        // Scaled to the largest 5-year group: the open group 75+ spans many years and would flatten
        // the rest, so its bars stop at the edge with their counts written beside.
        let fiveYear = (0..<15).flatMap { [base.male[$0], base.female[$0], horizon.male[$0], horizon.female[$0]] }
        let largest = fiveYear.max() ?? 1
        func len(_ v: Double) -> Double { largest > 0 ? min(v / largest, 1.05) * half : 0 }
        var s = [SVGMap.header(width: w, height: h, label: title)]
        s.append("<text x='12' y='22' font-size='15' font-weight='600' fill='#222'>\(Fmt.escape(title))</text>")
        s.append("<g font-size='11' fill='#444'><rect x='12' y='32' width='12' height='10' fill='#9ecae1'/><text x='28' y='41'>\(years.0)</text>"
                 + "<rect x='80' y='32' width='12' height='10' fill='none' stroke='#b30000' stroke-width='1.5'/><text x='96' y='41'>\(years.1)</text>"
                 + "<text x='\(Fmt.px(mid - 8))' y='41' text-anchor='end'>men</text><text x='\(Fmt.px(mid + 8))' y='41'>women</text></g>")
        for g in 0..<AgeStructure.groupCount {
            let y = top + Double(15 - g) * rowH
            let label = AgeStructure.groupLabels[g]
            s.append("<rect x='\(Fmt.px(mid - len(base.male[g])))' y='\(Fmt.px(y + 1))' width='\(Fmt.px(len(base.male[g])))' height='\(Fmt.px(rowH - 2))' fill='#9ecae1'><title>men \(label), \(years.0): \(Int(base.male[g].rounded()))</title></rect>")
            s.append("<rect x='\(Fmt.px(mid))' y='\(Fmt.px(y + 1))' width='\(Fmt.px(len(base.female[g])))' height='\(Fmt.px(rowH - 2))' fill='#9ecae1'><title>women \(label), \(years.0): \(Int(base.female[g].rounded()))</title></rect>")
            s.append("<rect x='\(Fmt.px(mid - len(horizon.male[g])))' y='\(Fmt.px(y + 1))' width='\(Fmt.px(len(horizon.male[g])))' height='\(Fmt.px(rowH - 2))' fill='none' stroke='#b30000' stroke-width='1.5'><title>men \(label), \(years.1): \(Int(horizon.male[g].rounded()))</title></rect>")
            s.append("<rect x='\(Fmt.px(mid))' y='\(Fmt.px(y + 1))' width='\(Fmt.px(len(horizon.female[g])))' height='\(Fmt.px(rowH - 2))' fill='none' stroke='#b30000' stroke-width='1.5'><title>women \(label), \(years.1): \(Int(horizon.female[g].rounded()))</title></rect>")
            s.append("<text x='\(Fmt.px(w - 8))' y='\(Fmt.px(y + rowH - 4))' font-size='10' fill='#444' text-anchor='end'>\(label)</text>")
            if g == 15 {
                s.append("<text x='8' y='\(Fmt.px(y + rowH - 4))' font-size='10' fill='#444'>\(TextFormat.grouped(Int(base.male[g].rounded()))) → "
                         + "\(TextFormat.grouped(Int(horizon.male[g].rounded())))</text>"
                         + "<text x='\(Fmt.px(w - 40))' y='\(Fmt.px(y + rowH - 4))' font-size='10' fill='#444' text-anchor='end'>"
                         + "\(TextFormat.grouped(Int(base.female[g].rounded()))) → \(TextFormat.grouped(Int(horizon.female[g].rounded())))</text>")
            }
        }
        s.append("<line x1='\(Fmt.px(mid))' x2='\(Fmt.px(mid))' y1='\(Fmt.px(top))' y2='\(Fmt.px(top + 16 * rowH))' stroke='#444'/>")
        s.append("</svg>")
        return s.joined(separator: "\n")
    }
}

extension HTMLReport {
    /// The page `chiiki project` writes: key figures, the year each hamlet reaches 50 % aged 65+,
    /// the city's pyramid now and at the horizon, and the small areas' years.
    public static func projection(_ study: ProjectionStudy, title: String) throws -> RenderedReport {
        let p = study.projection
        let years = p.years
        let (first, last) = (p.city.first!, p.city.last!)
        let marginal = study.thresholds.marginal
        func areasAt(_ y: Int) -> Int { p.areas.filter { ($0.structures[y].agingRate ?? 0) >= marginal }.count }
        var cards = [
            card("People", "人口", "\(TextFormat.grouped(Int(first.population.rounded()))) → \(TextFormat.grouped(Int(last.population.rounded())))",
                 detail: "\(years.first!) → \(years.last!)"),
            card("Aging rate", "高齢化率", "\(TextFormat.percent(first.agingRate)) → \(TextFormat.percent(last.agingRate))"),
            card("Small areas ≥ 50 %", "小地域", "\(areasAt(0)) → \(areasAt(years.count - 1))", detail: "of \(p.areas.count)"),
        ]
        var figures = Figures()
        var body: [String] = []
        if !study.hamlets.isEmpty {
            let at = { (y: Int) in study.hamlets.filter { h in (study.rates(h)[y] ?? 0) >= marginal }.count }
            cards.append(card("Hamlets ≥ 50 %", "行政区", "\(at(0)) → \(at(years.count - 1))", detail: "of \(study.hamlets.count)"))
            let frame = try MapFrame(study.hamletFrame)
            let drawn = try frame.draw(study.hamlets.map(\.hamlet.geometry), widthPixels: 960)
            let shapes = study.hamlets.indices.map { k -> SVGMap.MapShape in
                let h = study.hamlets[k], year = study.firstYears(h).aged50
                return SVGMap.MapShape(id: h.hamlet.id, geometry: drawn[k], fill: ProjectionPalette.colour(year, in: years),
                                       tooltip: "\(h.hamlet.name): ≥ 50 % " + (year.map { $0 == years[0] ? "already in \($0)" : "from \($0)" } ?? "not by \(years.last!)"))
            }
            let legend = years.map { (ProjectionPalette.colour($0, in: years), $0 == years[0] ? "already (\($0))" : String($0)) }
                + [(ProjectionPalette.never, "not by \(years.last!)")]
            body.append(section("When each hamlet reaches 50 % aged 65+ (限界集落)", figures.add("map_projection_hamlets",
                SVGMap.map(shapes, width: 960, title: "The year each hamlet first reaches 50 % aged 65+", legendTitle: "Year", legend: legend))))
        }
        body.insert("<div class='cards'>\(cards.joined())</div>", at: 0)
        body.insert("<header><h1>\(Fmt.escape(title))</h1><p class='sub'>Cohort change ratios (Hamilton–Perry), \(years.first! - 5)–\(years.first!) → \(years.last!)</p></header>", at: 0)
        body.append(section("The city's population by age", figures.add("chart_projection_pyramid",
            Charts.pyramid(first, last, years: (years.first!, years.last!), title: "Population by sex and age, \(years.first!) and \(years.last!)"), chart: true)))
        let rows = p.areas.map { a -> String in
            let rates = a.structures.map(\.agingRate)
            let year = Demography.Projection.firstYear(years, rates: rates, reaching: marginal)
            return "<tr><td>\(Fmt.escape(a.id))</td><td>\(Fmt.escape(a.name))</td><td class='n'>\(TextFormat.percent(rates.first!))</td>"
                + "<td class='n'>\(TextFormat.percent(rates.last!))</td><td class='n'>\(year.map(String.init) ?? "–")</td>"
                + "<td>\(Fmt.escape(a.borrowed.map { "\(a.ratiosFrom) (\($0))" } ?? "own"))</td></tr>"
        }
        body.append(section("Small areas (小地域)", "<table><tr><th>id</th><th>name</th><th>\(years.first!)</th><th>\(years.last!)</th>"
                            + "<th>≥ 50 % from</th><th>ratios</th></tr>" + rows.joined() + "</table>"))
        let notes = ["Each small area's cohorts move up five years at a time by its cohort change ratio (people five years older now over the group five years before); 75+ from 70+; the 0–4 year olds from the child–woman ratio and the projected women 15–49.",
                     "Areas under \(formatReal(p.options.minPopulation)) people or with implausible ratios use their parent's ratios (listed in the table).",
                     "Hamlets carry no ages: each follows its small area's change in people and in people aged 65+; households follow people.",
                     "People of unknown age are left out, as the aging rate leaves them out."] + p.warnings.map { "Warning: \($0)" }
        body.append(section("Method", "<ul class='notes'>" + notes.map { "<li>\(Fmt.escape($0))</li>" }.joined() + "</ul>"))
        body.append("<footer>Generated by chiiki.</footer>")
        return RenderedReport(html: page(title: title, body: body), figures: figures.items)
    }
}
