import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning
import Report

struct HubsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubs",
        abstract: "Sites for 小さな拠点 (small hubs) that serve the elderly best: LSCP, MCLP, p-median, p-center.",
        discussion: """
        Demand is a point inside each district or hamlet (weight: people aged 65+ by
        default), or JIS X 0410 mesh squares (--mesh: weights apportioned from the
        polygons by area; --mesh-stats: counts from a mesh-statistics CSV).
        Candidates are the demand points, mesh squares or a point file (GeoJSON,
        GeoPackage, Shapefile, or CSV with lon and lat); --fixed keeps existing hubs
        open. Distances are straight lines in the plane zone, or along --roads
        (LineStrings) with the walk to the nearest road at both ends.

        Models: lscp (fewest hubs with everyone within --radius), mclp (most weight
        within --radius with -p hubs), p-median (least mean distance), p-center
        (least maximum distance). --solver auto (default) runs the pure-Swift
        heuristic, which proves a bound, and CBC from its sites wherever the gap is
        open: the optimum when CBC proves it within --time-limit, else the better
        sites with the tighter bound; the summary says which ran and why.
        --solver heuristic stops at the heuristic; --solver exact always runs CBC.

        Capacities (p-median, mclp, lscp): a site serves at most its capacity in
        demand weight, from the candidates' capacity field (capacity, 定員 or
        収容人数) or --capacity for every site without one. A demand point may be
        split between hubs, or served by one (--single-source). With capacities a
        point goes to the hub the model sends it to, not always the nearest.

        Writes into the -o folder: hubs.geojson (sites with served weight, mean and
        maximum distance), hub_assignments.geojson (demand points with their hub),
        hub_assignment_lines.geojson, hub_candidates.geojson, hubs_summary.json
        (with the coverage curve), hubs_summary.csv and hubs.html (a map of who
        goes where, the coverage curve and the sites).

        Examples:
          chiiki hubs --demand geodata/nagato/hamlets_2014_synthetic.geojson \\
                      --model p-median -p 5 -o out
          chiiki hubs --demand geodata/nagato/h27ka35211.shp \\
                      --census geodata/nagato/census_age_2015_synthetic.csv \\
                      --mesh 500m --model mclp -p 8 --radius 2000 -o out
          chiiki hubs --demand geodata/tottori/h27ka31.shp --city 31202 \\
                      --weight population --mesh 500m --model p-median -p 10 \\
                      --radius 1000 --solver exact -o out
          chiiki hubs --demand hamlets.geojson --candidates schools.csv \\
                      --fixed 12 --roads roads.gpkg --model lscp --radius 3000 -o out
          chiiki hubs --demand geodata/nagato/hamlets_2014_synthetic.geojson \\
                      --model p-median -p 5 --capacity 1500 --single-source -o out
        """)

    @Option(help: "Demand: district or hamlet polygons, or points, with an id field.")
    var demand: String

    @Option(help: "Demand id field (default: KEY_CODE, hamlet_id or id).")
    var id: String?

    @Option(help: "Demand weight: aged (aged_65_plus, or --census), population (JINKO or population) or a field name.")
    var weight = "aged"

    @Option(help: "e-Stat census CSV by small area, for people aged 65+ when the polygons do not carry them.")
    var census: String?

    @Option(help: "Keep only demand features whose id starts with this municipality code (e.g. 31202).")
    var city: String?

    @Option(help: "Demand as mesh squares of 1km, 500m or 250m, weights apportioned from the polygons by area.")
    var mesh: MeshLevel?

    @Option(help: "Demand as the squares of a mesh-statistics CSV (a mesh-code column and --mesh-field).")
    var meshStats: String?

    @Option(help: "The --mesh-stats column holding the counts.")
    var meshField: String?

    @Option(help: "Candidate sites: demand, mesh-1km, mesh-500m, mesh-250m or a point file.")
    var candidates = HubCandidateSource.demand

    @Option(help: "Candidate id field (default: id, site_id, code or name).")
    var candidateId: String?

    @Option(help: "Candidate name field (default: name).")
    var candidateName: String?

    @Option(help: "Candidate ids always open (existing hubs), comma-separated; they count in p.")
    var fixed: [String] = []

    @Option(help: "Weight every site can serve (people), for sites without a capacity field value.")
    var capacity: Double?

    @Option(help: "Candidate capacity field (default: capacity, 定員 or 収容人数 when present).")
    var capacityField: String?

    @Flag(help: "With capacities, serve each demand point from one hub (default: it may be split).")
    var singleSource = false

    @Option(help: "Road lines (LineStrings): distances along them instead of straight lines.")
    var roads: String?

    @Option(help: "List points farther than this from any road (m).")
    var snapWarning = 500.0

    @Option(help: "lscp, mclp, p-median or p-center.")
    var model = HubModelKind.pMedian

    @Option(name: .short, help: "Number of hubs (mclp, p-median, p-center), fixed ones included.")
    var p: Int?

    @Option(help: "Coverage radius in metres (lscp, mclp; for p-median and p-center, reported against).")
    var radius: Double?

    @Option(help: "auto (the heuristic, then CBC where its gap is open), heuristic (fast, with a proven gap) or exact (CBC).")
    var solver: HubMethod = .auto

    @Option(help: "Stop CBC after this many seconds and report the best sites found with the bound (default: 60 auto, 300 exact).")
    var timeLimit: Double?

    @Option(help: "Coverage curve for p = 1…this (default: the number of hubs); needs a radius.")
    var curve: Int?

    @Flag(help: "Solve the MCLP for every p of the curve (default: one greedy pass with proven bounds).")
    var exactCurve = false

    @Option(name: .shortAndLong, help: "Output folder (created if missing).")
    var output: String

    @Option(help: "Plane zone number 1–19 (default: from the ids' municipality code).")
    var zone: PlaneZone?

    @OptionGroup var projection: ProjectionYearOptions
    @OptionGroup var geopackage: GeoPackageOption
    @OptionGroup var common: CommonOptions

    func hubModel() throws -> HubModel {
        switch model {
        case .lscp:
            guard let radius else { throw ValidationError("--model lscp needs --radius (metres)") }
            if p != nil { throw ValidationError("--model lscp finds the number of hubs itself: leave out -p") }
            return .lscp(radius: radius)
        case .mclp:
            guard let radius, let p else { throw ValidationError("--model mclp needs -p and --radius (metres)") }
            return .mclp(radius: radius, p: p)
        case .pMedian:
            guard let p else { throw ValidationError("--model p-median needs -p") }
            return .pMedian(p: p)
        case .pCenter:
            guard let p else { throw ValidationError("--model p-center needs -p") }
            return .pCenter(p: p)
        }
    }

    func validate() throws {
        _ = try hubModel()
        if let radius, !(radius > 0 && radius.isFinite) { throw ValidationError("--radius must be above 0 m; got \(radius)") }
        if let p, p < 1 { throw ValidationError("-p must be at least 1; got \(p)") }
        if mesh != nil && meshStats != nil { throw ValidationError("give --mesh or --mesh-stats, not both") }
        if meshStats != nil && meshField == nil { throw ValidationError("--mesh-stats needs --mesh-field (the column of counts)") }
        if let curve, curve < 1 { throw ValidationError("--curve must be at least 1") }
        if let timeLimit, timeLimit <= 0 { throw ValidationError("--time-limit must be above 0 s") }
        try projection.check(census: census)
        if projection.year != nil && mesh != nil { throw ValidationError("--year projects districts or hamlets, not mesh squares") }
    }

    func studyOptions() throws -> HubStudyOptions {
        var options = HubStudyOptions(demand: demand, model: try hubModel())
        options.census = census
        options.demandOptions.id = id
        options.demandOptions.weight = HubWeight(argument: weight)
        options.demandOptions.city = city
        options.demandOptions.zone = zone
        options.mesh = mesh
        options.meshStatistics = meshStats
        options.meshField = meshField
        options.candidates = candidates
        if let figures = try projection.figures(census: census, layer: demand, encoding: common.encoding) {
            let weight = options.demandOptions.weight
            var byID: [String: Double] = [:]
            for (id, f) in figures.byID {
                guard let w = weight.value(f) else { throw ValidationError("--year weighs by aged or population, not \(weight)") }
                byID[id] = w
            }
            options.demandOptions.weights = (byID, "\(weight) in \(figures.source)")
            options.census = nil
        }
        options.candidateFields.id = candidateId
        options.candidateFields.name = candidateName
        options.candidateFields.capacity = capacityField
        options.capacity = capacity
        options.singleSource = singleSource
        options.fixed = fixed.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        options.roads = roads
        options.snapWarning = snapWarning
        if options.model.radius == nil { options.reportRadius = radius }
        options.method = solver
        options.timeLimit = timeLimit
        options.curve = curve
        options.exactCurve = exactCurve
        options.encoding = common.encoding
        return options
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            let options = try studyOptions()
            try OutputFolder.check(output, files: HubStudy.files)
            try geopackage.check()
            let study = try HubStudy.run(options, progress: console.progress)
            let paths = try study.write(to: output, excel: common.excel, progress: console.progress)
                + geopackage.write({ study.layers }, console: console)
            console.progress("done")
            printSummary(study, console: console, wrote: paths)
        }
    }

    func printSummary(_ study: HubStudy, console: Console, wrote: [String]) {
        let s = study.solution
        console.line("chiiki hubs — \(study.options.model)")
        console.row("demand", study.demandDescription)
        console.row("weight", "\(study.weightSource): \(number(study.totalWeight)) in \(TextFormat.grouped(study.demand.count)) points"
                    + (study.droppedZeroWeight > 0 ? " (\(study.droppedZeroWeight) at 0 left out)" : ""))
        let fixedIDs = study.candidates.filter(\.fixed).map(\.id)
        console.row("candidates", study.candidateDescription + (fixedIDs.isEmpty ? "" : "; fixed: \(fixedIDs.joined(separator: ", "))"))
        console.row("distance", study.distanceDescription)
        if let r = study.roads {
            console.row("roads", "\(TextFormat.grouped(r.nodes)) nodes, \(TextFormat.grouped(r.segments)) segments, \(km(r.lengthM)); "
                        + "\(r.components) part(s), the largest \(TextFormat.percent(r.largestShare))")
            console.row("snapping", "demand \(snapText(r.demandSnaps)); candidates \(snapText(r.candidateSnaps)) "
                        + "(walked to the nearest road, included in every distance)")
        }
        if let c = study.problem.capacities {
            console.row("capacities", "\(number(c.limits.reduce(0, +))) in all candidate sites; "
                        + (c.singleSource ? "one hub per demand point" : "demand may be split (\(study.splitPoints) point(s) are)"))
        }
        console.row("solver", "\(study.options.method.rawValue): \(s.method)")
        let gap = s.provenOptimal ? "proven optimal" : "bound \(number(s.bound)), gap \(s.gap.isFinite ? String(format: "%.4f%%", s.gap * 100) : "unknown")"
        console.row("objective", "\(number(s.objective)) (\(study.options.model.objectiveMeaning)); \(gap)")
        let served = study.servedFigures
        var result = "\(s.open.count) hubs; mean distance \(TextFormat.metres(served.meanDistance)), max \(TextFormat.metres(served.maxDistance))"
        if let covered = served.covered, let r = study.radius {
            result += "; within \(TextFormat.metres(r)): \(TextFormat.percent(covered / study.totalWeight)) of the weight"
        }
        console.row("result", result)
        let capacitated = study.problem.capacities != nil
        console.line("    \(TextFormat.padded("served", 10))  \(TextFormat.padded("share", 6))  \(TextFormat.padded("mean", 8))  \(TextFormat.padded("max", 8))  "
                     + (capacitated ? "\(TextFormat.padded("capacity", 10))  " : "") + "site")
        for f in study.siteFigures {
            let c = study.candidates[f.candidate]
            console.line("    \(TextFormat.padded(number(f.servedWeight), 10))  \(TextFormat.padded(TextFormat.percent(f.servedWeight / study.totalWeight), 6))  "
                         + "\(TextFormat.padded(TextFormat.metres(f.meanDistance), 8))  \(TextFormat.padded(TextFormat.metres(f.maxDistance), 8))  "
                         + (f.capacity.map { "\(TextFormat.padded(number($0), 10))  " } ?? "")
                         + "\(c.id) \(c.name == c.id ? "" : c.name)" + (c.fixed ? " (fixed)" : ""))
        }
        if !study.curve.isEmpty, let r = study.radius {
            console.row("curve", "share within \(TextFormat.metres(r)) by number of hubs, "
                        + (study.options.exactCurve ? "solved for each p" : "one greedy pass") + " (at most, proven):")
            console.line("    " + study.curve.map { "p=\($0.p) \(TextFormat.percent($0.share)) (≤ \(TextFormat.percent($0.bound / study.totalWeight)))" }
                .joined(separator: "  "))
        }
        if let c = study.change {
            console.row("existing", "the fixed hubs alone: mean distance \(TextFormat.metres(c.fixedMeanDistance))"
                        + (c.fixedCoveredWeight.map { ", within \(TextFormat.metres(study.radius ?? 0)): \(TextFormat.percent($0 / study.totalWeight))" } ?? ""))
            for g in c.byNewHub {
                let site = study.candidates[g.candidate]
                console.line("    new \(site.id): " + (g.newlyCovered.map { "\(number($0)) newly within reach, " } ?? "")
                             + "\(TextFormat.metres(g.meanDistanceSaved)) off the mean distance")
            }
        }
        for w in study.warnings { console.row("warning", w) }
        for path in wrote { console.row("wrote", path) }
    }
}

/// The model named on the command line; -p and --radius complete it.
enum HubModelKind: String, ExpressibleByArgument, CaseIterable {
    case lscp, mclp
    case pMedian = "p-median"
    case pCenter = "p-center"

    init?(argument: String) {
        let aliases = ["pmedian": Self.pMedian, "pcenter": .pCenter, "p-centre": .pCenter]
        guard let kind = Self(rawValue: argument) ?? aliases[argument] else { return nil }
        self = kind
    }
}

extension HubMethod: ExpressibleByArgument {}
extension MeshLevel: ExpressibleByArgument {}

extension HubCandidateSource: ExpressibleByArgument {
    /// demand, mesh-1km, mesh-500m, mesh-250m, or else a point file.
    public init?(argument: String) {
        if argument == "demand" {
            self = .demand
        } else if argument.hasPrefix("mesh-"), let level = MeshLevel(rawValue: String(argument.dropFirst(5))) {
            self = .mesh(level)
        } else {
            self = .file(argument)
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .demand: return "demand"
        case .mesh(let level): return "mesh-\(level.rawValue)"
        case .file(let path): return path
        }
    }
}

/// Thousands separators; two decimals unless the value is whole (to a millionth, so sums of
/// apportioned weights that add up to whole people show as such).
private func number(_ x: Double) -> String {
    guard x.isFinite, abs(x) < 1e15 else { return String(x) }
    if abs(x - x.rounded()) <= 1e-6 * max(1, abs(x)) { return TextFormat.grouped(Int(x.rounded())) }
    let hundredths = Int((abs(x) * 100).rounded())
    return (x < 0 ? "-" : "") + TextFormat.grouped(hundredths / 100) + String(format: ".%02d", hundredths % 100)
}

private func km(_ m: Double) -> String { String(format: "%.1f km", m / 1000) }

private func snapText(_ d: [Double]) -> String {
    guard let max = d.max() else { return "none" }
    let sorted = d.sorted()
    return "median \(TextFormat.metres(sorted[sorted.count / 2])), max \(TextFormat.metres(max))"
}
