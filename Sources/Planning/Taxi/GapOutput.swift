import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

extension TransitGapResult {
    /// The gap of each district that has one, in `crs` (through `toOutput` from the plane zone).
    public func gapLayer(_ districts: [District], crs: CRS, toOutput: Transformer) throws -> Layer {
        let shapes = try self.districts.compactMap { g in try g.gap.map { (gap: g, geometry: try toOutput.transform($0)) } }
        return Layer(name: "transit_gap", crs: crs, rows: shapes, geometry: \.geometry, columns: [
            .string("id") { districts[$0.gap.district].id },
            .string("name") { districts[$0.gap.district].name },
            .real("area_m2", digits: 3) { $0.gap.area },
            .real("gap_area_m2", digits: 3) { $0.gap.gapArea },
            .real("gap_share", digits: 6) { $0.gap.share },
            .real("population_in_gap", digits: 2) { $0.gap.population },
            .real("aged_in_gap", digits: 2) { $0.gap.aged },
        ]).styled(LayerStyle(.fill, .single(colour: Palette.gap, label: "transit gap"), opacity: 0.45, stroke: Palette.gap, width: 0))
    }

    /// One row per district: its people and how many live in the gap (apportioned by area).
    public func gapTable(_ districts: [District]) -> Table {
        let rows = self.districts.map { g -> [String] in
            let d = districts[g.district], f = d.figures
            return [d.id, d.name, formatReal(rounded(g.area, 3)), formatReal(rounded(g.gapArea, 3)), formatReal(rounded(g.share, 6)),
                    f.map { String($0.population) } ?? "", d.agedKnown ? f.map { String($0.aged) } ?? "" : "",
                    formatReal(rounded(g.population, 2)), d.agedKnown ? formatReal(rounded(g.aged, 2)) : ""]
        }
        return Table(columns: ["id", "name", "area_m2", "gap_area_m2", "gap_share", "population", "aged_65_plus",
                               "population_in_gap", "aged_in_gap"], rows: rows)
    }

    public func totals(_ districts: [District]) -> (population: Int, aged: Int, agedKnown: Bool) {
        (districts.reduce(0) { $0 + ($1.figures?.population ?? 0) }, districts.reduce(0) { $0 + ($1.figures?.aged ?? 0) },
         districts.allSatisfy(\.agedKnown))
    }

    public func summaryJSON(_ districts: [District], sources: [String]) throws -> [UInt8] {
        let t = totals(districts)
        let object: [String: Any] = [
            "method": "a district's people in the gap = its count × gap area / its area (people assumed spread evenly over the district)",
            "walk": options.walk.description,
            "radius_m": ["bus_stop": options.busStopRadius, "station": options.stationRadius],
            "stops": ["files": sources, "used": stopsUsed, "outside_the_area": stopsOutside.count,
                      "outside_names": stopsOutside.prefix(50).map(\.point.label)] as [String: Any],
            "districts": self.districts.count,
            "districts_with_gap": self.districts.filter { $0.gap != nil }.count,
            "area_m2": rounded(area, 3), "gap_area_m2": rounded(gapArea, 3), "gap_share": rounded(area > 0 ? gapArea / area : 0, 6),
            "population": t.population, "population_in_gap": rounded(populationInGap, 2),
            "aged_65_plus": t.agedKnown ? t.aged as Any : NSNull(),
            "aged_in_gap": t.agedKnown ? rounded(agedInGap, 2) as Any : NSNull(),
        ]
        return try jsonBytes(object)
    }
}

extension StopProposal {
    public func layer(_ districts: [District], riders: [Int]?, crs: CRS, toOutput: Transformer) throws -> Layer {
        let at = try toOutput.transform(stops.map(\.position))
        return Layer(name: "proposed_stops", crs: crs, rows: Array(stops.indices), geometry: { .point(at[$0]) }, columns: [
            .string("name") { stops[$0].name },
            .real("x", digits: 7) { at[$0].x },
            .real("y", digits: 7) { at[$0].y },
            .string("district") { stops[$0].district.map { districts[$0].id } },
            .string("district_name") { stops[$0].district.map { districts[$0].name } },
            .real("aged_covered", digits: 2) { stops[$0].aged },
            .real("population_covered", digits: 2) { stops[$0].population },
            .integer("riders") { riders?[$0] },
        ]).styled(LayerStyle(.marker, .single(colour: Palette.proposedStop, label: "proposed stop"), stroke: Palette.strongOutline,
                             width: 0.3, size: 3.2, labelField: "name", labelScale: 150_000))
    }
}

func jsonBytes(_ object: Any) throws -> [UInt8] {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return [UInt8](data) + [0x0A]
}
