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

    @OptionGroup var geopackage: GeoPackageOption
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
            var sources = StudyAreaSources(boundaries: districts, census: census, councils: councils, outline: outline)
            sources.fields.id = id
            sources.councilName = councilName
            sources.councilYear = councilYear
            sources.zone = zone
            sources.encoding = common.encoding
            try OutputFolder.check(output, files: CoverageStudy.files)
            try geopackage.check()
            let area = try StudyArea.load(sources, progress: console.progress)
            let study = try CoverageStudy.run(area, denominator: outline == nil ? .districts : .outline, options: options,
                                              progress: console.progress)
            let paths = try study.write(to: output, excel: common.excel, progress: console.progress)
                + geopackage.write({ try study.layers() }, console: console)
            console.progress("done")
            printCoverageSummary(study, console: console, wrote: paths)
        }
    }
}

/// The coverage summary, shared by `coverage` and `demo`.
func printCoverageSummary(_ study: CoverageStudy, console: Console, wrote: [String]) {
    let r = study.report
    console.line("chiiki coverage — \(study.source)")
    console.row("area", "\(km2(r.denominator)): \(r.denominatorSource)")
    console.row("covered", "\(km2(r.coveredArea)) = \(percent(r.share))% by \(r.councils.filter { !$0.proposed }.count) councils"
                + " (\(r.councilOf.compactMap { $0 }.count) of \(r.districts.count) districts)")
    for t in r.timeline {
        console.line("    end of FY\(t.fiscalYear)  \(percent(t.share))%  \(km2(t.area))")
    }
    console.row("councils", "established, with their members' figures")
    console.line("    FY    \(TextFormat.padded("share", 7))  \(TextFormat.padded("area", 11))  \(TextFormat.padded("people", 7))  \(TextFormat.padded("65+", 6))  \(TextFormat.padded("rate", 6))  council")
    for c in r.councils where !c.proposed {
        let f = c.figures
        console.line("    \(c.fiscalYear.map(String.init) ?? "  – ")  \(TextFormat.padded(percent(c.share) + "%", 7))  \(TextFormat.padded(km2(c.areaM2), 11))  "
                     + "\(TextFormat.padded(TextFormat.grouped(f.population), 7))  \(TextFormat.padded(c.agedKnown ? TextFormat.grouped(f.aged) : "–", 6))  "
                     + "\(TextFormat.padded(c.agedKnown ? f.rate.map { percent($0) + "%" } ?? "–" : "–", 6))  \(c.name)")
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
