import GeoCore
import GeoIO

extension AgingStudy {
    /// Small areas or hamlets as a layer: counts, rate, classes, council and map styling.
    public func layer(_ units: [UnitAging], name: String, crs: CRS) -> Layer {
        // Class flags only where the unit has figures.
        func flag(_ c: AgingClasses) -> (UnitAging) -> Bool? { { u in u.figures == nil ? nil : u.classes.contains(c) } }
        return Layer(name: name, crs: crs, rows: units, geometry: \.geometry, columns: [
            .string("id") { $0.id },
            .string("name") { $0.name },
            .string("KEY_CODE") { $0.keyCode },
            .integer("population") { $0.figures?.population },
            .integer("aged_65_plus") { $0.figures?.aged },
            .integer("households") { $0.figures?.households },
            .real("aging_rate", digits: 4) { $0.figures?.rate },
            .flag("aged_50", flag(.marginal)),
            .flag("aged_45", flag(.support)),
            .flag("small_and_aged", flag(.smallAndAged)),
            .string("council") { $0.council },
            .string("census") { $0.status },
            .real("area_m2", digits: 3) { $0.areaM2 },
        ]).styled(.agingRate())
    }

    /// Councils as a table, with the plan's published figures beside the computed ones.
    public func councilTable() -> Table {
        Table(columns: ["council", "area", "fiscal_year", "basis", "members", "population", "aged_65_plus", "households",
                        "aging_rate", "published_population", "published_aged_65_plus", "published_households",
                        "published_aging_rate"],
              rows: councils.map { c in
                  let p = c.council.published
                  return [c.council.name, c.council.area ?? "", c.council.fiscalYear.map(String.init) ?? "", c.basis,
                          String(c.members), String(c.figures.population), String(c.figures.aged),
                          c.figures.households.map(String.init) ?? "", c.figures.rate.map(percent) ?? "",
                          p.map { String($0.population) } ?? "", p.map { String($0.aged) } ?? "",
                          p?.households.map(String.init) ?? "", p?.rate.map(percent) ?? ""]
              })
    }
}

/// A share as a percentage with two decimals, as the plans print it ("39.70").
public func percent(_ share: Double) -> String {
    let hundredths = Int((share * 10000).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
