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
            let job = AgingJob(boundaries: boundaries, census: census, hamlets: hamlets, councils: councils,
                               totalColumn: totalColumn, agedColumn: agedColumn, strict: strict,
                               metric: metric.metric, zone: metric.zone, encoding: common.encoding)
            let outputs = AgingJob.outputs(for: output, hamlets: hamlets != nil, councils: councils != nil)
            _ = try OutputFormat(path: output)
            try outputs.all.forEach { try AtomicOutput.checkWritable($0, overwrite: common.overwrite) }
            let result = try job.run(console: console)
            try result.write(outputs, excel: common.excel, overwrite: common.overwrite, console: console)
            result.printSummary(console: console, wrote: outputs.all.map(PostGISLocation.display))
        }
    }
}

/// The aging pipeline shared by `aging` and `demo`: read, join, compute.
struct AgingJob {
    var boundaries: String
    var census: String
    var hamlets: String?
    var councils: String?
    var totalColumn: String?
    var agedColumn: String?
    var strict = false
    var metric: Metric = .plane
    var zone: PlaneZone?
    var encoding: TextEncoding?

    struct Outputs {
        var areas: String
        var hamlets: String?
        var councils: String?
        var all: [String] { [areas] + [hamlets, councils].compactMap { $0 } }
    }

    static func outputs(for path: String, hamlets: Bool, councils: Bool) -> Outputs {
        if let database = PostGISLocation(path) {
            return Outputs(areas: path, hamlets: hamlets ? database.appendingToTable("_hamlets") : nil,
                           councils: councils ? database.appendingToTable("_councils") : nil)
        }
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().path
        let ext = url.pathExtension
        return Outputs(areas: path, hamlets: hamlets ? "\(stem)_hamlets.\(ext)" : nil,
                       councils: councils ? "\(stem)_councils.csv" : nil)
    }

    struct Result {
        var load: DistrictLoad
        var study: AgingStudy
        var censusTable: CensusTable
        var hamletFile: VectorFile?
        var councilMap: CouncilMap?
    }

    func run(console: Console) throws -> Result {
        console.progress("reading \(PostGISLocation.display(boundaries))")
        let file = try VectorReader.read(boundaries, encoding: encoding)
        let load = try Districts.load(file, metric: metric, zone: zone, progress: console.progress)
        console.progress("reading \(census)")
        let table = try CensusCSV.read(census, encoding: encoding)
        let columns = try CensusColumns.find(in: table, total: totalColumn, aged: agedColumn)
        let households = Dictionary(uniqueKeysWithValues: load.districts.compactMap { d in d.households.map { (d.keyCode, $0) } })
        let join = try CensusJoin.join(table, columns: columns, boundaryKeys: load.districts.map(\.keyCode),
                                       households: households, strict: strict)
        var hamletFile: VectorFile?
        var hamletList: [Hamlet]?
        if let hamlets {
            console.progress("reading \(hamlets)")
            let f = try VectorReader.read(hamlets, encoding: encoding)
            hamletFile = f
            hamletList = try Hamlets.load(f)
        }
        let map = try councils.map(CouncilMap.read)
        console.progress("computing aging rates")
        let study = try AgingStudy.run(districts: load, census: join, hamlets: hamletList, councils: map)
        return Result(load: load, study: study, censusTable: table, hamletFile: hamletFile, councilMap: map)
    }
}

extension AgingJob.Result {
    func write(_ outputs: AgingJob.Outputs, excel: Bool, overwrite: Bool = false, console: Console) throws {
        console.progress("writing \(outputs.all.map(PostGISLocation.display).joined(separator: ", "))")
        try VectorWriter.write(study.layer(study.areas, name: "small_areas", crs: load.crs), to: outputs.areas,
                               excel: excel, overwrite: overwrite)
        if let path = outputs.hamlets, let hamletFile {
            try VectorWriter.write(study.layer(study.hamlets, name: "hamlets", crs: hamletFile.layer.crs), to: path,
                                   excel: excel, overwrite: overwrite)
        }
        if let path = outputs.councils {
            try study.councilTable().write(to: path, excel: excel, overwrite: overwrite)
        }
    }

    func printSummary(console: Console, wrote: [String]) {
        let s = study
        let t = s.thresholds
        console.line("chiiki aging — \(load.districts.first.map { "\($0.cityName) (\($0.cityCode))" } ?? load.source)")
        console.row("boundaries", "\(load.records) records → \(load.districts.count) small areas, \(load.encoding), \(load.crs)"
                    + (load.repaired.isEmpty ? "" : ", \(load.repaired.count) repaired"))
        console.row("census", "\(censusTable.rows.count) rows (\(censusTable.encoding)): \(s.join.matched) matched, \(s.join.hierarchyRows) hierarchy, \(s.join.unmatchedCensusKeys.count) unmatched")
        let city = s.city
        var cityLine = "population \(thousands(city.population)), aged 65+ \(thousands(city.aged)), aging rate \(city.rate.map(percent) ?? "–")%"
        if city.unknownAge > 0 { cityLine += " (\(city.unknownAge) of unknown age left out)" }
        console.row("city", cityLine)
        // Each municipality row against its own areas: an input may hold many municipalities.
        var byMunicipality: [String: Int] = [:]
        for a in s.areas { byMunicipality[String(a.keyCode.prefix(5)), default: 0] += a.figures?.population ?? 0 }
        let single = s.join.municipalityTotals.count == 1
        for (key, m) in s.join.municipalityTotals.sorted(by: { $0.key < $1.key }) {
            let areas = single ? city.population : byMunicipality[key] ?? 0
            guard m.population != areas else { continue }
            console.row("check", "municipality row \(key) says \(thousands(m.population)); the areas add up to \(thousands(areas))")
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
                let published = c.council.published.map { p in " [\(thousands(p.population)), \(p.rate.map(percent) ?? "–")%]" } ?? ""
                console.line("    \(c.council.name)  \(thousands(f.population)) people, \(f.rate.map(percent) ?? "–")%\(published)")
            }
        }
        for w in s.join.warnings { console.row("warning", w) }
        for path in wrote { console.row("wrote", path) }
    }
}
