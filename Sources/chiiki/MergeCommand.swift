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
            // Read every input before writing anything, so bad input leaves the folder as it was.
            let scenarioList = try scenarios.map { path -> [MergeScenario] in
                console.progress("reading \(path)")
                return try MergeScenarioFile.read(path)
            }
            console.progress("reading \(layer)")
            let measurer = Measurer()
            var fields = PlanningDistricts.Fields()
            fields.id = id; fields.population = population; fields.households = households; fields.aged = aged; fields.parent = parent
            let loaded = try PlanningDistricts.load(try VectorReader.read(layer, encoding: common.encoding), fields: fields,
                                                    zone: zone, measurer: measurer)
            console.progress("building the contiguity graph of \(loaded.districts.count) units")
            let units = try MergeLayer(loaded.districts, planarCRS: loaded.planarCRS, source: layer,
                                       minimumSharedLength: minSharedBoundary, islandLinkDistance: islandLink)
            var results = try (scenarioList ?? []).map { try units.evaluate($0, file: scenarios!) }
            // Output base names: the layer as .geojson, its units as .csv (regions.csv is the assignment).
            var files: [(geojson: String, csv: String, result: ScenarioResult)] = results.enumerated().map {
                let name = String(format: "scenario_%02d", $0 + 1)
                return (name + ".geojson", name + ".csv", $1)
            }

            var proposal: MergeProposal?
            if propose {
                console.progress("proposing merges for the small-and-aged hamlets")
                proposal = units.propose(try proposalOptions(units))
                results.append(proposal!.scenario)
                files.append(("proposal.geojson", "proposal.csv", proposal!.scenario))
            }
            var regionRun: (solution: RegionSolution, problem: RegionProblem, options: RegionOptions)?
            if regions {
                if floor.attribute == .households, let missing = units.units.indices.first(where: { units.figures[$0].households == nil }) {
                    throw DataError(file: layer, field: households ?? "households", "unit \(units.units[missing].id) has no household count")
                }
                console.progress("partitioning into regions of \(floor) (\(constructions) constructions)")
                let problem = units.regionProblem(floor: floor.value, on: floor.attribute, maximumAgingRate: maxAging)
                var options = RegionOptions()
                options.seed = seed
                options.constructions = constructions
                let solution = try MaxPRegions.solve(problem, options: options, source: layer)
                regionRun = (solution, problem, options)
                let scenario = solution.scenario(units)
                results.append(scenario)
                files.append(("regions.geojson", "regions_stats.csv", scenario))
            }

            let paths = try outputPaths(files.flatMap { [$0.geojson, $0.csv] }, proposal: proposal != nil, regions: regionRun != nil)
            console.progress("writing \(paths.count) files into \(output)")
            for (geojson, csv, result) in files {
                try VectorWriter.write(try units.layer(result, crs: loaded.crs, engine: measurer.engine), to: "\(output)/\(geojson)")
                try units.table(result).write(to: "\(output)/\(csv)", excel: common.excel)
            }
            if let proposal { try units.outcomeTable(proposal).write(to: "\(output)/proposal_outcomes.csv", excel: common.excel) }
            if let regionRun {
                try regionRun.solution.assignmentTable(units).write(to: "\(output)/regions.csv", excel: common.excel)
                try AtomicOutput.write(try regionRun.solution.summaryJSON(regionRun.problem, options: regionRun.options),
                                       to: "\(output)/regions_summary.json")
            }
            let comparison = MergeComparison(baseline: units.baseline, results: results)
            try comparison.table().write(to: "\(output)/comparison.csv", excel: common.excel)
            try AtomicOutput.write(Array(comparison.markdown().utf8), to: "\(output)/comparison.md")
            console.progress("done")
            printSummary(units, comparison: comparison, proposal: proposal, regions: regionRun?.solution, wrote: paths)
        }
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
                throw DataError(file: layer, field: parent ?? "key_code", "no small-area field for --within small-area; name it with --parent")
            }
            options.within = .parent
        case .council:
            let map = try CouncilMap.read(councils!)
            options.within = .council(try map.membership(.hamlets, known: Set(units.units.map(\.id))))
        }
        return options
    }

    /// Creates the folder if missing and checks every output can be written, before any is.
    private func outputPaths(_ names: [String], proposal: Bool, regions: Bool) throws -> [String] {
        if !FileManager.default.fileExists(atPath: output) {
            try AtomicOutput.checkWritable(output)
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
        }
        var files = names
        if proposal { files.append("proposal_outcomes.csv") }
        if regions { files += ["regions.csv", "regions_summary.json"] }
        files += ["comparison.csv", "comparison.md"]
        let paths = files.map { "\(output)/\($0)" }
        try paths.forEach(AtomicOutput.checkWritable)
        return paths
    }

    private func printSummary(_ units: MergeLayer, comparison: MergeComparison, proposal: MergeProposal?,
                              regions: RegionSolution?, wrote: [String]) {
        let console = Console(quiet: common.quiet)
        let b = units.baseline
        console.line("chiiki merge — \(layer)")
        console.row("units", "\(b.units): \(b.smallAndAged) small and aged, \(b.marginal) aged ≥ 50%, \(b.support) aged ≥ 45%"
                    + (units.agedKnown ? "" : " (no aged 65+ field: no classes)"))
        console.line()
        console.line(comparison.markdown())
        if let proposal {
            let notMerged = proposal.outcomes.filter { if case .unmergeable = $0.result { return true } else { return false } }
            console.row("proposal", "\(proposal.outcomes.count - notMerged.count) of \(proposal.outcomes.count) small-and-aged hamlets merged"
                        + " into \(proposal.scenario.merges.count) unit(s)")
            for o in notMerged {
                if case .unmergeable(let reason) = o.result {
                    console.line("    \(units.units[o.hamlet].id) \(units.units[o.hamlet].name): \(reason)")
                }
            }
        }
        if let regions {
            console.row("regions", "\(regions.p) regions of \(floor) (upper bound \(regions.upperBound);"
                        + " \(regions.constructed) after construction)")
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
