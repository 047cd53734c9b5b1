import Demography
import GeoCore

/// The districts to add so the covered share reaches the target.
public struct CoveragePlan: Sendable {
    public struct Addition: Sendable, Hashable {
        public var district: Int
        /// The existing council it joins, or the proposed new council it forms.
        public var council: String
        public var joinsExisting: Bool
    }

    public var additions: [Addition]
    public var addedArea: Double
    /// Area still needed when the plan started (≤ 0: the target was already reached).
    public var need: Double
    /// False when even every uncovered district together cannot reach the target.
    public var reachable: Bool
    public var provenOptimal: Bool
    /// Objective value and CBC's bound (equal when optimal).
    public var objective: Double
    public var bound: Double
    public var method: String

    public var proposedCouncils: [(name: String, members: [Int])] {
        let names = Array(Set(additions.filter { !$0.joinsExisting }.map(\.council))).sorted()
        return names.map { n in (n, additions.filter { $0.council == n }.map(\.district)) }
    }
}

/// Chooses uncovered districts to add, exactly, with an integer program solved by CBC:
///
///     minimise   Σ (W − aged_i) x_i          W = Σ aged + 1, so fewer districts always win,
///                                            and among equally few, more people aged 65+
///     subject to Σ area_i x_i ≥ need          (the target)
///                x_i ≤ Σ_{j ∈ N(i)} x_j       for i not adjacent to a council, when new
///                                            councils need at least two districts
///
/// Every connected group of chosen districts is contiguous by construction: a group touching a
/// council joins it (the one it shares most boundary with), any other group forms a new council.
struct CoveragePlanner {
    var districts: [District]
    var councilOf: [String?]
    var graph: ContiguityGraph
    var need: Double
    var options: CoverageOptions

    func solve() throws -> CoveragePlan {
        let candidates = councilOf.indices.filter { councilOf[$0] == nil }
        let available = candidates.reduce(0) { $0 + districts[$1].areaM2 }
        if need <= 0 {
            return CoveragePlan(additions: [], addedArea: 0, need: need, reachable: true, provenOptimal: true,
                                objective: 0, bound: 0, method: "target already reached")
        }
        let chosen: [Int]
        var optimal = true, objective = 0.0, bound = 0.0
        var method = "CBC integer program"
        if available < need * (1 - 1e-12) {
            // Even all of them fall short: propose all, and say the target is out of reach.
            chosen = candidates
            method = "every uncovered district (target unreachable)"
        } else {
            let solution = try CBC.solve(model(candidates), timeLimit: options.timeLimit)
            chosen = candidates.enumerated().filter { solution.values[$0.offset] > 0.5 }.map(\.element)
            optimal = solution.provenOptimal
            objective = solution.objective
            bound = solution.bound
            if !optimal { method += " (\(solution.status): best found, bound reported)" }
            if !candidates.contains(where: { districts[$0].agedKnown }) {
                method += "; no aged 65+ counts, so ties are not broken by them (give --census)"
            }
        }
        let additions = assign(chosen)
        return CoveragePlan(additions: additions, addedArea: chosen.reduce(0) { $0 + districts[$1].areaM2 }, need: need,
                            reachable: available >= need * (1 - 1e-12), provenOptimal: optimal,
                            objective: objective, bound: bound, method: method)
    }

    /// The tie-break weight: every district costs more than all aged people together.
    var weight: Double { Double(districts.reduce(0) { $0 + ($1.figures?.aged ?? 0) } + 1) }

    func model(_ candidates: [Int]) -> MILP {
        var p = MILP()
        let variable = Dictionary(uniqueKeysWithValues: candidates.map { i in
            (i, p.variable(cost: weight - Double(districts[i].figures?.aged ?? 0)))
        })
        // Areas in km² keep the row's coefficients near 1.
        p.constraint(candidates.map { (variable[$0]!, districts[$0].areaM2 / 1e6) }, .greaterOrEqual, need / 1e6)
        if !options.singleDistrictCouncils {
            for i in candidates where !graph.neighbours(i).contains(where: { councilOf[$0] != nil }) {
                let partners = graph.neighbours(i).compactMap { variable[$0] }
                p.constraint([(variable[i]!, 1)] + partners.map { ($0, -1) }, .lessOrEqual, 0)
            }
        }
        return p
    }

    /// Each group of chosen districts joins the adjacent council it shares most boundary with,
    /// or forms a new council.
    func assign(_ chosen: [Int]) -> [CoveragePlan.Addition] {
        var shared: [Int: [String: Double]] = [:]
        for e in graph.edges {
            for (inside, outside) in [(e.a, e.b), (e.b, e.a)] {
                if let council = councilOf[outside], councilOf[inside] == nil {
                    // An island link counts for a tiny length, so a real border always wins.
                    shared[inside, default: [:]][council, default: 0] += max(e.sharedLength, 1e-6)
                }
            }
        }
        var additions: [CoveragePlan.Addition] = []
        var newCouncils = 0
        for component in graph.components(of: Set(chosen)) {
            var lengths: [String: Double] = [:]
            for i in component { for (c, l) in shared[i] ?? [:] { lengths[c, default: 0] += l } }
            if let best = lengths.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                additions += component.map { .init(district: $0, council: best.key, joinsExisting: true) }
            } else {
                newCouncils += 1
                additions += component.map { .init(district: $0, council: "new council \(newCouncils)", joinsExisting: false) }
            }
        }
        return additions.sorted { $0.district < $1.district }
    }
}
