import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

extension MergeLayer {
    /// The units after a scenario, merged ones dissolved, styled by aging rate (simplestyle-spec
    /// and QGIS alike; in geojson.io merged units also get a heavy outline).
    public func layer(_ result: ScenarioResult, crs: CRS, engine: GeometryEngine = GeometryEngine()) throws -> Layer {
        let shapes = try result.units.map { u in
            (unit: u, geometry: u.isMerge ? try engine.union(u.members.map { units[$0].geometry }) : units[u.members[0]].geometry)
        }
        let aging = LayerStyle.agingRate()
        let style: [Column<MergedUnit>] = [
            .string("fill") { aging.colour(agedKnown ? $0.figures.rate.map(FieldValue.real) ?? .null : .null) },
            .real("fill-opacity") { _ in 0.75 },
            .string("stroke") { $0.isMerge ? Palette.strongOutline : Palette.outline },
            .real("stroke-width") { $0.isMerge ? 2 : 0.5 },
        ]
        let columns = (attributes + style).map { c in Column<(unit: MergedUnit, geometry: Geometry)>(c.field.name, c.field.type) { c.value($0.unit) } }
        var layer = Layer(name: result.name, crs: crs, rows: shapes, geometry: \.geometry, columns: columns)
        layer.style = aging
        return layer
    }

    /// The layer's attributes without styling, for the CSV.
    public func table(_ result: ScenarioResult) -> Table {
        Table(columns: attributes.map(\.field.name), rows: result.units.map { u in attributes.map { $0.value(u).csvText } })
    }

    /// A merged unit's attributes, in the layer and in the CSV alike.
    private var attributes: [Column<MergedUnit>] {
        func aged(_ u: MergedUnit) -> AgingFigures? { agedKnown ? u.figures : nil }
        func members(_ u: MergedUnit, _ c: AgingClasses) -> Int { u.members.filter { classes(figures[$0]).contains(c) }.count }
        return [
            .string("unit_id") { $0.id },
            .string("name") { $0.name },
            .flag("merged") { $0.isMerge },
            .string("members") { $0.members.map { units[$0].id }.joined(separator: " ") },
            .integer("member_count") { $0.members.count },
            .integer("population") { $0.figures.population },
            .integer("households") { $0.figures.households },
            .integer("aged_65_plus") { aged($0)?.aged },
            .real("aging_rate", digits: 4) { aged($0)?.rate },
            .string("class") { classes($0.figures).strongest },
            .integer("members_small_and_aged") { members($0, .smallAndAged) },
            .integer("members_aged_50") { members($0, .marginal) },
            .real("area_m2", digits: 3) { $0.areaM2 },
            .string("contiguity") { $0.contiguity.rawValue },
        ]
    }

    /// One row per small-and-aged hamlet: what the proposal did with it and why.
    public func outcomeTable(_ proposal: MergeProposal) -> Table {
        let unitByID = Dictionary(proposal.scenario.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = proposal.outcomes.map { o -> [String] in
            let h = units[o.hamlet], f = figures[o.hamlet]
            var cells = [h.id, h.name, f.households.map(String.init) ?? "", f.rate.map(percent) ?? ""]
            switch o.result {
            case .merged(let unit, let added, let border):
                let u = unitByID[unit]
                cells += ["merged", unit, added.map { units[$0].id }.joined(separator: " "), u.map { String($0.members.count) } ?? "",
                          u?.figures.households.map(String.init) ?? "", u?.figures.rate.map(percent) ?? "", formatReal(rounded(border, 1)), ""]
            case .absorbed(let unit, let by):
                let u = unitByID[unit]
                cells += ["merged", unit, "", u.map { String($0.members.count) } ?? "", u?.figures.households.map(String.init) ?? "",
                          u?.figures.rate.map(percent) ?? "", "", "taken in by the merge proposed for \(units[by].id)"]
            case .unmergeable(let reason):
                cells += ["not merged", "", "", "", "", "", "", reason]
            }
            return cells
        }
        return Table(columns: ["hamlet_id", "name", "households", "aging_rate_pct", "outcome", "unit_id", "added", "unit_members",
                               "unit_households", "unit_aging_rate_pct", "new_shared_boundary_m", "note"], rows: rows)
    }
}

/// All scenarios side by side: the layer before, then each scenario's counts after.
public struct MergeComparison: Sendable {
    public var baseline: ClassCounts
    public var results: [ScenarioResult]

    public init(baseline: ClassCounts, results: [ScenarioResult]) {
        self.baseline = baseline; self.results = results
    }

    public func table() -> Table {
        let b = baseline
        var rows = [["(now)", String(b.units), "0", "0", String(b.smallAndAged), String(b.marginal), String(b.support), ""]]
        for r in results {
            let merges = r.merges
            rows.append([r.name, String(r.after.units), String(merges.count), String(merges.reduce(0) { $0 + $1.members.count }),
                         String(r.after.smallAndAged), String(r.after.marginal), String(r.after.support),
                         merges.compactMap(\.figures.households).min().map(String.init) ?? ""])
        }
        return Table(columns: ["scenario", "units", "merges", "units_merged", "small_and_aged", "aged_50", "aged_45",
                               "smallest_merge_households"], rows: rows)
    }

    /// GitHub-flavoured Markdown, with "before → after" for the classes.
    public func markdown() -> String {
        let b = baseline
        var lines = ["| scenario | units | merges | units merged | small and aged | aged ≥ 50 % | aged ≥ 45 % |",
                     "|---|---:|---:|---:|---:|---:|---:|",
                     "| (now) | \(b.units) | 0 | 0 | \(b.smallAndAged) | \(b.marginal) | \(b.support) |"]
        for r in results {
            let merges = r.merges
            lines.append("| \(r.name.replacingOccurrences(of: "|", with: "\\|")) | \(b.units) → \(r.after.units) | \(merges.count) | "
                         + "\(merges.reduce(0) { $0 + $1.members.count }) | \(b.smallAndAged) → \(r.after.smallAndAged) | "
                         + "\(b.marginal) → \(r.after.marginal) | \(b.support) → \(r.after.support) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension RegionSolution {
    /// The regions as a scenario: each region is one unit (a region of one unit is left as is).
    public func scenario(_ layer: MergeLayer, name: String = "regions") -> ScenarioResult {
        let units = regions.enumerated().map { r, members -> MergedUnit in
            members.count == 1
                ? layer.unit(id: layer.units[members[0]].id, name: layer.units[members[0]].name, members: members, contiguity: .single)
                : layer.unit(id: String(format: "region-%03d", r + 1), name: String(format: "region %d", r + 1), members: members,
                             contiguity: members.allSatisfy { a in layer.graph.neighbours(a).contains { members.contains($0) && !layer.isIslandLink(a, $0) } }
                                 ? .borders : .islandLink)
        }
        return ScenarioResult(name: name, units: units, before: layer.baseline, after: layer.counts(units.map(\.figures)))
    }

    /// `id,region` per unit (region numbered from 1), for joining back in QGIS or a spreadsheet.
    public func assignmentTable(_ layer: MergeLayer) -> Table {
        Table(columns: ["id", "region"], rows: layer.units.indices.map { [layer.units[$0].id, String(labels[$0] + 1)] })
    }

    public func summaryJSON(_ problem: RegionProblem, options: RegionOptions) throws -> [UInt8] {
        let sums = regions.map { $0.reduce(0) { $0 + problem.values[$1] } }
        let object: [String: Any] = [
            "regions": p, "upper_bound": upperBound, "constructed": constructed,
            "floor": ["attribute": problem.floorName, "value": problem.floor],
            "maximum_aging_rate": problem.maximumAgingRate ?? NSNull(),
            "seed": options.seed, "constructions": options.constructions,
            "smallest_region": sums.min() ?? 0, "largest_region": sums.max() ?? 0, "units": problem.count,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return [UInt8](data) + [0x0A]
    }
}

extension MergeLayer {
    /// The max-p instance of this layer: floor on households or population, contiguity from the graph.
    public func regionProblem(floor: Double, on attribute: RegionFloorAttribute, maximumAgingRate: Double?) -> RegionProblem {
        RegionProblem(values: figures.map { Double(attribute == .households ? $0.households ?? 0 : $0.population) },
                      floor: floor, neighbours: units.indices.map { graph.neighbours($0) },
                      population: figures.map { $0.population - $0.unknownAge }, aged: figures.map(\.aged),
                      maximumAgingRate: maximumAgingRate, floorName: attribute.rawValue, ids: units.map(\.id))
    }
}

public enum RegionFloorAttribute: String, Sendable, CaseIterable {
    case households, population
}
