import Foundation

public struct RoutingOptions: Sendable {
    /// Ruin-and-recreate iterations; nil: 100 per stop, at least 2,000.
    public var iterations: Int?
    public var seed: UInt64 = 0
    public init() {}
}

/// Routes for a `RoutingProblem`: Clarke–Wright savings, local search (2-opt, Or-opt,
/// relocate, swap, 2-opt*), then slack induction by string removals (SISR: Christiaens &
/// Vanden Berghe, Transportation Science 2020) — remove strings of consecutive stops near a
/// random stop, reinsert them where they cost least — under simulated annealing, and a final
/// local search. Deterministic for a seed: the iteration count is fixed, not a time limit.
public enum VehicleRouting {
    public static func solve(_ problem: RoutingProblem, options: RoutingOptions = RoutingOptions()) -> RoutingPlan {
        var current = Savings.construct(problem)
        RouteLocalSearch.improve(&current)
        let iterations = options.iterations ?? max(2_000, 100 * problem.stops.count)
        var best = current
        if iterations > 0 {
            let search = StringRemoval(problem)
            var rng = SplitMix64(seed: options.seed)
            let penalty = current.penalty
            // Temperatures as in SISR (100 → 1 on instances whose legs average about 200): half
            // the average leg of the first routes, cooled to a hundredth of that.
            let legs = Double(problem.stops.count + max(1, current.sequences.count))
            let start = max(0.5 * current.cost / legs, 1e-6), end = start / 100
            var temperature = start
            let cooling = pow(end / start, 1 / Double(iterations))
            for _ in 0..<iterations {
                var candidate = current
                search.ruinAndRecreate(&candidate, rng: &rng)
                let threshold = current.penalised(penalty) - temperature * log(uniform(&rng))
                if candidate.penalised(penalty) < threshold { current = candidate }
                if current.isBetter(than: best) { best = current }
                temperature *= cooling
            }
            RouteLocalSearch.improve(&best)
        }
        return best.plan(method: "savings + local search (2-opt, Or-opt, relocate, swap, 2-opt*) + \(iterations) "
                         + "ruin-and-recreate iterations (SISR, seed \(options.seed))")
    }

    /// Uniform in (0, 1].
    static func uniform(_ rng: inout SplitMix64) -> Double { (Double(rng.next() >> 11) + 1) / Double(1 << 53) }
}

/// SISR's ruin (strings of consecutive stops from routes near a random stop) and recreate
/// (cheapest insertion in a random order, skipping a position now and then).
struct StringRemoval {
    let problem: RoutingProblem
    /// For each stop (by index), every other stop's point, nearest first.
    let neighbours: [[Int]]
    /// For each stop (by index), the distance to its nearest hub.
    let nearestHub: [Double]
    /// SISR's defaults: about 10 stops removed on average, strings of at most 10.
    let averageRemoved = 10.0
    let longestString = 10.0
    let blinkRate = 0.01

    init(_ problem: RoutingProblem) {
        self.problem = problem
        let points = problem.stops.indices.map(problem.stopPoint)
        nearestHub = points.map { u in problem.hubs.indices.map { problem.distance($0, u) }.min() ?? 0 }
        neighbours = points.map { u in
            points.filter { $0 != u }.sorted { (problem.distance(u, $0), $0) < (problem.distance(u, $1), $1) }
        }
    }

    func ruinAndRecreate(_ set: inout RouteSet, rng: inout SplitMix64) {
        var removed = ruin(&set, rng: &rng)
        removed += set.unserved
        set.unserved = []
        recreate(&set, removed, rng: &rng)
    }

    func ruin(_ set: inout RouteSet, rng: inout SplitMix64) -> [Int] {
        guard !set.sequences.isEmpty else { return [] }
        // Where each stop is (route, position), by point; -1 for a stop on no route.
        var route = [Int](repeating: -1, count: problem.hubs.count + problem.stops.count)
        var at = route
        var routed = 0
        for (r, seq) in set.sequences.enumerated() {
            for (k, u) in seq.enumerated() { route[u] = r; at[u] = k }
            routed += seq.count
        }
        let cardinality = Double(routed) / Double(set.sequences.count)
        let stringLimit = min(longestString, cardinality)
        let maximumStrings = 4 * averageRemoved / (1 + stringLimit) - 1
        let strings = Int(1 + VehicleRouting.uniform(&rng) * maximumStrings)
        let seed = problem.stopPoint(rng.below(problem.stops.count))
        var ruined: [Int: Range<Int>] = [:]
        for u in [seed] + neighbours[seed - problem.hubs.count] {
            guard ruined.count < strings else { break }
            let r = route[u], k = at[u]
            guard r >= 0, ruined[r] == nil else { continue }
            let count = set.sequences[r].count
            // floor(U(1, l + 1)) for the route's limit l, as SISR draws it (l need not be whole).
            let length = min(count, Int(1 + VehicleRouting.uniform(&rng) * min(Double(count), stringLimit)))
            let first = max(0, k - length + 1), last = min(k, count - length)
            let start = first + rng.below(last - first + 1)
            ruined[r] = start..<(start + length)
        }
        var removed: [Int] = []
        // Highest route first: an emptied route disappears and shifts the ones after it.
        for r in ruined.keys.sorted(by: >) {
            var seq = set.sequences[r]
            removed += seq[ruined[r]!]
            seq.removeSubrange(ruined[r]!)
            set.replace(r, with: seq)
        }
        return removed
    }

    func recreate(_ set: inout RouteSet, _ stops: [Int], rng: inout SplitMix64) {
        // SISR's orders, by weight: random 4, most riders first 4, farthest from a hub 2, nearest 1.
        var order = stops
        let draw = rng.below(11)
        func fromHub(_ u: Int) -> Double { nearestHub[u - problem.hubs.count] }
        switch draw {
        case 0..<4:
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        case 4..<8:
            order.sort { (set.riders($0), -$0) > (set.riders($1), -$1) }
        case 8..<10:
            order.sort { (fromHub($0), -$0) > (fromHub($1), -$1) }
        default:
            order.sort { (fromHub($0), $0) < (fromHub($1), $1) }
        }
        for u in order where !set.insertCheapest(u, skip: { rng.chance(blinkRate) }) {
            set.unserved.append(u)
        }
    }
}
