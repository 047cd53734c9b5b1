import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

extension TransitGapResult {
    /// The gap of each district that has one, in `crs` (through `toOutput` from the plane zone).
    public func gapLayer(_ districts: [PlanningDistrict], crs: CRS, toOutput: Transformer) throws -> Layer {
        let fields = [Field("id", .string), Field("name", .string), Field("area_m2", .real), Field("gap_area_m2", .real),
                      Field("gap_share", .real), Field("population_in_gap", .real), Field("aged_in_gap", .real),
                      Field("fill", .string), Field("fill-opacity", .real), Field("stroke-width", .real)]
        let features = try self.districts.compactMap { g -> Feature? in
            guard let shape = g.gap else { return nil }
            let d = districts[g.district]
            return Feature(geometry: try toOutput.transform(shape), values: [
                .string(d.id), .string(d.name), .real(rounded(g.area, 3)), .real(rounded(g.gapArea, 3)),
                .real(rounded(g.share, 6)), .real(rounded(g.population, 2)), .real(rounded(g.aged, 2)),
                .string("#d7191c"), .real(0.4), .real(0),
            ])
        }
        return Layer(name: "transit_gap", crs: crs, fields: fields, features: features)
    }

    /// One row per district: its people and how many live in the gap (apportioned by area).
    public func gapTable(_ districts: [PlanningDistrict]) -> Table {
        let rows = self.districts.map { g -> [String] in
            let d = districts[g.district], f = d.figures
            return [d.id, d.name, formatReal(rounded(g.area, 3)), formatReal(rounded(g.gapArea, 3)), formatReal(rounded(g.share, 6)),
                    f.map { String($0.population) } ?? "", d.agedKnown ? f.map { String($0.aged) } ?? "" : "",
                    formatReal(rounded(g.population, 2)), d.agedKnown ? formatReal(rounded(g.aged, 2)) : ""]
        }
        return Table(columns: ["id", "name", "area_m2", "gap_area_m2", "gap_share", "population", "aged_65_plus",
                               "population_in_gap", "aged_in_gap"], rows: rows)
    }

    public func totals(_ districts: [PlanningDistrict]) -> (population: Int, aged: Int, agedKnown: Bool) {
        (districts.reduce(0) { $0 + ($1.figures?.population ?? 0) }, districts.reduce(0) { $0 + ($1.figures?.aged ?? 0) },
         districts.allSatisfy(\.agedKnown))
    }

    public func summaryJSON(_ districts: [PlanningDistrict], sources: [String]) throws -> [UInt8] {
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
    public func layer(_ districts: [PlanningDistrict], riders: [Int]?, crs: CRS, toOutput: Transformer) throws -> Layer {
        let fields = [Field("name", .string), Field("x", .real), Field("y", .real), Field("district", .string),
                      Field("district_name", .string), Field("aged_covered", .real), Field("population_covered", .real),
                      Field("riders", .integer), Field("marker-color", .string)]
        let features = try stops.enumerated().map { k, s -> Feature in
            let d = s.district.map { districts[$0] }
            let at = try toOutput.transform([s.position])[0]
            return Feature(geometry: .point(at), values: [
                .string(s.name), .real(rounded(at.x, 7)), .real(rounded(at.y, 7)),
                d.map { .string($0.id) } ?? .null, d.map { .string($0.name) } ?? .null,
                .real(rounded(s.aged, 2)), .real(rounded(s.population, 2)), riders.map { .integer($0[k]) } ?? .null,
                .string("#1a9641"),
            ])
        }
        return Layer(name: "proposed_stops", crs: crs, fields: fields, features: features)
    }
}

func jsonBytes(_ object: Any) throws -> [UInt8] {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return [UInt8](data) + [0x0A]
}
