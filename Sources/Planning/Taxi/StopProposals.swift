import Demography
import GeoCore
import GeoEngine

/// Settings for proposing new stops in the gap.
public struct StopProposalOptions: Sendable {
    /// How many new stops to place.
    public var count = 10
    /// A stop serves the gap within this distance: the bus-stop radius unless told otherwise.
    public var radius = 300.0
    /// No new stop closer than this to another new stop or to an existing stop or station.
    public var spacing = 500.0
    /// The gap's people are gathered on square cells of this size; the cell centres are also the
    /// candidate sites.
    public var cell = 200.0
    /// Prove the best choice with CBC (exact), or stop at the heuristic.
    public var exact = false
    public var timeLimit = 60.0
    public init() {}
}

public struct ProposedStop: Sendable {
    public var name: String
    /// Plane zone (metres).
    public var position: Coordinate
    /// The district it lies in (index), if any.
    public var district: Int?
    /// People in the gap within the radius, each counted for the nearest new stop only.
    public var aged: Double
    public var population: Double
}

public struct StopProposal: Sendable {
    public var stops: [ProposedStop]
    /// Gap aged 65+ within the radius of some new stop, of `gapAged` in all.
    public var coveredAged: Double
    public var gapAged: Double
    /// No choice of stops can cover more aged 65+ than this (proven).
    public var bound: Double
    public var provenOptimal: Bool
    public var method: String
    public var demandPoints: Int
    public var candidates: Int
}

/// New stops covering the most aged 65+ in the gap: the maximal covering location problem of
/// the hub models (`HubProblem`, `.mclp`) on the gap's cells, with a minimum spacing between
/// stops. The hub solver's MCLP without the spacing rule gives a proven bound (spacing only
/// removes choices); when its sites already keep the spacing they are the answer, otherwise a
/// spacing-aware greedy-and-swap search (or CBC with `exact`) chooses.
public enum StopProposals {
    public static func propose(_ gap: TransitGapResult, districts: [District], existing: [TransitStop],
                               options: StopProposalOptions, network: RoadNetwork? = nil,
                               measurer: Measurer = Measurer()) throws -> StopProposal {
        guard options.count >= 1 else { throw ParameterError("proposal.count", "the number of new stops must be at least 1; got \(options.count)") }
        guard options.cell > 0, options.radius > 0, options.spacing >= 0 else {
            throw ParameterError("proposal.cell", "cell and radius must be above 0 m, spacing at least 0 m")
        }
        let demand = try demandPoints(gap, cell: options.cell, engine: measurer.engine)
        let gapAged = demand.reduce(0) { $0 + $1.aged }
        guard !demand.isEmpty, gapAged > 0 else {
            throw DataError(file: "taxi", "no one aged 65+ lives in the gap: there is nothing for new stops to cover")
        }
        // Candidates: the cell centres not within the spacing of an existing stop.
        let existingGrid = PointGrid(existing.map(\.point.position), cell: max(options.spacing, 1))
        let candidates = demand.indices.filter { existingGrid.within(options.spacing, of: demand[$0].position).isEmpty }
        guard !candidates.isEmpty else {
            throw DataError(file: "taxi", "every gap cell is within \(formatMetres(options.spacing)) of an existing stop: no room for a new stop")
        }
        let positions = candidates.map { demand[$0].position }
        let costs: CostMatrix
        if let network {
            let demandSnaps = demand.map { network.snap($0.position) }
            costs = try CostMatrix.road(network, demand: demandSnaps, candidates: candidates.map { demandSnaps[$0] }, radius: options.radius)
        } else {
            costs = try CostMatrix.euclidean(from: demand.map(\.position), to: positions, radius: options.radius)
        }
        let p = min(options.count, candidates.count)
        let problem = try HubProblem(model: .mclp(radius: options.radius, p: p), weights: demand.map(\.aged), costs: costs,
                                     demandNames: demand.indices.map { "gap cell \($0 + 1)" })
        let free = try HubSolver.solve(problem, method: .heuristic)
        let search = SpacedCover(problem: problem, radius: options.radius, p: p, positions: positions, spacing: options.spacing)
        var chosen = free.open
        var method = "MCLP (hub models), " + free.method
        var proven = free.provenOptimal
        if !search.keepsSpacing(chosen) {
            chosen = search.greedyAndSwaps()
            method = "spacing-aware greedy + swaps; bound: MCLP without the spacing rule (\(free.method))"
            proven = false
            if options.exact {
                let exact = try search.exact(start: chosen, timeLimit: options.timeLimit)
                chosen = exact.open
                proven = exact.provenOptimal
                method = "CBC with pairwise spacing rows" + (proven ? ", proven optimal" : ", time limit: best found")
            }
        } else if options.exact && !free.provenOptimal {
            let exact = try HubSolver.solve(problem, method: .exact, timeLimit: options.timeLimit)
            chosen = exact.open
            proven = exact.provenOptimal
            method = "MCLP (hub models), " + exact.method
        }
        let covered = problem.evaluate(chosen, bound: free.bound, provenOptimal: proven, method: method)
        return summarise(covered, demand: demand, candidates: candidates, positions: positions, names: districts,
                         bound: proven ? covered.objective : free.bound, gapAged: gapAged)
    }

    struct DemandPoint {
        var position: Coordinate
        var district: Int
        var aged: Double
        var population: Double
    }

    /// The gap's people on cell centres: each district's gap counts shared evenly among the
    /// centres inside its gap (so the total is kept); a gap holding no centre gets one point on
    /// its surface.
    static func demandPoints(_ gap: TransitGapResult, cell: Double, engine: GeometryEngine) throws -> [DemandPoint] {
        var out: [DemandPoint] = []
        for d in gap.districts where d.aged > 0 || d.population > 0 {
            guard let shape = d.gap, let box = shape.boundingBox else { continue }
            let polygons = shape.polygons
            var centres: [Coordinate] = []
            var y = ((box.minY / cell).rounded(.down) + 0.5) * cell
            while y <= box.maxY {
                var x = ((box.minX / cell).rounded(.down) + 0.5) * cell
                while x <= box.maxX {
                    let c = Coordinate(x, y)
                    if polygons.contains(where: { $0.contains(c) }) { centres.append(c) }
                    x += cell
                }
                y += cell
            }
            if centres.isEmpty { centres = [try engine.pointOnSurface(shape)] }
            let n = Double(centres.count)
            out += centres.map { DemandPoint(position: $0, district: d.district, aged: d.aged / n, population: d.population / n) }
        }
        return out
    }

    static func summarise(_ solution: HubSolution, demand: [DemandPoint], candidates: [Int], positions: [Coordinate],
                          names: [District], bound: Double, gapAged: Double) -> StopProposal {
        // The cost matrix keeps only pairs within the radius, so a demand point with a nearest
        // open site is covered, and counts for that site only.
        var aged: [Int: Double] = [:], population: [Int: Double] = [:]
        var coveredAged = 0.0
        for (i, site) in solution.assignment.enumerated() {
            guard let site else { continue }
            aged[site, default: 0] += demand[i].aged
            population[site, default: 0] += demand[i].population
            coveredAged += demand[i].aged
        }
        // Named in order of the aged 65+ they serve, most first.
        let order = solution.open.sorted { (aged[$0] ?? 0, -$0) > (aged[$1] ?? 0, -$1) }
        let stops = order.enumerated().map { k, site -> ProposedStop in
            let district = demand[candidates[site]].district
            return ProposedStop(name: "新\(String(format: "%02d", k + 1)) \(names[district].name)", position: positions[site],
                                district: district, aged: aged[site] ?? 0, population: population[site] ?? 0)
        }
        return StopProposal(stops: stops, coveredAged: coveredAged, gapAged: gapAged, bound: max(bound, coveredAged),
                            provenOptimal: solution.provenOptimal, method: solution.method,
                            demandPoints: demand.count, candidates: candidates.count)
    }
}

extension Polygon {
    /// Even-odd point-in-polygon over all rings (holes included), for planar coordinates.
    func contains(_ p: Coordinate) -> Bool {
        var inside = false
        for ring in rings where ring.count > 2 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                j = i
            }
        }
        return inside
    }
}
