import GeoCore
import GeoIO

/// The four siting models. Coverage means a distance of at most `radius` metres; `p` counts every
/// hub, fixed (existing) ones included.
public enum HubModel: Sendable, Hashable, CustomStringConvertible {
    /// Location set covering: the fewest hubs so that every demand point is within the radius.
    case lscp(radius: Double)
    /// Maximal covering location: `p` hubs covering the most demand weight within the radius.
    case mclp(radius: Double, p: Int)
    /// p-median: `p` hubs with the least total (so least mean) weighted distance to the nearest hub.
    case pMedian(p: Int)
    /// p-center: `p` hubs with the least maximum distance from any demand point to its nearest hub.
    case pCenter(p: Int)

    public var name: String {
        switch self {
        case .lscp: return "lscp"
        case .mclp: return "mclp"
        case .pMedian: return "p-median"
        case .pCenter: return "p-center"
        }
    }

    public var p: Int? {
        switch self {
        case .lscp: return nil
        case .mclp(_, let p), .pMedian(let p), .pCenter(let p): return p
        }
    }

    public var radius: Double? {
        switch self {
        case .lscp(let r), .mclp(let r, _): return r
        case .pMedian, .pCenter: return nil
        }
    }

    /// Whether the objective is maximised (MCLP's covered weight) rather than minimised.
    public var maximises: Bool { if case .mclp = self { return true } else { return false } }

    /// What the objective counts, for summaries.
    public var objectiveMeaning: String {
        switch self {
        case .lscp: return "hubs needed"
        case .mclp: return "weight covered"
        case .pMedian: return "total weighted distance (m)"
        case .pCenter: return "maximum distance (m)"
        }
    }

    public var description: String {
        switch self {
        case .lscp(let r): return "LSCP (every demand point within \(Int(r)) m)"
        case .mclp(let r, let p): return "MCLP (p = \(p), within \(Int(r)) m)"
        case .pMedian(let p): return "p-median (p = \(p))"
        case .pCenter(let p): return "p-center (p = \(p))"
        }
    }
}

/// A model with its data: demand weights, the cost matrix and the sites that must open.
/// Built once, checked on construction, then handed to the exact or the heuristic solver.
public struct HubProblem: Sendable {
    public let model: HubModel
    public let weights: [Double]
    public let costs: CostMatrix
    /// Candidate indices that are open in every solution (existing hubs), ascending.
    public let fixed: [Int]
    /// Names for messages (demand point ids), parallel to `weights`.
    public let demandNames: [String]
    /// What each site can serve; nil: no limit (each point goes to its nearest open hub).
    public let capacities: HubCapacities?

    public var demandCount: Int { weights.count }
    public var candidateCount: Int { costs.candidateCount }
    public var totalWeight: Double { weights.reduce(0, +) }

    public init(model: HubModel, weights: [Double], costs: CostMatrix, fixed: [Int] = [], demandNames: [String]? = nil,
                capacities: HubCapacities? = nil) throws {
        let source = "hubs"
        guard !weights.isEmpty else { throw DataError(file: source, "no demand point with a weight above 0") }
        guard weights.count == costs.demandCount else {
            throw ParameterError("weights", "\(weights.count) weights for \(costs.demandCount) cost-matrix rows: one per row")
        }
        if let bad = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw DataError(file: source, record: bad + 1, field: "weight", "expected a weight ≥ 0, found \(weights[bad])")
        }
        guard costs.candidateCount > 0 else { throw DataError(file: source, "no candidate site") }
        let fixedSet = Set(fixed)
        guard fixedSet.count == fixed.count, fixed.allSatisfy({ (0..<costs.candidateCount).contains($0) }) else {
            throw ParameterError("fixed", "fixed sites must be distinct candidate indices below \(costs.candidateCount); got \(fixed)")
        }
        if let p = model.p {
            guard p >= 1 else { throw ParameterError("p", "p must be at least 1; got \(p)") }
            guard p <= costs.candidateCount else {
                throw ParameterError("p", "p = \(p) is larger than the \(costs.candidateCount) candidate sites")
            }
            guard fixed.count <= p else {
                throw ParameterError("fixed", "\(fixed.count) fixed sites do not fit in p = \(p)")
            }
        }
        if let r = model.radius {
            guard r.isFinite, r > 0 else { throw ParameterError("radius", "the radius must be a distance above 0 m; got \(r)") }
            if let kept = costs.radius, kept < r {
                throw ParameterError("costs", "the cost matrix keeps pairs within \(kept) m, less than the model's radius \(r) m")
            }
        } else {
            // p-median also runs on each point's nearest candidates (with the coordinates for the rest).
            var nearestWillDo = false
            if case .pMedian = model { nearestWillDo = costs.knowsEveryPair }
            guard costs.isComplete || nearestWillDo else {
                throw ParameterError("costs", "p-median and p-center need a complete cost matrix (p-median: or nearest candidates with coordinates)")
            }
        }
        self.model = model
        self.weights = weights
        self.costs = costs
        self.fixed = fixed.sorted()
        self.demandNames = demandNames ?? weights.indices.map { "demand point \($0 + 1)" }
        self.capacities = capacities
        if let capacities { try checkCapacities(capacities) }
    }

    /// The same problem with no limit on what a site serves.
    public func withoutCapacities() throws -> HubProblem {
        try HubProblem(model: model, weights: weights, costs: costs, fixed: fixed, demandNames: demandNames)
    }

    /// Demand points no candidate can serve (no reachable candidate, or none within the radius
    /// for LSCP, where everyone must be covered).
    public func unservable() -> [Int] {
        switch model {
        case .lscp(let r):
            return (0..<demandCount).filter { i in
                let row = costs.entries(i)
                return row.isEmpty || costs.distance(row.lowerBound) > r
            }
        default:
            return (0..<demandCount).filter { costs.entries($0).isEmpty }
        }
    }

    /// Fails, naming the points, when the model cannot be solved: LSCP with a point beyond reach
    /// of every candidate, or p-median / p-center with a point no candidate can reach.
    public func checkFeasible() throws {
        let bad = unservable()
        func names(_ bad: [Int]) -> String {
            bad.prefix(10).map { demandNames[$0] }.joined(separator: ", ") + (bad.count > 10 ? ", …" : "")
        }
        if bad.isEmpty, let c = capacities {
            let over = overCapacity(c)
            guard !over.isEmpty else { return }
            let whole = c.singleSource ? " whole (one hub each)" : ""
            let listed = over.prefix(10).map { formatReal(weights[$0]) }.joined(separator: ", ")
            throw ParameterError("capacity", "\(over.count) demand point(s) fit no site they may use\(whole): \(names(over)) (weights \(listed))")
        }
        guard !bad.isEmpty else { return }
        let names = names(bad)
        switch model {
        case .lscp(let r):
            throw DataError(file: "hubs", "LSCP is infeasible: \(bad.count) demand point(s) have no candidate within \(Int(r)) m: \(names)")
        case .pMedian, .pCenter:
            throw DataError(file: "hubs", "\(bad.count) demand point(s) can reach no candidate (road graph disconnected?): \(names)")
        case .mclp:
            return
        }
    }
}

/// Chosen sites, with how good they are known to be.
public struct HubSolution: Sendable, CustomStringConvertible {
    /// Open candidate indices, ascending (fixed ones included).
    public var open: [Int]
    /// Each demand point's nearest open site (ties: lowest index); nil when none is reachable.
    public var assignment: [Int?]
    /// The model's objective for these sites (see `HubModel.objectiveMeaning`).
    public var objective: Double
    /// A proven bound: lower for minimising models, upper for MCLP.
    public var bound: Double
    public var provenOptimal: Bool
    /// How the sites were found and the bound proven.
    public var method: String
    /// With capacities, each point's hubs and the share each serves (empty: not served); nil
    /// without capacities, where each point is served whole by `assignment`.
    public var shares: [[HubShare]]?

    /// Demand point i's hubs and shares, with or without capacities.
    public func shares(of i: Int) -> [HubShare] {
        if let shares { return shares[i] }
        return assignment[i].map { [HubShare(site: $0, fraction: 1)] } ?? []
    }

    public var description: String { "sites \(open), objective \(objective), bound \(bound) (\(method))" }

    /// |objective − bound| / |objective| (0 when optimal).
    public var gap: Double {
        if provenOptimal { return 0 }
        let scale = abs(objective)
        guard scale > 0 else { return bound == objective ? 0 : .infinity }
        return max(0, abs(objective - bound) / scale)
    }
}

extension HubProblem {
    /// The solution for a set of open sites: nearest-site assignment and the model's objective.
    public func evaluate(_ open: [Int], bound: Double, provenOptimal: Bool, method: String) -> HubSolution {
        let sites = Array(Set(open)).sorted()
        var isOpen = [Bool](repeating: false, count: candidateCount)
        for j in sites { isOpen[j] = true }
        var assignment: [Int?] = Array(repeating: nil, count: demandCount)
        var distance = [Double](repeating: .infinity, count: demandCount)
        for i in 0..<demandCount {
            // Rows are sorted by distance, ties by index: the first open entry is the nearest.
            for k in costs.entries(i) where isOpen[costs.column(k)] {
                assignment[i] = costs.column(k)
                distance[i] = costs.distance(k)
                break
            }
            // A row of nearest candidates may hold no open site: the nearest is then computed.
            if assignment[i] == nil, !costs.isComplete, costs.knowsEveryPair {
                for j in sites where costs.cost(i, j) < distance[i] { assignment[i] = j; distance[i] = costs.cost(i, j) }
            }
        }
        let objective: Double
        switch model {
        case .lscp: objective = Double(sites.count)
        case .mclp(let r, _): objective = (0..<demandCount).reduce(0) { $0 + (distance[$1] <= r ? weights[$1] : 0) }
        case .pMedian: objective = (0..<demandCount).reduce(0) { $0 + weights[$1] * distance[$1] }
        case .pCenter: objective = distance.max() ?? 0
        }
        return finished(HubSolution(open: sites, assignment: assignment, objective: objective, bound: bound,
                                    provenOptimal: provenOptimal, method: method), tolerance: 1e-9)
    }

    /// A bound is never on the wrong side of a solution that exists; rounding can put it a hair
    /// there (within `tolerance`, relative), and it is then set to the objective. A larger
    /// difference is a bug, and left for the tests to see.
    func finished(_ solution: HubSolution, tolerance: Double) -> HubSolution {
        var solution = solution
        let wrongSide = model.maximises ? solution.objective - solution.bound : solution.bound - solution.objective
        if wrongSide > 0, wrongSide <= tolerance * max(1, abs(solution.objective)) { solution.bound = solution.objective }
        return solution
    }
}
