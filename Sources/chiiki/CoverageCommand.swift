import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning
import Report

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Share of the city's area covered by community councils, its timeline, and a plan to reach the target.",
        discussion: """
        The denominator is the districts' total area in the plane zone (what
        e-Stat's AREA adds up to) unless --outline gives a city outline. The plan
        adds the fewest uncovered districts that reach the target (ties: more people
        aged 65+), each joining the adjacent council it shares most boundary with or
        forming a new council of contiguous districts; it is solved exactly with
        CBC.

        Writes into the -o folder: coverage.geojson (districts, styled for
        geojson.io), councils.geojson (dissolved), coverage_summary.json,
        coverage_summary.csv and coverage.html (map, share by fiscal year, the
        plan).

        Examples:
          chiiki coverage --districts geodata/nagato/h27ka35211.shp \\
                          --councils geodata/nagato/councils_2017.json -o out
          chiiki coverage --districts geodata/nagato/hamlets_2014_synthetic.geojson \\
                          --councils geodata/nagato/councils_2017.json \\
                          --outline geodata/nagato/outline_n03.geojson -o out
          chiiki coverage --districts h27ka35211.shp --councils councils.geojson \\
                          --council-name name --target 0.9 -o out
        """)

    @Option(help: "District polygons: e-Stat small areas or hamlets, with an id field.")
    var districts: String

    @Option(help: "Councils: a mapping (.json/.csv with key_codes or hamlet_ids) or polygons (.geojson/.gpkg/.shp).")
    var councils: String

    @Option(name: .shortAndLong, help: "Output folder (created if missing).")
    var output: String

    @Option(help: "City outline for the denominator (e.g. N03); default: the districts' total area.")
    var outline: String?

    @Option(help: "e-Stat census CSV by small area, for people aged 65+ (hamlet layers carry their own).")
    var census: String?

    @Option(help: "Target share of the area, in (0, 1].")
    var target = 0.85

    @Option(help: "District id field (default: KEY_CODE, else hamlet_id).")
    var id: String?

    @Option(help: "Council name field, for council polygons.")
    var councilName = "name"

    @Option(help: "Fiscal-year field, for council polygons.")
    var councilYear = "fiscal_year"

    @Option(help: "Neighbours share more than this much boundary (m).")
    var minSharedBoundary = 1.0

    @Option(help: "Link a district with no neighbour (an island) to the nearest within this distance (m).")
    var islandLink = 5_000.0

    @Flag(help: "New councils need at least two contiguous districts.")
    var noSingleDistrictCouncils = false

    @Option(help: "Stop CBC after this many seconds and report the best plan found with its bound.")
    var timeLimit = 60.0

    @Option(help: "Plane zone number 1–19 (default: from the ids' municipality code).")
    var zone: PlaneZone?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard target > 0, target <= 1 else { throw ValidationError("--target must be in (0, 1]; got \(target)") }
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var options = CoverageOptions()
            options.target = target
            options.minimumSharedLength = minSharedBoundary
            options.islandLinkDistance = islandLink
            options.singleDistrictCouncils = !noSingleDistrictCouncils
            options.timeLimit = timeLimit
            let job = CoverageJob(districts: districts, councils: councils, outline: outline, census: census, id: id,
                                  councilName: councilName, councilYear: councilYear, zone: zone,
                                  encoding: common.encoding, options: options)
            let paths = try CoverageJob.outputs(in: output)
            let result = try job.run(console: console)
            try result.write(paths, excel: common.excel, console: console)
            console.progress("done")
            result.printSummary(source: districts, console: console, wrote: paths)
        }
    }
}

/// The coverage pipeline shared by `coverage` and `demo`: read, check, compute.
struct CoverageJob {
    var districts: String
    var councils: String
    var outline: String?
    /// e-Stat census CSV for the small areas' people aged 65+ (used to break ties in the plan).
    var census: String?
    var id: String?
    var councilName = "name"
    var councilYear = "fiscal_year"
    var zone: PlaneZone?
    var encoding: TextEncoding?
    var options = CoverageOptions()

    /// The four output paths in `folder`, created if missing, all checked writable.
    static func outputs(in folder: String) throws -> [String] {
        if !FileManager.default.fileExists(atPath: folder) {
            try AtomicOutput.checkWritable(folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        }
        let paths = ["coverage.geojson", "councils.geojson", "coverage_summary.json", "coverage_summary.csv", "coverage.html"]
            .map { "\(folder)/\($0)" }
        try paths.forEach { try AtomicOutput.checkWritable($0) }
        return paths
    }

    struct Result {
        var job: CoverageJob
        var report: CoverageReport
        var crs: CRS
        /// The plane zone the districts were measured in.
        var planarCRS: CRS
        var measurer: Measurer
    }

    func run(console: Console) throws -> Result {
        console.progress("reading \(districts)")
        let measurer = Measurer()
        var fields = PlanningDistricts.Fields()
        fields.id = id
        var loaded = try PlanningDistricts.load(try VectorReader.read(districts, encoding: encoding),
                                                  fields: fields, zone: zone, measurer: measurer)
        if let census {
            console.progress("reading \(census)")
            let table = try CensusCSV.read(census, encoding: encoding)
            let join = try CensusJoin.join(table, columns: try CensusColumns.find(in: table), boundaryKeys: loaded.districts.map(\.id))
            PlanningDistricts.addCensus(join, to: &loaded.districts)
        }
        let planarCRS = loaded.planarCRS
        var warnings: [String] = []

        console.progress("reading \(councils)")
        let membership: [String: String]
        let councilList: [Council]
        if councils.lowercased().hasSuffix(".json") || councils.lowercased().hasSuffix(".csv") {
            let map = try CouncilMap.read(councils)
            membership = try CoverageInputs.membership(map, districtIDs: loaded.districts.map(\.id))
            councilList = map.councils
        } else {
            let file = try VectorReader.read(councils, encoding: encoding)
            if file.layer.crs != loaded.crs {
                warnings.append("councils are in \(file.layer.crs), districts in \(loaded.crs): councils transformed")
            }
            let overlay = try CoverageInputs.membership(polygons: file, nameField: councilName, yearField: councilYear,
                                                        districts: loaded.districts, planarCRS: planarCRS, measurer: measurer)
            membership = overlay.membership
            councilList = overlay.councils
            warnings += overlay.warnings
        }

        var denominator = loaded.districts.reduce(0) { $0 + $1.areaM2 }
        var source = "the sum of the \(loaded.districts.count) districts' areas (\(loaded.zone))"
        if let outline {
            let measured = try CoverageInputs.outlineArea(try VectorReader.read(outline, encoding: encoding),
                                                          districts: loaded.districts, districtCRS: loaded.crs,
                                                          planarCRS: planarCRS, measurer: measurer)
            denominator = measured.area
            source = "the outline \(outline) (\(loaded.zone))"
            warnings += measured.warnings
        }

        console.progress("computing coverage, contiguity and the plan")
        var report = try Coverage.run(loaded.districts, planarCRS: planarCRS, membership: membership,
                                      councils: councilList, denominator: denominator, denominatorSource: source,
                                      options: options)
        report.warnings = warnings + report.warnings
        return Result(job: self, report: report, crs: loaded.crs, planarCRS: planarCRS, measurer: measurer)
    }
}

extension CoverageJob.Result {
    func write(_ paths: [String], excel: Bool, console: Console) throws {
        let source = URL(fileURLWithPath: job.districts).lastPathComponent
        console.progress("writing \(paths.joined(separator: ", "))")
        try VectorWriter.write(report.districtLayer(crs: crs), to: paths[0])
        try VectorWriter.write(try report.councilLayer(crs: crs, engine: measurer.engine), to: paths[1])
        try AtomicOutput.write(try report.summaryJSON(), to: paths[2])
        try report.councilTable().write(to: paths[3], excel: excel)
        let html = try HTMLReport.coverage(report, title: "Council coverage: \(source)", frame: (crs, planarCRS))
        try AtomicOutput.write(Array(html.utf8), to: paths[4])
    }

    func printSummary(source: String, console: Console, wrote: [String]) {
        let r = report
        console.line("chiiki coverage — \(source)")
        console.row("area", "\(km2(r.denominator)): \(r.denominatorSource)")
        console.row("covered", "\(km2(r.coveredArea)) = \(percent(r.share))% by \(r.councils.filter { !$0.proposed }.count) councils"
                    + " (\(r.councilOf.compactMap { $0 }.count) of \(r.districts.count) districts)")
        for t in r.timeline {
            console.line("    end of FY\(t.fiscalYear)  \(percent(t.share))%  \(km2(t.area))")
        }
        console.row("councils", "established, with their members' figures")
        console.line("    FY    \(pad("share", 7))  \(pad("area", 11))  \(pad("people", 7))  \(pad("65+", 6))  \(pad("rate", 6))  council")
        for c in r.councils where !c.proposed {
            let f = c.figures
            console.line("    \(c.fiscalYear.map(String.init) ?? "  – ")  \(pad(percent(c.share) + "%", 7))  \(pad(km2(c.areaM2), 11))  "
                         + "\(pad(thousands(f.population), 7))  \(pad(c.agedKnown ? thousands(f.aged) : "–", 6))  "
                         + "\(pad(c.agedKnown ? f.rate.map { percent($0) + "%" } ?? "–" : "–", 6))  \(c.name)")
        }
        console.row("target", "\(percent(r.target))%: " + (r.gapArea > 0
            ? "\(km2(r.gapArea)) (\(percent(r.gapArea / r.denominator)) points) to go" : "reached"))
        let p = r.plan
        if !p.additions.isEmpty {
            let after = (r.coveredArea + p.addedArea) / r.denominator
            console.row("plan", "add \(p.additions.count) district(s), \(km2(p.addedArea)) → \(percent(after))%"
                        + (p.reachable ? "" : " (target out of reach)") + "; \(p.method)"
                        + (p.provenOptimal ? ", proven optimal" : ", bound \(p.bound)"))
            for a in p.additions {
                let d = r.districts[a.district]
                console.line("    \(d.id) \(d.name)  \(km2(d.areaM2))  → \(a.council)" + (a.joinsExisting ? "" : " (new)"))
            }
        }
        let islands = r.graph.edges.filter(\.isIslandLink).count
        console.row("contiguity", "\(r.graph.edges.count - islands) borders, \(islands) island link(s), \(r.graph.isolated.count) isolated")
        for w in r.warnings { console.row("warning", w) }
        for path in wrote { console.row("wrote", path) }
    }
}

/// Right-aligns text in a column of `width` characters.
private func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}
