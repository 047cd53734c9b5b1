import Demography
import GeoCore
import GeoEngine
import GeoIO

/// What the covered share is measured against.
public enum CoverageDenominator: String, Sendable, CaseIterable {
    /// The districts' total area in the plane zone: what e-Stat's AREA adds up to, the plans' KPI.
    case districts
    /// The study area's outline (e.g. N03), measured in the same plane zone.
    case outline
}

/// Council coverage of a study area: the covered share by fiscal year against a target, and the
/// fewest districts to add to reach it (CBC).
public struct CoverageStudy: Sendable {
    public var report: CoverageReport
    /// The districts' source CRS (of the outputs) and the plane zone they were measured in.
    public var crs: CRS
    public var planarCRS: CRS
    /// The districts' source, for titles.
    public var source: String

    /// The files `write(to:)` puts in its folder.
    public static let files = ["coverage.geojson", "councils.geojson", "coverage_summary.json", "coverage_summary.csv", "coverage.html"]

    /// Runs on the area's districts (census counts joined where it has a census) and councils.
    public static func run(_ area: StudyArea, denominator: CoverageDenominator = .districts,
                           options: CoverageOptions = CoverageOptions(),
                           progress: (String) -> Void = { _ in }) throws -> CoverageStudy {
        guard let map = area.councils else { throw ParameterError("councils", "coverage needs the councils (a mapping or polygons)") }
        let loaded = area.districts
        let membership = try CoverageInputs.membership(map, districtIDs: loaded.districts.map(\.id))
        var warnings = area.councilWarnings
        var total = loaded.districts.reduce(0) { $0 + $1.areaM2 }
        var source = "the sum of the \(loaded.districts.count) districts' areas (\(loaded.zone))"
        if denominator == .outline {
            guard let outline = area.outline else { throw ParameterError("outline", "the outline denominator needs an outline layer") }
            let measured = try CoverageInputs.outlineArea(outline, districts: loaded.districts, districtCRS: loaded.crs,
                                                          planarCRS: loaded.planarCRS)
            total = measured.area
            source = "the outline \(outline.path) (\(loaded.zone))"
            warnings += measured.warnings
        }
        progress("computing coverage, contiguity and the plan")
        var report = try Coverage.run(loaded.districts, planarCRS: loaded.planarCRS, membership: membership,
                                      councils: map.councils, denominator: total, denominatorSource: source, options: options)
        report.warnings = warnings + report.warnings
        return CoverageStudy(report: report, crs: loaded.crs, planarCRS: loaded.planarCRS, source: area.sources.boundaries)
    }
}
