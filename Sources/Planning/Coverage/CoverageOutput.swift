import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

extension CoverageReport {
    /// What a map shows of district i: the fiscal year its council began, or the plan's proposal.
    public func coverageClass(_ i: Int) -> String {
        if councilOf[i] != nil { return fiscalYearOf[i].map { "FY\($0)" } ?? "covered" }
        let proposal = plan.additions.first { $0.district == i }
        return proposal.map { $0.joinsExisting ? "joins" : "new" } ?? "none"
    }

    /// Districts by the fiscal year their council began (earliest darkest), the plan's additions
    /// and what stays uncovered.
    public var districtStyle: LayerStyle {
        let years = Set(fiscalYearOf.compactMap { $0 }).sorted()
        let covered = years.enumerated().map { k, year in
            LayerStyle.Class.category("FY\(year)", Palette.coverageYears[min(k, Palette.coverageYears.count - 1)], "council since FY\(year)")
        } + (councilOf.indices.contains { councilOf[$0] != nil && fiscalYearOf[$0] == nil } ? [.category("covered", Palette.covered, "in a council")] : [])
        return LayerStyle(.fill, .categorized(field: "coverage_class", classes: covered + [
            .category("joins", Palette.joinsCouncil, "plan: joins a council"),
            .category("new", Palette.newCouncil, "plan: new council"),
        ], other: .category(nil, Palette.notReached, "not covered")), opacity: 0.75)
    }

    /// Each district with its council, year, covered flag and the plan's proposal.
    public func districtLayer(crs: CRS) -> Layer {
        let proposal = Dictionary(uniqueKeysWithValues: plan.additions.map { ($0.district, $0) })
        let islands = Set(graph.edges.filter(\.isIslandLink).flatMap { [$0.a, $0.b] })
        func aged(_ i: Int) -> AgingFigures? { districts[i].agedKnown ? districts[i].figures : nil }
        return Layer(name: "coverage", crs: crs, rows: Array(districts.indices), geometry: { districts[$0].geometry }, columns: [
            .string("id") { districts[$0].id },
            .string("name") { districts[$0].name },
            .string("council") { councilOf[$0] },
            .integer("fiscal_year") { fiscalYearOf[$0] },
            .flag("covered") { councilOf[$0] != nil },
            .string("proposed_council") { proposal[$0]?.council },
            .flag("joins_existing") { proposal[$0]?.joinsExisting },
            .real("area_m2", digits: 3) { districts[$0].areaM2 },
            .integer("population") { districts[$0].figures?.population },
            .integer("households") { districts[$0].figures?.households },
            .integer("aged_65_plus") { aged($0)?.aged },
            .real("aging_rate", digits: 4) { aged($0)?.rate },
            .flag("island_link") { islands.contains($0) },
            .string("coverage_class") { coverageClass($0) },
        ]).styled(districtStyle)
    }

    /// Councils dissolved into polygons, established and proposed.
    public func councilLayer(crs: CRS, engine: GeometryEngine = GeometryEngine()) throws -> Layer {
        let shapes = try councils.filter { !$0.members.isEmpty }.map { c in
            (council: c, geometry: try engine.coverageUnion(c.members.map { districts[$0].geometry }))
        }
        func aged(_ c: CouncilCoverage) -> AgingFigures? { c.agedKnown ? c.figures : nil }
        return Layer(name: "councils", crs: crs, rows: shapes, geometry: \.geometry, columns: [
            .string("council") { $0.council.name },
            .integer("fiscal_year") { $0.council.fiscalYear },
            .flag("proposed") { $0.council.proposed },
            .integer("districts") { $0.council.members.count },
            .real("area_m2", digits: 3) { $0.council.areaM2 },
            .real("share", digits: 6) { $0.council.share },
            .integer("population") { $0.council.figures.population },
            .integer("households") { $0.council.figures.households },
            .integer("aged_65_plus") { aged($0.council)?.aged },
            .real("aging_rate", digits: 4) { aged($0.council)?.rate },
        ]).styled(LayerStyle(.fill, .categorized(field: "proposed", classes: [
            .category("0", Palette.covered, "council"), .category("1", Palette.newCouncil, "proposed council"),
        ], other: nil), opacity: 0.35, stroke: Palette.strongOutline, width: 0.6, labelField: "council", labelScale: 250_000))
    }

    /// One row per council (established, then proposed) and a total row.
    public func councilTable() -> Table {
        var rows = councils.map { c in
            [c.name, c.fiscalYear.map(String.init) ?? "", c.proposed ? "proposed" : "established", String(c.members.count),
             km(c.areaM2), percent(c.share), String(c.figures.population), c.figures.households.map(String.init) ?? "",
             c.agedKnown ? String(c.figures.aged) : "", c.agedKnown ? c.figures.rate.map(percent) ?? "" : ""]
        }
        let after = coveredArea + plan.addedArea
        rows.append(["(covered now)", "", "", String(councilOf.compactMap { $0 }.count), km(coveredArea), percent(share), "", "", "", ""])
        rows.append(["(with the plan)", "", "", String(councilOf.compactMap { $0 }.count + plan.additions.count), km(after),
                     percent(after / denominator), "", "", "", ""])
        return Table(columns: ["council", "fiscal_year", "status", "districts", "area_km2", "share_pct", "population",
                               "households", "aged_65_plus", "aging_rate_pct"], rows: rows)
    }

    /// Everything in the terminal summary, as JSON (sorted keys, so the file is reproducible).
    public func summaryJSON() throws -> [UInt8] {
        let object: [String: Any] = [
            "denominator": ["area_m2": rounded(denominator, 3), "source": denominatorSource],
            "covered": ["area_m2": rounded(coveredArea, 3), "share": rounded(share, 6),
                        "districts": councilOf.compactMap { $0 }.count, "of_districts": districts.count],
            "target": ["share": target, "gap_m2": rounded(gapArea, 3), "gap_share": rounded(gapArea / denominator, 6)],
            "timeline": timeline.map { ["fiscal_year": $0.fiscalYear, "area_m2": rounded($0.area, 3), "share": rounded($0.share, 6)] },
            "councils": councils.map { c in
                ["name": c.name, "fiscal_year": c.fiscalYear as Any, "proposed": c.proposed,
                 "districts": c.members.map { districts[$0].id }, "area_m2": rounded(c.areaM2, 3), "share": rounded(c.share, 6),
                 "population": c.figures.population, "aged_65_plus": c.agedKnown ? c.figures.aged : NSNull(),
                 "aging_rate": (c.agedKnown ? c.figures.rate.map { rounded($0, 4) } : nil) ?? NSNull()] as [String: Any]
            },
            "plan": [
                "method": plan.method, "proven_optimal": plan.provenOptimal, "reachable": plan.reachable,
                "objective": plan.objective, "bound": plan.bound,
                "added_area_m2": rounded(plan.addedArea, 3),
                "share_after": rounded((coveredArea + plan.addedArea) / denominator, 6),
                "additions": plan.additions.map { a in
                    ["id": districts[a.district].id, "name": districts[a.district].name, "council": a.council,
                     "joins_existing": a.joinsExisting, "area_m2": rounded(districts[a.district].areaM2, 3)] as [String: Any]
                },
            ] as [String: Any],
            "contiguity": ["borders": graph.edges.filter { !$0.isIslandLink }.count,
                           "island_links": graph.edges.filter(\.isIslandLink).map { ["a": districts[$0.a].id, "b": districts[$0.b].id, "gap_m": rounded($0.gap, 1)] },
                           "isolated": graph.isolated.map { districts[$0].id }] as [String: Any],
            "warnings": warnings,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return [UInt8](data) + [0x0A]
    }
}

func km(_ m2: Double) -> String { String(format: "%.3f", m2 / 1e6) }
