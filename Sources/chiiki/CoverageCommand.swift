import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Share of the city's area covered by community councils, its timeline, and a plan to reach the target.",
        discussion: """
        The denominator is the districts' total area in the plane zone (what e-Stat's AREA adds
        up to) unless --outline gives a city outline. The plan adds the fewest uncovered
        districts that reach the target (ties: more people aged 65+), each joining the adjacent
        council it shares most boundary with or forming a new council of contiguous districts;
        it is solved exactly with CBC.

        Writes into the -o folder: coverage.geojson (districts, styled for geojson.io),
        councils.geojson (dissolved), coverage_summary.json and coverage_summary.csv.

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

    @Option(help: "Plane zone number 1–19 (default: from the ids' prefecture code).",
            transform: { text in
                guard let n = Int(text), let zone = PlaneZone(n) else { throw ValidationError("--zone must be 1–19") }
                return zone
            })
    var zone: PlaneZone?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard target > 0, target <= 1 else { throw ValidationError("--target must be in (0, 1]; got \(target)") }
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            let paths = ["coverage.geojson", "councils.geojson", "coverage_summary.json", "coverage_summary.csv"]
                .map { "\(output)/\($0)" }
            if !FileManager.default.fileExists(atPath: output) {
                try AtomicOutput.checkWritable(output)
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
            }
            try paths.forEach(AtomicOutput.checkWritable)

            console.progress("reading \(districts)")
            let measurer = Measurer()
            var fields = CoverageInputs.Fields()
            fields.id = id
            let loaded = try CoverageInputs.districts(try VectorReader.read(districts, encoding: common.encoding),
                                                      fields: fields, zone: zone, measurer: measurer)
            let planarCRS = loaded.zone.crs(loaded.crs.japaneseDatum ?? .jgd2011)
            var warnings: [String] = []

            console.progress("reading \(councils)")
            let membership: [String: String]
            let councilList: [Council]
            if (try? OutputFormat(path: councils)) == .csv || councils.lowercased().hasSuffix(".json") {
                let map = try CouncilMap.read(councils)
                membership = try CoverageInputs.membership(map, districtIDs: loaded.districts.map(\.id))
                councilList = map.councils
            } else {
                let file = try VectorReader.read(councils, encoding: common.encoding)
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
            var source = "sum of the \(loaded.districts.count) districts' areas (\(loaded.zone))"
            if let outline {
                let file = try VectorReader.read(outline, encoding: common.encoding)
                try file.requirePolygons()
                if file.layer.crs != loaded.crs {
                    warnings.append("outline is in \(file.layer.crs), districts in \(loaded.crs): outline transformed")
                }
                let projected = try measurer.project(file.layer, to: planarCRS)
                denominator = try projected.features.reduce(0) { $0 + (try measurer.planarArea($1.geometry!, crs: planarCRS)) }
                source = "outline \(outline) (\(loaded.zone))"
                let ratio = loaded.districts.reduce(0) { $0 + $1.areaM2 } / denominator
                if abs(ratio - 1) > 0.01 {
                    warnings.append("the districts cover \(percent(ratio))% of the outline's area")
                }
            }

            console.progress("computing coverage, contiguity and the plan")
            var options = CoverageOptions()
            options.target = target
            options.minimumSharedLength = minSharedBoundary
            options.islandLinkDistance = islandLink
            options.singleDistrictCouncils = !noSingleDistrictCouncils
            options.timeLimit = timeLimit
            var report = try Coverage.run(loaded.districts, planarCRS: planarCRS, membership: membership,
                                          councils: councilList, denominator: denominator, denominatorSource: source,
                                          options: options)
            report.warnings = warnings + report.warnings

            console.progress("writing \(output)")
            try VectorWriter.write(report.districtLayer(crs: loaded.crs), to: paths[0])
            try VectorWriter.write(try report.councilLayer(crs: loaded.crs, engine: measurer.engine), to: paths[1])
            try AtomicOutput.write(try report.summaryJSON(), to: paths[2])
            try report.councilTable().write(to: paths[3], excel: common.excel)
            printSummary(report, console: console, wrote: paths)
        }
    }

    func printSummary(_ r: CoverageReport, console: Console, wrote: [String]) {
        console.line("chiiki coverage — \(districts)")
        console.row("area", "\(km2(r.denominator)): \(r.denominatorSource)")
        console.row("covered", "\(km2(r.coveredArea)) = \(percent(r.share))% by \(r.councils.filter { !$0.proposed }.count) councils"
                    + " (\(r.councilOf.compactMap { $0 }.count) of \(r.districts.count) districts)")
        for t in r.timeline {
            console.line("    end of FY\(t.fiscalYear)  \(percent(t.share))%  \(km2(t.area))")
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
