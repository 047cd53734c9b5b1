import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Hamlet merger scenarios: merged statistics, side-by-side comparison and proposals.",
        discussion: """
        Works on a hamlet (行政区) layer, or any polygons with an id and counts of
        population, households and aged 65+. Contiguity: a shared border longer
        than --min-shared-boundary, or for a unit with no border (an island) a link
        to the nearest unit within --island-link metres.

        --scenarios FILE  YAML or JSON; several scenarios, each a list of named
                          merges of hamlet ids (see README). Checked: every id
                          exists, none in two merges, every merge contiguous
                          unless it says allow_disjoint: true.

        --propose         for each small-and-aged hamlet (aging ≥50%, ≤19
                          households), the smallest merge with neighbours that
                          reaches --min-households (and --max-aging): fewest
                          units added, then fewest hamlets, then the longest new
                          shared boundary. Unmergeable hamlets are listed with
                          the reason.

        --regions         partition the whole layer into the most contiguous
                          regions that each reach --floor (max-p), optionally
                          with --max-aging; deterministic for a --seed.

        Writes into the -o folder: scenario_NN.geojson/.csv per scenario (units
        after it), proposal.geojson/.csv and proposal_outcomes.csv (what happened
        to each small-and-aged hamlet), regions.geojson, regions_stats.csv,
        regions.csv (id,region per input unit) and regions_summary.json, and
        comparison.csv and comparison.md with every scenario side by side (also
        printed).

        Examples:
          chiiki merge geodata/nagato/hamlets_2014_synthetic.geojson --propose -o out
          chiiki merge hamlets.geojson --scenarios scenarios.yaml --propose \\
                       --within small-area -o out
          chiiki merge hamlets.geojson --regions --floor households:20 \\
                       --max-aging 0.5 -o out
          chiiki merge geodata/tottori/h27ka31.shp --id KEY_CODE \\
                       --households SETAI --population JINKO \\
                       --regions --floor households:1000 -o out
        """)

    @Argument(help: "Hamlet polygons (GeoJSON, GeoPackage, Shapefile).")
    var layer: String

    @Option(help: "Merge scenarios (YAML or JSON).")
    var scenarios: String?

    @Flag(help: "Propose merges for the small-and-aged hamlets.")
    var propose = false

    @Flag(help: "Partition the layer into the most regions meeting --floor (max-p).")
    var regions = false

    @Option(name: .shortAndLong, help: "Output folder (created if missing).")
    var output: String

    @Option(help: "Proposals: the merged unit has at least this many households.")
    var minHouseholds = 20

    @Option(help: "Proposals and regions: the merged unit's aging rate is at most this (a share, e.g. 0.5).")
    var maxAging: Double?

    @Option(help: "Proposals: merge only within the same small-area (the parent field) or council, or anywhere.")
    var within: Scope = .anywhere

    @Option(help: "Council mapping (JSON/CSV with hamlet_ids), for --within council.")
    var councils: String?

    @Option(help: "Proposals: add at most this many neighbouring units to one hamlet.")
    var maxAdded = 3

    @Option(help: "Regions: the floor each region reaches, as households:N or population:N.")
    var floor = RegionFloor(attribute: .households, value: 20)

    @Option(help: "Regions: seed of the randomised constructions.")
    var seed: UInt64 = 0

    @Option(help: "Regions: number of randomised constructions.")
    var constructions = 100

    @Option(help: "Id field (default: KEY_CODE, else hamlet_id, else id).")
    var id: String?

    @Option(help: "Population field (default: JINKO, else population).")
    var population: String?

    @Option(help: "Households field (default: SETAI, else households).")
    var households: String?

    @Option(help: "Aged 65+ field (default: aged_65_plus; without it no rates or classes).")
    var aged: String?

    @Option(help: "Enclosing small-area field, for --within small-area (default: key_code).")
    var parent: String?

    @Option(help: "Neighbours share more than this much boundary (m).")
    var minSharedBoundary = 1.0

    @Option(help: "Link a unit with no neighbour (an island) to the nearest within this distance (m).")
    var islandLink = 5_000.0

    @Option(help: "Plane zone number 1–19 (default: from the ids' municipality code).")
    var zone: PlaneZone?

    @OptionGroup var common: CommonOptions

    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case anywhere
        case smallArea = "small-area"
        case council
    }

    func validate() throws {
        guard scenarios != nil || propose || regions else {
            throw ValidationError("nothing to do: give --scenarios FILE, --propose and/or --regions")
        }
        if let maxAging, !(maxAging > 0 && maxAging <= 1) { throw ValidationError("--max-aging must be in (0, 1]; got \(maxAging)") }
        guard minHouseholds > 0 else { throw ValidationError("--min-households must be positive") }
        guard maxAdded > 0 else { throw ValidationError("--max-added must be positive") }
        guard constructions > 0 else { throw ValidationError("--constructions must be positive") }
        if within == .council && councils == nil { throw ValidationError("--within council needs --councils FILE") }
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var fields = PlanningDistricts.Fields()
            fields.id = id; fields.population = population; fields.households = households; fields.aged = aged; fields.parent = parent
            var job = MergeJob(layer: layer, fields: fields, scenarios: scenarios, propose: propose, regions: regions)
            job.minHouseholds = minHouseholds; job.maxAging = maxAging; job.within = within; job.councils = councils
            job.maxAdded = maxAdded; job.floor = floor; job.seed = seed; job.constructions = constructions
            job.minSharedBoundary = minSharedBoundary; job.islandLink = islandLink; job.zone = zone; job.encoding = common.encoding
            let result = try job.run(console: console)
            let paths = try result.write(to: output, excel: common.excel, console: console)
            console.progress("done")
            result.printSummary(console: console, wrote: paths)
        }
    }
}

/// The merge pipeline shared by `merge` and `demo`: read, check, evaluate, propose, partition.
struct MergeJob {
    var layer: String
    var fields = PlanningDistricts.Fields()
    var scenarios: String?
    var propose = false
    var regions = false
    var minHouseholds = 20
    var maxAging: Double?
    var within: MergeCommand.Scope = .anywhere
    var councils: String?
    var maxAdded = 3
    var floor = RegionFloor(attribute: .households, value: 20)
    var seed: UInt64 = 0
    var constructions = 100
    var minSharedBoundary = 1.0
    var islandLink = 5_000.0
    var zone: PlaneZone?
    var encoding: TextEncoding?

    struct Result {
        var job: MergeJob
        var units: MergeLayer
        var crs: CRS
        var engine: GeometryEngine
        /// Every result in the comparison, each with its layer's and table's file names.
        var files: [(geojson: String, csv: String, result: ScenarioResult)]
        var proposal: MergeProposal?
        var regions: (solution: RegionSolution, problem: RegionProblem, options: RegionOptions)?
        var comparison: MergeComparison { MergeComparison(baseline: units.baseline, results: files.map(\.result)) }
    }

    /// Reads and checks every input before anything is written, so bad input leaves the output as it was.
    func run(console: Console) throws -> Result {
        let scenarioList = try scenarios.map { path -> [MergeScenario] in
            console.progress("reading \(path)")
            return try MergeScenarioFile.read(path)
        }
        console.progress("reading \(layer)")
        let measurer = Measurer()
        let loaded = try PlanningDistricts.load(try VectorReader.read(layer, encoding: encoding), fields: fields,
                                                zone: zone, measurer: measurer)
        console.progress("building the contiguity graph of \(loaded.districts.count) units")
        let units = try MergeLayer(loaded.districts, planarCRS: loaded.planarCRS, source: layer,
                                   minimumSharedLength: minSharedBoundary, islandLinkDistance: islandLink)
        var result = Result(job: self, units: units, crs: loaded.crs, engine: measurer.engine, files: [])
        for (i, scenario) in (scenarioList ?? []).enumerated() {
            let name = String(format: "scenario_%02d", i + 1)
            result.files.append((name + ".geojson", name + ".csv", try units.evaluate(scenario, file: scenarios!)))
        }
        if propose {
            console.progress("proposing merges for the small-and-aged hamlets")
            let proposal = units.propose(try proposalOptions(units))
            result.proposal = proposal
            result.files.append(("proposal.geojson", "proposal.csv", proposal.scenario))
        }
        if regions {
            if floor.attribute == .households, let missing = units.units.indices.first(where: { units.figures[$0].households == nil }) {
                throw DataError(file: layer, field: fields.households ?? "households", "unit \(units.units[missing].id) has no household count")
            }
            console.progress("partitioning into regions of \(floor) (\(constructions) constructions)")
            let problem = units.regionProblem(floor: floor.value, on: floor.attribute, maximumAgingRate: maxAging)
            var options = RegionOptions()
            options.seed = seed
            options.constructions = constructions
            let solution = try MaxPRegions.solve(problem, options: options, source: layer)
            result.regions = (solution, problem, options)
            // regions.csv is the assignment of each unit; the regions' own table is regions_stats.csv.
            result.files.append(("regions.geojson", "regions_stats.csv", solution.scenario(units)))
        }
        return result
    }

    private func proposalOptions(_ units: MergeLayer) throws -> ProposalOptions {
        var options = ProposalOptions()
        options.minimumHouseholds = minHouseholds
        options.maximumAgingRate = maxAging
        options.maximumAdded = maxAdded
        switch within {
        case .anywhere: options.within = .anywhere
        case .smallArea:
            guard units.units.contains(where: { $0.parent != nil }) else {
                throw DataError(file: layer, field: fields.parent ?? "key_code", "no small-area field for --within small-area; name it with --parent")
            }
            options.within = .parent
        case .council:
            let map = try CouncilMap.read(councils!)
            options.within = .council(try map.membership(.hamlets, known: Set(units.units.map(\.id))))
        }
        return options
    }
}

extension MergeJob.Result {
    /// Writes every output into `folder` (created if missing, all paths checked first) and returns the paths.
    func write(to folder: String, excel: Bool, console: Console) throws -> [String] {
        if !FileManager.default.fileExists(atPath: folder) {
            try AtomicOutput.checkWritable(folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        }
        var names = files.flatMap { [$0.geojson, $0.csv] }
        if proposal != nil { names.append("proposal_outcomes.csv") }
        if regions != nil { names += ["regions.csv", "regions_summary.json"] }
        names += ["comparison.csv", "comparison.md"]
        let paths = names.map { "\(folder)/\($0)" }
        try paths.forEach { try AtomicOutput.checkWritable($0) }

        console.progress("writing \(paths.count) files into \(folder)")
        for (geojson, csv, result) in files {
            try VectorWriter.write(try units.layer(result, crs: crs, engine: engine), to: "\(folder)/\(geojson)")
            try units.table(result).write(to: "\(folder)/\(csv)", excel: excel)
        }
        if let proposal { try units.outcomeTable(proposal).write(to: "\(folder)/proposal_outcomes.csv", excel: excel) }
        if let regions {
            try regions.solution.assignmentTable(units).write(to: "\(folder)/regions.csv", excel: excel)
            try AtomicOutput.write(try regions.solution.summaryJSON(regions.problem, options: regions.options),
                                   to: "\(folder)/regions_summary.json")
        }
        try comparison.table().write(to: "\(folder)/comparison.csv", excel: excel)
        try AtomicOutput.write(Array(comparison.markdown().utf8), to: "\(folder)/comparison.md")
        return paths
    }

    func printSummary(console: Console, wrote: [String]) {
        let b = units.baseline
        console.line("chiiki merge — \(job.layer)")
        console.row("units", "\(b.units): \(b.smallAndAged) small and aged, \(b.marginal) aged ≥ 50%, \(b.support) aged ≥ 45%"
                    + (units.agedKnown ? "" : " (no aged 65+ field: no classes)"))
        console.line()
        console.line(comparison.markdown())
        if let proposal {
            let notMerged = proposal.outcomes.compactMap { o -> (Int, String)? in
                if case .unmergeable(let reason) = o.result { return (o.hamlet, reason) } else { return nil }
            }
            console.row("proposal", "\(proposal.outcomes.count - notMerged.count) of \(proposal.outcomes.count) small-and-aged hamlets merged"
                        + " into \(proposal.scenario.merges.count) unit(s)")
            for (i, reason) in notMerged { console.line("    \(units.units[i].id) \(units.units[i].name): \(reason)") }
        }
        if let regions {
            console.row("regions", "\(regions.solution.p) regions of \(job.floor) (upper bound \(regions.solution.upperBound);"
                        + " \(regions.solution.constructed) after construction)")
        }
        for path in wrote { console.row("wrote", path) }
    }
}

/// `households:20` or `population:300`.
struct RegionFloor: ExpressibleByArgument, CustomStringConvertible {
    var attribute: RegionFloorAttribute
    var value: Double

    init(attribute: RegionFloorAttribute, value: Double) { self.attribute = attribute; self.value = value }

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let a = RegionFloorAttribute(rawValue: parts[0]), let v = Double(parts[1]), v > 0 else { return nil }
        self.init(attribute: a, value: v)
    }

    var description: String { "≥ \(formatReal(value)) \(attribute.rawValue)" }
    var defaultValueDescription: String { "\(attribute.rawValue):\(formatReal(value))" }
}
