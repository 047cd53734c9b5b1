import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// Where a proposed merge may reach.
public enum MergeScope: String, Sendable, CaseIterable {
    case anywhere
    /// Within the hamlet's small area (the layer's parent field, `key_code`).
    case smallArea = "small-area"
    /// Within the hamlet's council (the study area's council mapping, by hamlet_ids).
    case council
}

/// The floor every max-p region reaches: `households:20` or `population:300`.
public struct RegionFloor: Sendable, Hashable, CustomStringConvertible {
    public var attribute: RegionFloorAttribute
    public var value: Double

    public init(attribute: RegionFloorAttribute, value: Double) { self.attribute = attribute; self.value = value }

    /// Parses `households:N` or `population:N` (N above 0).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let a = RegionFloorAttribute(rawValue: parts[0]), let v = Double(parts[1]), v > 0 else { return nil }
        self.init(attribute: a, value: v)
    }

    public var description: String { "≥ \(formatReal(value)) \(attribute.rawValue)" }
}

/// What `MergeStudy` is asked: scenarios to evaluate, proposals, max-p regions, or several.
public struct MergeStudyOptions: Sendable {
    /// Merge scenarios (YAML, or JSON in the same shape).
    public var scenarios: String?
    /// Propose merges for the small-and-aged hamlets.
    public var propose = false
    /// Proposals: the merged unit has at least this many households.
    public var minHouseholds = 20
    /// Proposals and regions: the merged unit's aging rate is at most this share (nil: no limit).
    public var maxAging: Double?
    /// Proposals: where a merge may reach.
    public var within: MergeScope = .anywhere
    /// Proposals: add at most this many neighbouring units to one hamlet.
    public var maxAdded = 3
    /// Partition the units into the most contiguous regions reaching this floor (max-p); nil: no regions.
    public var regions: RegionFloor?
    public var regionOptions = RegionOptions()
    /// Neighbours share more than this much boundary (m); an island links to the nearest unit within `islandLink` (m).
    public var minSharedBoundary = 1.0
    public var islandLink = 5_000.0
    /// Figures by unit id in place of the layer's (e.g. a projected year's), with what they are.
    public var figures: (byID: [String: AgingFigures], source: String)?

    public init() {}
}

/// One result of a merge study with the names of its layer and table.
public struct MergeResultFiles: Sendable {
    public var geojson: String
    public var csv: String
    public var result: ScenarioResult
}

/// Hamlet mergers: scenarios with their figures and classes before and after, proposals for
/// the small-and-aged hamlets, and max-p regions.
public struct MergeStudy: Sendable {
    public var options: MergeStudyOptions
    /// The merged layer's source, for titles and messages.
    public var source: String
    public var units: MergeLayer
    public var crs: CRS
    /// Every result in the comparison, in order: the scenarios, the proposal, the regions.
    public var results: [MergeResultFiles]
    public var proposal: MergeProposal?
    public var regions: (solution: RegionSolution, problem: RegionProblem)?

    public var comparison: MergeComparison { MergeComparison(baseline: units.baseline, results: results.map(\.result)) }

    /// Works on the area's hamlets when it has them, else on its districts (any polygons with counts).
    /// Reads and checks every input before the long work.
    public static func run(_ area: StudyArea, options: MergeStudyOptions, progress: (String) -> Void = { _ in }) throws -> MergeStudy {
        let scenarioList = try options.scenarios.map { path -> [MergeScenario] in
            progress("reading \(path)")
            return try MergeScenarioFile.read(path)
        }
        var (loaded, source, fields) = area.hamlets.map { ($0.districts, $0.file.path, PlanningDistricts.Fields()) }
            ?? (area.districts, area.sources.boundaries, area.sources.fields)
        if let given = options.figures {
            for i in loaded.districts.indices {
                guard let f = given.byID[loaded.districts[i].id] else {
                    throw DataError(file: source, field: "id", "\(loaded.districts[i].id) has no figures in \(given.source)")
                }
                loaded.districts[i].figures = f
                loaded.districts[i].agedKnown = true
            }
        }
        progress("building the contiguity graph of \(loaded.districts.count) units")
        let units = try MergeLayer(loaded.districts, planarCRS: loaded.planarCRS, source: source,
                                   minimumSharedLength: options.minSharedBoundary, islandLinkDistance: options.islandLink)
        var study = MergeStudy(options: options, source: source, units: units, crs: loaded.crs, results: [])
        for (i, scenario) in (scenarioList ?? []).enumerated() {
            let name = String(format: "scenario_%02d", i + 1)
            study.results.append(MergeResultFiles(geojson: name + ".geojson", csv: name + ".csv",
                                                  result: try units.evaluate(scenario, file: options.scenarios!)))
        }
        if options.propose {
            var proposalOptions = ProposalOptions()
            proposalOptions.minimumHouseholds = options.minHouseholds
            proposalOptions.maximumAgingRate = options.maxAging
            proposalOptions.maximumAdded = options.maxAdded
            switch options.within {
            case .anywhere: proposalOptions.within = .anywhere
            case .smallArea:
                guard units.units.contains(where: { $0.parent != nil }) else {
                    throw DataError(file: source, field: fields.parent ?? "key_code",
                                    "no small-area field for --within small-area; name it with --parent")
                }
                proposalOptions.within = .parent
            case .council:
                guard let map = area.councils else { throw ParameterError("within", "merging within councils needs the councils") }
                proposalOptions.within = .council(try map.membership(.hamlets, known: Set(units.units.map(\.id))))
            }
            progress("proposing merges for the small-and-aged hamlets")
            let proposal = units.propose(proposalOptions)
            study.proposal = proposal
            study.results.append(MergeResultFiles(geojson: "proposal.geojson", csv: "proposal.csv", result: proposal.scenario))
        }
        if let floor = options.regions {
            if floor.attribute == .households, let missing = units.units.indices.first(where: { units.figures[$0].households == nil }) {
                throw DataError(file: source, field: fields.households ?? "households", "unit \(units.units[missing].id) has no household count")
            }
            progress("partitioning into regions of \(floor) (\(options.regionOptions.constructions) constructions)")
            let problem = units.regionProblem(floor: floor.value, on: floor.attribute, maximumAgingRate: options.maxAging)
            let solution = try MaxPRegions.solve(problem, options: options.regionOptions, source: source)
            study.regions = (solution, problem)
            // regions.csv is the assignment of each unit; the regions' own table is regions_stats.csv.
            study.results.append(MergeResultFiles(geojson: "regions.geojson", csv: "regions_stats.csv", result: solution.scenario(units)))
        }
        return study
    }

    /// Whether a file name is one a merge study writes (with any options): replaced as a set.
    static func isOutput(_ name: String) -> Bool {
        ["proposal.geojson", "proposal.csv", "proposal_outcomes.csv", "regions.geojson", "regions_stats.csv", "regions.csv",
         "regions_summary.json", "comparison.csv", "comparison.md"].contains(name)
            || name.range(of: #"^scenario_\d+\.(geojson|csv)$"#, options: .regularExpression) != nil
    }

    /// The files `write(to:)` puts in its folder.
    public var files: [String] {
        var names = results.flatMap { [$0.geojson, $0.csv] }
        if proposal != nil { names.append("proposal_outcomes.csv") }
        if regions != nil { names += ["regions.csv", "regions_summary.json"] }
        return names + ["comparison.csv", "comparison.md"]
    }

    /// Each scenario, the proposal and the regions as styled layers (merge_NAME).
    public func layers() throws -> [Layer] {
        let engine = GeometryEngine()
        return try results.map { r in
            var layer = try units.layer(r.result, crs: crs, engine: engine)
            layer.name = "merge_" + r.geojson.replacingOccurrences(of: ".geojson", with: "")
            return layer
        }
    }

    /// Writes every output into `folder` (created if missing; every path checked first) and returns their paths.
    @discardableResult
    public func write(to folder: String, excel: Bool = false, progress: (String) -> Void = { _ in }) throws -> [String] {
        progress("writing \(files.count) files into \(folder)")
        return try OutputFolder.write(folder, files: files, replacing: Self.isOutput) { folder in
            let engine = GeometryEngine()
            for r in results {
                try VectorWriter.write(try units.layer(r.result, crs: crs, engine: engine), to: "\(folder)/\(r.geojson)")
                try units.table(r.result).write(to: "\(folder)/\(r.csv)", excel: excel)
            }
            if let proposal { try units.outcomeTable(proposal).write(to: "\(folder)/proposal_outcomes.csv", excel: excel) }
            if let regions {
                try regions.solution.assignmentTable(units).write(to: "\(folder)/regions.csv", excel: excel)
                try AtomicOutput.write(try regions.solution.summaryJSON(regions.problem, options: options.regionOptions),
                                       to: "\(folder)/regions_summary.json")
            }
            try comparison.table().write(to: "\(folder)/comparison.csv", excel: excel)
            try AtomicOutput.write(Array(comparison.markdown().utf8), to: "\(folder)/comparison.md")
        }
    }
}
