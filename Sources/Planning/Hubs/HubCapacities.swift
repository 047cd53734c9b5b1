import GeoCore
import GeoIO

/// What each candidate site can serve (in demand weight: people), and whether a demand point may
/// be split between hubs. With capacities a point no longer simply goes to its nearest open hub:
/// the allocation is part of the answer.
public struct HubCapacities: Sendable, Hashable {
    /// The weight each candidate can serve, by candidate index.
    public var limits: [Double]
    /// Every demand point served by one hub (a hamlet goes to one 拠点), as spopt's capacitated
    /// p-median; otherwise a point's weight may be shared between hubs.
    public var singleSource: Bool

    public init(limits: [Double], singleSource: Bool = false) {
        self.limits = limits
        self.singleSource = singleSource
    }
}

/// A share of a demand point's weight served by one hub.
public struct HubShare: Sendable, Hashable {
    public var site: Int
    /// Of the point's weight, in (0, 1].
    public var fraction: Double
}

extension HubProblem {
    /// The pairs a point may be served by: any reachable site (p-median), or a site within the
    /// radius (MCLP, LSCP: serving from farther covers nothing).
    func admissible(_ i: Int) -> [(site: Int, distance: Double)] {
        let radius = model.radius ?? .infinity
        return costs.entries(i).lazy.filter { self.costs.distance($0) <= radius }.map { (self.costs.column($0), self.costs.distance($0)) }
    }

    /// Fails, naming the values, when no choice of sites can hold the demand.
    func checkCapacities(_ c: HubCapacities) throws {
        guard c.limits.count == candidateCount else {
            throw ParameterError("capacity", "\(c.limits.count) capacities for \(candidateCount) candidate sites: one per site")
        }
        if let bad = c.limits.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw ParameterError("capacity", "candidate \(bad + 1) has capacity \(c.limits[bad]): expected a number ≥ 0")
        }
        let total = totalWeight
        switch model {
        case .pCenter:
            throw ParameterError("capacity", "capacities apply to p-median, MCLP and LSCP, not to p-center")
        case .pMedian(let p):
            // The fixed sites and the p − |fixed| largest of the others hold the most.
            let fixedSet = Set(fixed)
            let others = c.limits.indices.filter { !fixedSet.contains($0) }.map { c.limits[$0] }.sorted(by: >)
            let most = fixed.reduce(0) { $0 + c.limits[$1] } + others.prefix(p - fixed.count).reduce(0, +)
            if most < total {
                throw ParameterError("capacity", "the \(p) hubs can hold at most \(formatReal(most)) (the largest capacities), "
                                     + "less than the total demand weight \(formatReal(total))")
            }
        case .lscp:
            let all = c.limits.reduce(0, +)
            if all < total {
                throw ParameterError("capacity", "all \(candidateCount) candidate sites together hold \(formatReal(all)), "
                                     + "less than the total demand weight \(formatReal(total))")
            }
        case .mclp:
            break
        }
    }

    /// Demand points that no admissible site can take whole (single source) or at all (capacity 0),
    /// where every point must be served (p-median, LSCP).
    func overCapacity(_ c: HubCapacities) -> [Int] {
        if case .mclp = model { return [] }
        return (0..<demandCount).filter { i in
            let room = admissible(i).map { c.limits[$0.site] }
            return c.singleSource ? !room.contains { $0 >= weights[i] } : room.allSatisfy { $0 <= 0 }
        }
    }

    /// The solution for open sites and an allocation (from CBC): each point's main hub is the
    /// one serving the largest share (ties: the nearer, then the lower index). The bound is
    /// snapped within CBC's LP tolerance, looser than the nearest-site evaluation's.
    func evaluate(_ open: [Int], shares: [[HubShare]], bound: Double, provenOptimal: Bool, method: String) -> HubSolution {
        let sites = Array(Set(open)).sorted()
        let assignment = shares.indices.map { i in
            shares[i].min { a, b in
                (-a.fraction, costs.cost(i, a.site), a.site) < (-b.fraction, costs.cost(i, b.site), b.site)
            }?.site
        }
        var served = 0.0, distance = 0.0
        for i in shares.indices {
            for s in shares[i] {
                served += weights[i] * s.fraction
                distance += weights[i] * s.fraction * costs.cost(i, s.site)
            }
        }
        let objective: Double
        switch model {
        case .lscp: objective = Double(sites.count)
        case .mclp: objective = served
        case .pMedian: objective = distance
        case .pCenter: preconditionFailure("p-center takes no capacities (checkCapacities)")
        }
        var solution = finished(HubSolution(open: sites, assignment: assignment, objective: objective, bound: bound,
                                            provenOptimal: provenOptimal, method: method), tolerance: 1e-6)
        solution.shares = shares
        return solution
    }
}

/// The capacitated models as integer programs for CBC: x_ij, the share of point i served by
/// site j (binary with a single source), over admissible pairs only.
///
///     every model   x_ij ≤ y_j,   Σ_i w_i x_ij ≤ C_j y_j
///     p-median      min Σ w_i d_ij x_ij   s.t. Σ_j x_ij = 1,  Σ y_j = p
///     MCLP          max Σ w_i x_ij        s.t. Σ_j x_ij ≤ 1,  Σ y_j = p
///     LSCP          min Σ y_j             s.t. Σ_j x_ij = 1
///
/// The link x_ij ≤ y_j is implied by the capacity row for integer y, but it makes the LP
/// relaxation (the heuristic's bound, CBC's root) much tighter.
struct CapacitatedModel {
    var milp = MILP()
    /// Site variables (nil when the sites are given and not decided).
    var y: [Int]?
    /// Per demand point, its admissible (site, variable) pairs.
    var x: [[(site: Int, variable: Int)]]

    /// The whole model; `relaxed` makes every variable continuous (the LP bound).
    init(_ problem: HubProblem, _ c: HubCapacities, relaxed: Bool = false) {
        var milp = MILP()
        let fixed = Set(problem.fixed)
        var siteCost = 0.0
        if case .lscp = problem.model { siteCost = 1 }
        let y = (0..<problem.candidateCount).map { j in
            milp.variable(cost: siteCost, lower: fixed.contains(j) ? 1 : 0, upper: 1, integer: !relaxed)
        }
        self.x = Self.allocation(&milp, problem, c, sites: nil, integer: c.singleSource && !relaxed)
        for pair in x.joined() { milp.constraint([(pair.variable, 1), (y[pair.site], -1)], .lessOrEqual, 0) }
        var load = [[(Int, Double)]](repeating: [], count: problem.candidateCount)
        for (i, pairs) in x.enumerated() { for pair in pairs { load[pair.site].append((pair.variable, problem.weights[i])) } }
        for j in load.indices where !load[j].isEmpty {
            milp.constraint(load[j] + [(y[j], -c.limits[j])], .lessOrEqual, 0)
        }
        if let p = problem.model.p { milp.constraint(y.map { ($0, 1) }, .equal, Double(p)) }
        self.milp = milp
        self.y = y
    }

    /// Only the allocation to the given open sites (the heuristic's evaluation of a choice);
    /// `split` lets a single-source problem's demand be split (its LP relaxation, a bound).
    init(_ problem: HubProblem, _ c: HubCapacities, open: [Int], split: Bool = false) {
        var milp = MILP()
        self.x = Self.allocation(&milp, problem, c, sites: Set(open), integer: c.singleSource && !split)
        var load = [Int: [(Int, Double)]]()
        for (i, pairs) in x.enumerated() { for pair in pairs { load[pair.site, default: []].append((pair.variable, problem.weights[i])) } }
        for (j, terms) in load.sorted(by: { $0.key < $1.key }) { milp.constraint(terms, .lessOrEqual, c.limits[j]) }
        self.milp = milp
        self.y = nil
    }

    /// The x variables and each point's row; the objective is the model's (LSCP, whose sites
    /// are counted by y, allocates by least distance: a tie-break, as it costs no site).
    private static func allocation(_ milp: inout MILP, _ problem: HubProblem, _ c: HubCapacities, sites: Set<Int>?,
                                   integer: Bool) -> [[(site: Int, variable: Int)]] {
        var x: [[(site: Int, variable: Int)]] = []
        for i in 0..<problem.demandCount {
            let w = problem.weights[i]
            let pairs = problem.admissible(i).filter { sites?.contains($0.site) ?? true }.map { pair -> (site: Int, variable: Int) in
                let cost: Double
                switch problem.model {
                case .pMedian, .pCenter: cost = w * pair.distance
                case .mclp: cost = -w
                case .lscp(let r): cost = sites == nil ? 0 : w * pair.distance / r
                }
                return (pair.site, milp.variable(cost: cost, integer: integer))
            }
            if case .mclp = problem.model {
                if !pairs.isEmpty { milp.constraint(pairs.map { ($0.variable, 1) }, .lessOrEqual, 1) }
            } else {
                milp.constraint(pairs.map { ($0.variable, 1) }, .equal, 1)
            }
            x.append(pairs)
        }
        return x
    }

    /// Each point's shares in a solution (tiny LP values dropped, the rest renormalised).
    func shares(_ values: [Double]) -> [[HubShare]] {
        x.map { pairs in
            let kept = pairs.compactMap { p in values[p.variable] > 1e-7 ? HubShare(site: p.site, fraction: min(1, values[p.variable])) : nil }
            let sum = kept.reduce(0) { $0 + $1.fraction }
            // Rows that must sum to 1 (and MCLP rows that almost do) are cleaned of LP noise.
            guard sum > 1 - 1e-6 else { return kept }
            return kept.map { HubShare(site: $0.site, fraction: $0.fraction / sum) }
        }
    }

    /// Start values for CBC: the sites and their allocation.
    func start(open: [Int], shares: [[HubShare]]) -> [Int: Double] {
        var start: [Int: Double] = [:]
        if let y {
            let isOpen = Set(open)
            for (j, v) in y.enumerated() { start[v] = isOpen.contains(j) ? 1 : 0 }
        }
        for (i, pairs) in x.enumerated() {
            let by = Dictionary(shares[i].map { ($0.site, $0.fraction) }, uniquingKeysWith: +)
            for p in pairs { start[p.variable] = by[p.site] ?? 0 }
        }
        return start
    }
}

extension HubExact {
    /// The capacitated model solved by CBC, started from a solution (sites and allocation).
    static func capacitated(_ problem: HubProblem, _ c: HubCapacities, timeLimit: Double, start: HubSolution?) throws -> HubSolution {
        let model = CapacitatedModel(problem, c)
        let warm = start.map { model.start(open: $0.open, shares: $0.shares ?? []) } ?? [:]
        let s = try CBC.solve(model.milp, timeLimit: timeLimit, start: warm.count == model.milp.objective.count ? warm : [:])
        let open = model.y!.indices.filter { s.values[model.y![$0]] > 0.5 }
        var shares = model.shares(s.values)
        if case .lscp = problem.model {
            // The cover is decided; its allocation by least distance is a second, small problem.
            shares = try CapacitatedSearch.allocate(problem, c, open: open)?.shares ?? shares
        }
        let bound: Double
        switch problem.model {
        case .lscp: bound = (s.bound - 1e-6).rounded(.up)
        case .mclp: bound = -s.bound
        default: bound = s.bound
        }
        return problem.evaluate(open, shares: shares, bound: bound, provenOptimal: s.provenOptimal,
                                method: status(s) + (c.singleSource ? "; capacities, one hub per demand point" : "; capacities, demand may be split"))
    }
}
