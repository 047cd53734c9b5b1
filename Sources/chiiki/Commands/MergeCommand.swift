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
    var within: MergeScope = .anywhere

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

    @Option(help: "With --year: the base census (small areas by sex and 5-year age group).")
    var census: String?

    @OptionGroup var projection: ProjectionYearOptions
    @OptionGroup var geopackage: GeoPackageOption
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard scenarios != nil || propose || regions else {
            throw ValidationError("nothing to do: give --scenarios FILE, --propose and/or --regions")
        }
        if let maxAging, !(maxAging > 0 && maxAging <= 1) { throw ValidationError("--max-aging must be in (0, 1]; got \(maxAging)") }
        guard minHouseholds > 0 else { throw ValidationError("--min-households must be positive") }
        guard maxAdded > 0 else { throw ValidationError("--max-added must be positive") }
        guard constructions > 0 else { throw ValidationError("--constructions must be positive") }
        if within == .council && councils == nil { throw ValidationError("--within council needs --councils FILE") }
        try projection.check(census: census)
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var sources = StudyAreaSources(boundaries: layer, councils: councils)
            sources.fields.id = id; sources.fields.population = population; sources.fields.households = households
            sources.fields.aged = aged; sources.fields.parent = parent
            sources.zone = zone; sources.encoding = common.encoding
            var options = MergeStudyOptions()
            options.scenarios = scenarios
            options.propose = propose
            options.minHouseholds = minHouseholds; options.maxAging = maxAging; options.within = within; options.maxAdded = maxAdded
            options.regions = regions ? floor : nil
            options.regionOptions.seed = seed; options.regionOptions.constructions = constructions
            options.minSharedBoundary = minSharedBoundary; options.islandLink = islandLink
            options.figures = try projection.figures(census: census, layer: layer, encoding: common.encoding)
            try geopackage.check()
            let area = try StudyArea.load(sources, progress: console.progress)
            let study = try MergeStudy.run(area, options: options, progress: console.progress)
            let paths = try study.write(to: output, excel: common.excel, progress: console.progress)
                + geopackage.write({ try study.layers() }, console: console)
            console.progress("done")
            printMergeSummary(study, console: console, wrote: paths)
        }
    }
}

/// The merge summary, shared by `merge` and `demo`.
func printMergeSummary(_ study: MergeStudy, console: Console, wrote: [String]) {
    let units = study.units
    let b = units.baseline
    console.line("chiiki merge — \(study.source)")
    console.row("units", "\(b.units): \(b.smallAndAged) small and aged, \(b.marginal) aged ≥ 50%, \(b.support) aged ≥ 45%"
                + (units.agedKnown ? "" : " (no aged 65+ field: no classes)"))
    console.line()
    console.line(study.comparison.markdown())
    if let proposal = study.proposal {
        let notMerged = proposal.outcomes.compactMap { o -> (Int, String)? in
            if case .unmergeable(let reason) = o.result { return (o.hamlet, reason) } else { return nil }
        }
        console.row("proposal", "\(proposal.outcomes.count - notMerged.count) of \(proposal.outcomes.count) small-and-aged hamlets merged"
                    + " into \(proposal.scenario.merges.count) unit(s)")
        for (i, reason) in notMerged { console.line("    \(units.units[i].id) \(units.units[i].name): \(reason)") }
    }
    if let regions = study.regions, let floor = study.options.regions {
        console.row("regions", "\(regions.solution.p) regions of \(floor) (upper bound \(regions.solution.upperBound);"
                    + " \(regions.solution.constructed) after construction)")
    }
    for path in wrote { console.row("wrote", path) }
}

extension MergeScope: ExpressibleByArgument {}

extension RegionFloor: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { "\(attribute.rawValue):\(formatReal(value))" }
}
