import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

struct AgingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aging",
        abstract: "Aging rates (高齢化率) per small area, hamlet and council, with the plans' classes.",
        discussion: """
        Joins an e-Stat census table (population by age) to the boundaries by
        KEY_CODE. Rows for the municipality or for parents of finer rows are
        hierarchy, not unmatched keys; a key that matches nothing is a warning in
        the summary (an error with --strict or when nothing matches). Classes: ≥50%
        (限界), ≥45% (support workers), small-and-aged (≥50% and ≤19 households).

        Output from the extension of -o (.geojson, .gpkg, .csv): the small areas
        there, the hamlets beside it as NAME_hamlets.EXT, the councils as
        NAME_councils.csv (in PostGIS: tables NAME_hamlets and NAME_councils).
        A .gpkg holds all three as layers of one file, styled for QGIS (aging
        classes in the report's colours, Japanese names as labels).

        Examples:
          chiiki aging --boundaries geodata/nagato/h27ka35211.shp \\
                       --census geodata/nagato/census_age_2015_synthetic.csv \\
                       -o areas.geojson
          chiiki aging --boundaries h27ka35211.shp --census census.csv \\
                       --hamlets hamlets.geojson --councils councils.json \\
                       -o out/aging.gpkg
        """)

    @Option(help: "Census small-area boundaries (e-Stat Shapefile, GeoJSON, GeoPackage or PostGIS table).")
    var boundaries: String

    @Option(help: "e-Stat census CSV by small area (two header rows; CP932 or UTF-8).")
    var census: String

    @Option(help: "Hamlet (行政区) polygons with id, population, aged 65+ and households.")
    var hamlets: String?

    @Option(help: "Council mapping: JSON or CSV (name, fiscal_year, key_codes and/or hamlet_ids).")
    var councils: String?

    @Option(name: .shortAndLong, help: "Output for the small areas: .geojson, .gpkg, .csv or a PostGIS table (postgresql://…#schema.table).")
    var output: String

    @Option(help: "Census column (code or label) holding the total (default: found by label).")
    var totalColumn: String?

    @Option(help: "Census column (code or label) holding aged 65+ (default: found by label).")
    var agedColumn: String?

    @Flag(help: "Fail on any census key that matches no boundary, or boundary key with no census row.")
    var strict = false

    @OptionGroup var metric: MetricOptions
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var sources = StudyAreaSources(boundaries: boundaries, census: census, hamlets: hamlets, councils: councils)
            sources.planeShapes = false
            sources.totalColumn = totalColumn
            sources.agedColumn = agedColumn
            sources.strict = strict
            sources.metric = metric.metric
            sources.zone = metric.zone
            sources.encoding = common.encoding
            let files = AgingFiles(beside: output, hamlets: hamlets != nil, councils: councils != nil)
            _ = try OutputFormat(path: output)
            try files.all.forEach { try AtomicOutput.checkWritable($0, overwrite: common.overwrite) }
            let area = try StudyArea.load(sources, progress: console.progress)
            let study = try AgingStudy.run(area, progress: console.progress)
            try study.write(files, area: area, excel: common.excel, overwrite: common.overwrite, progress: console.progress)
            printAgingSummary(study, area: area, console: console, wrote: files.all.map(PostGISLocation.display))
        }
    }
}

/// The aging summary, shared by `aging` and `demo`.
func printAgingSummary(_ s: AgingStudy, area: StudyArea, console: Console, wrote: [String]) {
    let load = area.boundaries
    let t = s.thresholds
    console.line("chiiki aging — \(load.districts.first.map { "\($0.cityName) (\($0.cityCode))" } ?? load.source)")
    console.row("boundaries", "\(load.records) records → \(load.districts.count) small areas, \(load.encoding), \(load.crs)"
                + (load.repaired.isEmpty ? "" : ", \(load.repaired.count) repaired"))
    if let census = area.census {
        console.row("census", "\(census.table.rows.count) rows (\(census.table.encoding)): \(s.join.matched) matched, "
                    + "\(s.join.hierarchyRows) hierarchy, \(s.join.unmatchedCensusKeys.count) unmatched")
    }
    let city = s.city
    var cityLine = "population \(TextFormat.grouped(city.population)), aged 65+ \(TextFormat.grouped(city.aged)), aging rate \(city.rate.map(percent) ?? "–")%"
    if city.unknownAge > 0 { cityLine += " (\(city.unknownAge) of unknown age left out)" }
    console.row("city", cityLine)
    // Each municipality row against its own areas: an input may hold many municipalities.
    var byMunicipality: [String: Int] = [:]
    for a in s.areas { byMunicipality[String(a.keyCode.prefix(5)), default: 0] += a.figures?.population ?? 0 }
    let single = s.join.municipalityTotals.count == 1
    for (key, m) in s.join.municipalityTotals.sorted(by: { $0.key < $1.key }) {
        let areas = single ? city.population : byMunicipality[key] ?? 0
        guard m.population != areas else { continue }
        console.row("check", "municipality row \(key) says \(TextFormat.grouped(m.population)); the areas add up to \(TextFormat.grouped(areas))")
    }
    func classes(_ units: [UnitAging]) -> String {
        "≥\(Int(t.marginal * 100))% \(s.count(units, .marginal)), ≥\(Int(t.support * 100))% \(s.count(units, .support)), "
            + "small-and-aged (≤\(t.smallHouseholds) households) \(s.count(units, .smallAndAged))"
    }
    console.row("small areas", "\(s.areas.count): " + classes(s.areas))
    if !s.hamlets.isEmpty { console.row("hamlets", "\(s.hamlets.count): " + classes(s.hamlets)) }
    if !s.councils.isEmpty {
        console.row("councils", "\(s.councils.count) (figures from their members; published in brackets)")
        for c in s.councils {
            let f = c.figures
            let published = c.council.published.map { p in " [\(TextFormat.grouped(p.population)), \(p.rate.map(percent) ?? "–")%]" } ?? ""
            console.line("    \(c.council.name)  \(TextFormat.grouped(f.population)) people, \(f.rate.map(percent) ?? "–")%\(published)")
        }
    }
    for w in s.join.warnings { console.row("warning", w) }
    for path in wrote { console.row("wrote", path) }
}
