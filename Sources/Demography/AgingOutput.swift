import GeoCore
import GeoIO

/// Colours for aging-rate bands, shared by GeoJSON styling (simplestyle-spec) and SVG maps,
/// so a map looks the same in geojson.io and in the report.
public enum AgingPalette {
    public static let bands: [(lower: Double, colour: String, label: String)] = [
        (0.00, "#fef0d9", "< 30%"),
        (0.30, "#fdcc8a", "30–40%"),
        (0.40, "#fc8d59", "40–45%"),
        (0.45, "#e34a33", "45–50%"),
        (0.50, "#b30000", "≥ 50%"),
    ]
    public static let noData = "#cccccc"

    public static func colour(_ rate: Double?) -> String {
        guard let rate else { return noData }
        return bands.last { rate >= $0.lower - 1e-12 }!.colour
    }
}

extension AgingStudy {
    /// Small areas or hamlets as a layer: counts, rate, classes, council and map styling.
    public func layer(_ units: [UnitAging], name: String, crs: CRS) -> Layer {
        let fields = [Field("id", .string), Field("name", .string), Field("KEY_CODE", .string),
                      Field("population", .integer), Field("aged_65_plus", .integer), Field("households", .integer),
                      Field("aging_rate", .real), Field("aged_50", .integer), Field("aged_45", .integer),
                      Field("small_and_aged", .integer), Field("council", .string), Field("census", .string),
                      Field("area_m2", .real), Field("fill", .string), Field("fill-opacity", .real), Field("stroke", .string),
                      Field("stroke-width", .real)]
        let features = units.map { u -> Feature in
            let f = u.figures
            func flag(_ c: AgingClasses) -> FieldValue { f == nil ? .null : .integer(u.classes.contains(c) ? 1 : 0) }
            return Feature(geometry: u.geometry, values: [
                .string(u.id), .string(u.name), .string(u.keyCode),
                f.map { .integer($0.population) } ?? .null, f.map { .integer($0.aged) } ?? .null,
                f?.households.map { .integer($0) } ?? .null,
                f?.rate.map { .real(rounded($0, 4)) } ?? .null,
                flag(.marginal), flag(.support), flag(.smallAndAged),
                u.council.map { .string($0) } ?? .null, .string(u.status),
                u.areaM2.map { .real(rounded($0, 3)) } ?? .null,
                .string(AgingPalette.colour(f?.rate)), .real(0.75), .string("#555555"), .real(0.5),
            ])
        }
        return Layer(name: name, crs: crs, fields: fields, features: features)
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
