import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// Map colours (simplestyle-spec) shared by the GeoJSON outputs and the SVG map.
public enum CoveragePalette {
    public static let covered = "#2c7fb8"
    public static let joins = "#fdae61"
    public static let new = "#d7191c"
    public static let uncovered = "#e0e0e0"
}

extension CoverageReport {
    /// Each district with its council, year, covered flag and the plan's proposal.
    public func districtLayer(crs: CRS) -> Layer {
        let proposal = Dictionary(uniqueKeysWithValues: plan.additions.map { ($0.district, $0) })
        let fields = [Field("id", .string), Field("name", .string), Field("council", .string), Field("fiscal_year", .integer),
                      Field("covered", .integer), Field("proposed_council", .string), Field("joins_existing", .integer),
                      Field("area_m2", .real), Field("population", .integer), Field("households", .integer),
                      Field("aged_65_plus", .integer), Field("aging_rate", .real), Field("island_link", .integer),
                      Field("fill", .string), Field("fill-opacity", .real), Field("stroke", .string), Field("stroke-width", .real)]
        let islands = Set(graph.edges.filter(\.isIslandLink).flatMap { [$0.a, $0.b] })
        let features = districts.indices.map { i -> Feature in
            let d = districts[i], p = proposal[i], f = d.figures
            let fill = councilOf[i] != nil ? CoveragePalette.covered
                : p.map { $0.joinsExisting ? CoveragePalette.joins : CoveragePalette.new } ?? CoveragePalette.uncovered
            return Feature(geometry: d.geometry, values: [
                .string(d.id), .string(d.name), councilOf[i].map(FieldValue.string) ?? .null,
                fiscalYearOf[i].map(FieldValue.integer) ?? .null, .integer(councilOf[i] == nil ? 0 : 1),
                p.map { .string($0.council) } ?? .null, p.map { .integer($0.joinsExisting ? 1 : 0) } ?? .null,
                .real(rounded(d.areaM2, 3)), f.map { .integer($0.population) } ?? .null,
                f?.households.map(FieldValue.integer) ?? .null, d.agedKnown ? f.map { .integer($0.aged) } ?? .null : .null,
                d.agedKnown ? f?.rate.map { .real(rounded($0, 4)) } ?? .null : .null, .integer(islands.contains(i) ? 1 : 0),
                .string(fill), .real(0.7), .string("#555555"), .real(0.5),
            ])
        }
        return Layer(name: "coverage", crs: crs, fields: fields, features: features)
    }

    /// Councils dissolved into polygons, established and proposed.
    public func councilLayer(crs: CRS, engine: GeometryEngine = GeometryEngine()) throws -> Layer {
        let fields = [Field("council", .string), Field("fiscal_year", .integer), Field("proposed", .integer),
                      Field("districts", .integer), Field("area_m2", .real), Field("share", .real),
                      Field("population", .integer), Field("households", .integer), Field("aged_65_plus", .integer),
                      Field("aging_rate", .real), Field("fill", .string), Field("fill-opacity", .real),
                      Field("stroke", .string), Field("stroke-width", .real)]
        let features = try councils.filter { !$0.members.isEmpty }.map { c -> Feature in
            let geometry = try engine.coverageUnion(c.members.map { districts[$0].geometry })
            let proposedNew = c.proposed
            return Feature(geometry: geometry, values: [
                .string(c.name), c.fiscalYear.map(FieldValue.integer) ?? .null, .integer(c.proposed ? 1 : 0),
                .integer(c.members.count), .real(rounded(c.areaM2, 3)), .real(rounded(c.share, 6)),
                .integer(c.figures.population), c.figures.households.map(FieldValue.integer) ?? .null,
                c.agedKnown ? .integer(c.figures.aged) : .null, c.agedKnown ? c.figures.rate.map { .real(rounded($0, 4)) } ?? .null : .null,
                .string(proposedNew ? CoveragePalette.new : CoveragePalette.covered), .real(0.5),
                .string("#222222"), .real(1.5),
            ])
        }
        return Layer(name: "councils", crs: crs, fields: fields, features: features)
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
