import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// Where candidate sites come from.
public enum HubCandidateSource: Sendable, Hashable {
    /// The demand points themselves (district or hamlet points, or mesh squares).
    case demand
    /// The squares of a mesh level meeting the demand areas (centre, or a point inside).
    case mesh(MeshLevel)
    /// A point file (GeoJSON, GeoPackage, Shapefile, or CSV with lon/lat).
    case file(String)
}

/// Everything `chiiki hubs` is asked, as a value.
public struct HubStudyOptions: Sendable {
    public var demand: String
    public var census: String?
    public var demandOptions = HubDemandOptions()
    /// Apportion the demand areas' weights to squares of this level, which become the demand points.
    public var mesh: MeshLevel?
    /// Or read the demand squares' counts from a mesh-statistics CSV (column `meshField`).
    public var meshStatistics: String?
    public var meshField: String?
    public var candidates: HubCandidateSource = .demand
    public var candidateFields = HubCandidates.Fields()
    /// Candidate ids open in every solution (existing hubs).
    public var fixed: [String] = []
    /// The weight every candidate can serve, unless its capacity field says otherwise; with
    /// neither, sites have no limit.
    public var capacity: Double?
    /// With capacities, each demand point is served by one hub (else it may be split).
    public var singleSource = false
    /// Road lines: distances along them instead of straight lines.
    public var roads: String?
    public var model: HubModel
    /// For p-median and p-center, a radius to report coverage against (their own models have none).
    public var reportRadius: Double?
    public var method: HubMethod = .auto
    /// CBC's budget in seconds; nil: 60 s for `.auto` (a default answer should come soon), 300 s for `.exact`.
    public var timeLimit: Double?
    public var effectiveTimeLimit: Double { timeLimit ?? (method == .exact ? 300 : 60) }
    /// The coverage curve runs p = 1…curve (default: the solution's number of hubs).
    public var curve: Int?
    /// Solve the MCLP for every p of the curve (`method`, within the time limit) instead of one
    /// greedy pass with its bounds.
    public var exactCurve = false
    public var encoding: TextEncoding?
    /// Snapping farther than this (m) is listed as a warning.
    public var snapWarning = 500.0

    public init(demand: String, model: HubModel) {
        self.demand = demand
        self.model = model
    }

    /// For a study area, which gives the demand (`HubStudy.run(_:options:)`).
    public init(model: HubModel) {
        self.init(demand: "", model: model)
    }

    /// The radius coverage is measured against, if any.
    public var radius: Double? { model.radius ?? reportRadius }
}

/// One point of the coverage curve: the best covered share found with p hubs.
public struct HubCurvePoint: Sendable, Hashable {
    public var p: Int
    public var covered: Double
    public var share: Double
    /// Upper bound on the covered weight with p hubs (equal to `covered` when proven).
    public var bound: Double
}

/// How points joined the road graph.
public struct HubRoadSummary: Sendable {
    public var source: String
    public var nodes: Int
    public var segments: Int
    public var lengthM: Double
    public var components: Int
    public var largestShare: Double
    /// Snapping distance of each demand point and each candidate (m).
    public var demandSnaps: [Double]
    public var candidateSnaps: [Double]
    /// Points snapped to a part of the graph other than the largest.
    public var demandOffMain: Int
    public var candidatesOffMain: Int
}

/// A solved siting study: inputs as read, the problem, its solution and what the report needs.
public struct HubStudy: Sendable {
    public var options: HubStudyOptions
    /// Demand points in the problem (weight above 0), and how many were left out at 0.
    public var demand: [HubPlace]
    public var droppedZeroWeight: Int
    public var candidates: [HubPlace]
    /// The demand polygons (empty for point demand).
    public var areas: [District]
    public var crs: CRS
    public var planarCRS: CRS
    public var demandDescription: String
    public var weightSource: String
    public var candidateDescription: String
    public var distanceDescription: String
    public var roads: HubRoadSummary?
    public var problem: HubProblem
    public var solution: HubSolution
    public var curve: [HubCurvePoint]
    public var warnings: [String]

    public var totalWeight: Double { problem.totalWeight }
}

extension HubStudy {
    /// Reads `options.demand` (and `options.census`), then sites the hubs.
    public static func run(_ options: HubStudyOptions, progress: (String) -> Void = { _ in }) throws -> HubStudy {
        progress("reading \(options.demand)")
        let file = try VectorReader.read(options.demand, encoding: options.encoding)
        let census = try options.census.map { try CensusCSV.read($0, encoding: options.encoding) }
        return try run(options, demand: file, census: census, progress: progress)
    }

    /// Sites hubs for the people of a study area: its hamlets when it has them, else its small
    /// areas with the census. `options.demand` and `options.census` are taken from the area.
    public static func run(_ area: StudyArea, options: HubStudyOptions, progress: (String) -> Void = { _ in }) throws -> HubStudy {
        var options = options
        if let hamlets = area.hamlets {
            options.demand = hamlets.file.path
            options.census = nil
            return try run(options, demand: hamlets.file, census: nil, progress: progress)
        }
        guard let census = area.census else {
            throw ParameterError("demand", "siting hubs needs hamlets or a census for the small areas")
        }
        options.demand = area.sources.boundaries
        options.census = area.sources.census
        return try run(options, demand: try VectorReader.read(area.sources.boundaries, encoding: area.sources.encoding),
                       census: census.table, progress: progress)
    }

    /// Sites the hubs for demand read from `file` (with `census` joined to its small areas).
    public static func run(_ options: HubStudyOptions, demand file: VectorFile, census: CensusTable?,
                           progress: (String) -> Void = { _ in }) throws -> HubStudy {
        let measurer = Measurer()
        var demandOptions = options.demandOptions
        demandOptions.needsWeights = options.meshStatistics == nil
        let loaded = try HubDemand.load(file, census: census, options: demandOptions, measurer: measurer)
        var warnings = loaded.warnings
        let geographic = loaded.crs.isGeographic ? loaded.crs : (loaded.crs.japaneseDatum == .jgd2000 ? CRS.jgd2000 : .jgd2011)

        // Demand points.
        var all = loaded.points
        var description = loaded.description
        var weightSource = loaded.weightSource
        var squares: (level: MeshLevel, places: [HubPlace])?
        func meshPlaces(_ level: MeshLevel) throws -> [HubPlace] {
            if let squares, squares.level == level { return squares.places }
            guard !loaded.areas.isEmpty else {
                throw DataError(file: options.demand, "mesh squares are made from demand polygons; this layer holds points")
            }
            progress("apportioning to \(level) mesh squares")
            let cells = try MeshSquares.apportion(loaded.areas, weights: loaded.areaWeights, level: level, lonLatCRS: geographic, areaCRS: loaded.crs,
                                                  planarCRS: loaded.planarCRS)
            let back = try measurer.transformer(from: loaded.planarCRS, to: loaded.crs)
            let locations = try back.transform(cells.map(\.planar))
            return cells.indices.map { k in
                HubPlace(id: cells[k].code.code, name: "\(level) mesh \(cells[k].code)", location: locations[k],
                         planar: cells[k].planar, weight: cells[k].weight)
            }
        }
        if let path = options.meshStatistics {
            guard let field = options.meshField else {
                throw DataError(file: path, "name the column holding the counts with --mesh-field")
            }
            progress("reading \(path)")
            let stats = try MeshStatistics.read(path, field: field, encoding: options.encoding)
            let toPlane = try measurer.transformer(from: geographic, to: loaded.planarCRS)
            let toOutput = try measurer.transformer(from: geographic, to: loaded.crs)
            let centres = stats.counts.map(\.code.center)
            let planar = try toPlane.transform(centres), output = try toOutput.transform(centres)
            all = stats.counts.indices.map { k in
                HubPlace(id: stats.counts[k].code.code, name: "\(stats.level) mesh \(stats.counts[k].code)", location: output[k],
                         planar: planar[k], weight: stats.counts[k].value)
            }
            description = "\(TextFormat.grouped(all.count)) \(stats.level) mesh squares of \(path) (square centres)"
            weightSource = "column \(field) of \(path)"
            if !stats.suppressed.isEmpty {
                warnings.append("\(stats.suppressed.count) suppressed square(s) counted as 0: \(TextFormat.listed(stats.suppressed))")
            }
            let outside = try PointsOutside.find(all.map(\.planar), polygons: try loaded.areas.planeShapes(), planarCRS: loaded.planarCRS,
                                                 measurer: measurer)
            if !outside.isEmpty {
                warnings.append("\(outside.count) mesh square centre(s) lie outside the demand areas: \(TextFormat.listed(outside.map { "\(all[$0.point].id) (\(Int($0.distance.rounded())) m)" }))")
            }
        } else if let level = options.mesh {
            all = try meshPlaces(level)
            squares = (level, all)
            description = "\(TextFormat.grouped(all.count)) \(level) mesh squares meeting \(loaded.description.components(separatedBy: " (").first ?? options.demand) "
                + "(weights apportioned by area; centre, or a point inside where the centre is outside)"
        }

        // Candidates.
        var candidates: [HubPlace]
        let candidateDescription: String
        switch options.candidates {
        case .demand:
            candidates = all.map { HubPlace(id: $0.id, name: $0.name, location: $0.location, planar: $0.planar) }
            candidateDescription = "the \(TextFormat.grouped(all.count)) demand points"
        case .mesh(let level):
            candidates = try meshPlaces(level).map { HubPlace(id: $0.id, name: $0.name, location: $0.location, planar: $0.planar) }
            candidateDescription = "\(TextFormat.grouped(candidates.count)) \(level) mesh squares meeting the demand areas"
        case .file(let path):
            progress("reading \(path)")
            let read = try HubCandidates.read(path, fields: options.candidateFields, planarCRS: loaded.planarCRS,
                                              outputCRS: loaded.crs, encoding: options.encoding, measurer: measurer)
            candidates = read.sites
            warnings += read.warnings
            candidateDescription = "\(candidates.count) sites of \(path)"
            let outside = try PointsOutside.find(candidates.map(\.planar), polygons: try loaded.areas.planeShapes(),
                                                 planarCRS: loaded.planarCRS, measurer: measurer)
            if !outside.isEmpty {
                warnings.append("\(outside.count) candidate(s) lie outside the demand areas: "
                                + TextFormat.listed(outside.map { "\(candidates[$0.point].id) (\(Int($0.distance.rounded())) m outside)" }))
            }
        }
        let index = Dictionary(candidates.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var fixed: [Int] = []
        for id in options.fixed {
            guard let j = index[id] else {
                throw ParameterError("fixed", "no candidate site with id \(id) (candidates: \(candidateDescription))")
            }
            if !fixed.contains(j) { fixed.append(j) }
            candidates[j].fixed = true
        }

        // Demand with weight: the rest cannot change any objective.
        let demand = all.filter { $0.weight > 0 }
        guard !demand.isEmpty else {
            throw DataError(file: options.meshStatistics ?? options.demand, "no demand: every weight (\(weightSource)) is 0")
        }

        // Distances.
        let radius = options.radius
        let complete = demand.count.multipliedReportingOverflow(by: candidates.count).partialValue <= CostMatrix.maximumPairs
        let keep: Double? = complete ? nil : options.model.radius
        var roadSummary: HubRoadSummary?
        let costs: CostMatrix
        let distanceDescription: String
        if let roadsPath = options.roads {
            progress("reading \(roadsPath) and building the road graph")
            let roadFile = try VectorReader.read(roadsPath, encoding: options.encoding)
            let network = try RoadNetwork.read(roadFile, planarCRS: loaded.planarCRS, measurer: measurer)
            let source = "\(roadsPath): \(roadFile.layer.features.count) features"
            let demandSnaps = demand.map { network.snap($0.planar) }
            // Roads of another place (or in another CRS): every distance would be the walk to them.
            if let nearest = demandSnaps.map(\.distance).min(), nearest > options.snapWarning {
                throw DataError(file: roadsPath, "no road within \(Int(options.snapWarning)) m of any demand point (the nearest is "
                                + "\(TextFormat.metres(nearest)) away): roads of another area, or in another CRS?")
            }
            let candidateSnaps = candidates.map { network.snap($0.planar) }
            progress("shortest paths from \(candidates.count) candidates")
            costs = try CostMatrix.road(network, demand: demandSnaps, candidates: candidateSnaps, radius: keep)
            let main = Int32(network.largestComponent)
            roadSummary = HubRoadSummary(source: source, nodes: network.nodes.count, segments: network.edges.count,
                                         lengthM: network.totalLength, components: network.componentCount,
                                         largestShare: network.componentLength[Int(main)] / network.totalLength,
                                         demandSnaps: demandSnaps.map(\.distance), candidateSnaps: candidateSnaps.map(\.distance),
                                         demandOffMain: demandSnaps.filter { $0.component != main }.count,
                                         candidatesOffMain: candidateSnaps.filter { $0.component != main }.count)
            warnings += roadWarnings(roadSummary!, demand: demand, candidates: candidates, threshold: options.snapWarning)
            distanceDescription = "along the roads of \(roadsPath) in \(loaded.planarCRS.name), plus the straight walk from "
                + "each point to the nearest road (its snapping distance) at both ends"
        } else {
            progress("distances from \(demand.count) demand points to \(candidates.count) candidates")
            if !complete, keep == nil, case .pMedian(let p) = options.model {
                // Too many pairs for a complete matrix: each point's nearest candidates, and the
                // coordinates for the rest (ListPMedian).
                costs = try CostMatrix.nearest(from: demand.map(\.planar), to: candidates.map(\.planar),
                                               count: ListPMedian.listLength(candidates: candidates.count, p: p))
            } else {
                costs = try CostMatrix.euclidean(from: demand.map(\.planar), to: candidates.map(\.planar), radius: keep)
            }
            distanceDescription = "straight line in \(loaded.planarCRS.name)"
        }

        let capacities = try capacities(options, candidates: candidates, description: candidateDescription)
        let problem = try HubProblem(model: options.model, weights: demand.map(\.weight), costs: costs, fixed: fixed,
                                     demandNames: demand.map(\.id), capacities: capacities)
        if case .mclp = options.model, costs.storedPairs < demand.count {
            let none = problem.unservable()
            if !none.isEmpty { warnings.append("\(none.count) demand point(s) can reach no candidate: never covered") }
        }
        progress("solving \(options.model) (\(options.method.rawValue))")
        let solution = try HubSolver.solve(problem, method: options.method, timeLimit: options.effectiveTimeLimit)
        switch options.model {
        case .pMedian, .pCenter:
            // Every point must reach a hub; on a disconnected road graph p hubs may not reach all parts.
            let unserved = solution.assignment.indices.filter { solution.assignment[$0] == nil }
            if !unserved.isEmpty {
                throw DataError(file: options.roads ?? "hubs", "\(unserved.count) demand point(s) can reach none of the \(solution.open.count) "
                                + "hubs (the road graph is disconnected): \(TextFormat.listed(unserved.map { demand[$0].id }))")
            }
        case .lscp, .mclp:
            break
        }
        var curve: [HubCurvePoint] = []
        if capacities != nil, radius != nil {
            warnings.append("no coverage curve with capacities: it counts the weight within reach of p hubs, which capacities do not bound")
        } else if radius != nil, !costs.isComplete, costs.radius == nil {
            warnings.append("no coverage curve: the distances keep each point's nearest candidates only (too many pairs for a complete matrix)")
        } else if let radius {
            progress(options.exactCurve ? "coverage curve (solved for every p)" : "coverage curve (one greedy pass)")
            let upTo = options.curve ?? max(solution.open.count, fixed.count, 1)
            curve = options.exactCurve
                ? try CoverageCurve.solved(problem, radius: radius, upTo: upTo, timeLimit: options.effectiveTimeLimit)
                : CoverageCurve.greedy(problem, radius: radius, upTo: upTo)
            curve = CoverageCurve.including(solution, of: problem, in: curve)
        }
        return HubStudy(options: options, demand: demand, droppedZeroWeight: all.count - demand.count, candidates: candidates,
                        areas: loaded.areas, crs: loaded.crs, planarCRS: loaded.planarCRS, demandDescription: description,
                        weightSource: weightSource, candidateDescription: candidateDescription,
                        distanceDescription: distanceDescription, roads: roadSummary, problem: problem, solution: solution,
                        curve: curve, warnings: warnings)
    }

    /// Each candidate's capacity (its field, else `options.capacity`); nil when none is given.
    static func capacities(_ options: HubStudyOptions, candidates: [HubPlace], description: String) throws -> HubCapacities? {
        guard options.capacity != nil || candidates.contains(where: { $0.capacity != nil }) else {
            if options.singleSource { throw ParameterError("singleSource", "a single source needs capacities (a capacity field or --capacity)") }
            return nil
        }
        if let c = options.capacity, !c.isFinite || c < 0 {
            throw ParameterError("capacity", "expected a capacity (people, a number ≥ 0), found \(c)")
        }
        let limits = try candidates.map { site -> Double in
            guard let limit = site.capacity ?? options.capacity else {
                throw ParameterError("capacity", "candidate \(site.id) of \(description) has no capacity: fill its capacity field or give --capacity for the rest")
            }
            return limit
        }
        return HubCapacities(limits: limits, singleSource: options.singleSource)
    }

    static func roadWarnings(_ r: HubRoadSummary, demand: [HubPlace], candidates: [HubPlace], threshold: Double) -> [String] {
        var out: [String] = []
        if r.components > 1 {
            out.append("the road graph is disconnected: \(r.components) parts, the largest with \(TextFormat.percent(r.largestShare)) of the length; "
                       + "\(r.demandOffMain) demand point(s) and \(r.candidatesOffMain) candidate(s) snapped to other parts "
                       + "(trips between parts are impossible)")
        }
        let farDemand = r.demandSnaps.indices.filter { r.demandSnaps[$0] > threshold }
        if !farDemand.isEmpty {
            out.append("\(farDemand.count) demand point(s) are more than \(Int(threshold)) m from any road: "
                       + TextFormat.listed(farDemand.map { "\(demand[$0].id) (\(Int(r.demandSnaps[$0].rounded())) m)" }))
        }
        let farSites = r.candidateSnaps.indices.filter { r.candidateSnaps[$0] > threshold }
        if !farSites.isEmpty {
            out.append("\(farSites.count) candidate(s) are more than \(Int(threshold)) m from any road: "
                       + TextFormat.listed(farSites.map { "\(candidates[$0].id) (\(Int(r.candidateSnaps[$0].rounded())) m)" }))
        }
        return out
    }
}
