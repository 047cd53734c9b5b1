import GeoCore

/// MCLP without an integer program: greedy (most uncovered weight first), then swaps of one
/// open site for one closed site while the covered weight grows, restarted from the sites the
/// Lagrangian relaxation prefers. Relaxing "z_i ≤ Σ_{j covers i} y_j" with multipliers μ ≥ 0
/// gives the upper bound U(μ) = Σ_i max(0, w_i − μ_i) + the p largest Σ_{i covered by j} μ_i;
/// with whole-number weights it is rounded down, since any covered weight is a whole number.
struct MCLPHeuristic {
    let problem: HubProblem
    let p: Int
    let sets: CostMatrix.Coverage
    let isFixed: [Bool]
    /// Demand points some candidate covers; the others can never count.
    let coverable: [Int]

    struct Options: Sendable {
        var iterations = 2_000
        var restarts = 24
    }

    /// `radius` and `p`: the model's (the caller has matched `problem.model`, `.mclp`).
    init(_ problem: HubProblem, radius: Double, p: Int) {
        self.problem = problem
        self.p = p
        let sets = problem.costs.coverage(within: radius)
        self.sets = sets
        var fixed = [Bool](repeating: false, count: problem.candidateCount)
        for j in problem.fixed { fixed[j] = true }
        isFixed = fixed
        coverable = (0..<problem.demandCount).filter { !sets.byDemand[$0].isEmpty }
    }

    func solve(_ options: Options = Options()) -> HubSolution {
        var best = swaps(greedyCover(problem.fixed, weights: problem.weights, sets: sets, count: p))
        var tried: Set<[Int]> = [best.open]
        var restarts = 0
        let relaxation = upperBound(lower: best.covered, options: options) { preferred in
            guard restarts < options.restarts else { return nil }
            guard tried.insert(preferred.sorted()).inserted else { return nil }
            restarts += 1
            let local = swaps(preferred)
            if local.covered > best.covered + 1e-9 * max(1, best.covered) { best = local }
            return best.covered
        }
        let integral = problem.weights.allSatisfy { $0 == $0.rounded() }
        let bound = max(best.covered, integral ? (relaxation.bound + 1e-7).rounded(.down) : relaxation.bound)
        let optimal = bound - best.covered <= 1e-9 * max(1, best.covered)
        return problem.evaluate(best.open, bound: bound, provenOptimal: optimal,
                                method: "greedy + swaps (\(restarts) restarts); Lagrangian bound (\(relaxation.iterations) subgradient steps)")
    }

    struct Local {
        var open: [Int]
        var covered: Double
    }

    /// Swaps one open (not fixed) site for one closed site while the covered weight grows,
    /// taking the best swap each time.
    func swaps(_ start: [Int]) -> Local {
        let m = problem.candidateCount, w = problem.weights
        var open = start.sorted()
        var isOpen = [Bool](repeating: false, count: m)
        for j in open { isOpen[j] = true }
        var count = [Int32](repeating: 0, count: problem.demandCount)
        var only = [Int32](repeating: -1, count: problem.demandCount)
        func recount() {
            for i in count.indices { count[i] = 0; only[i] = -1 }
            for j in open { for i in sets.byCandidate[j] { count[Int(i)] += 1; only[Int(i)] = Int32(j) } }
        }
        recount()
        var covered = coverable.reduce(0.0) { $0 + (count[$1] > 0 ? w[$1] : 0) }
        var back = [Double](repeating: 0, count: m)
        while true {
            // loss[j]: weight only j covers, lost if j closes.
            var loss = [Double](repeating: 0, count: m)
            for i in coverable where count[i] == 1 { loss[Int(only[i])] += w[i] }
            var bestDelta = 1e-9 * max(1, covered), bestIn = -1, bestOut = -1
            for j in 0..<m where !isOpen[j] {
                var gain = 0.0
                var touched: [Int] = []
                for i32 in sets.byCandidate[j] {
                    let i = Int(i32)
                    if count[i] == 0 {
                        gain += w[i]
                    } else if count[i] == 1 {
                        // If its only site closes for j, it stays covered: that loss is avoided.
                        let o = Int(only[i])
                        if back[o] == 0 { touched.append(o) }
                        back[o] += w[i]
                    }
                }
                for out in open where !isFixed[out] {
                    let delta = gain - loss[out] + back[out]
                    if delta > bestDelta {
                        bestDelta = delta; bestIn = j; bestOut = out
                    }
                }
                for o in touched { back[o] = 0 }
            }
            guard bestIn >= 0 else { break }
            isOpen[bestOut] = false
            isOpen[bestIn] = true
            open[open.firstIndex(of: bestOut)!] = bestIn
            open.sort()
            recount()
            covered = coverable.reduce(0.0) { $0 + (count[$1] > 0 ? w[$1] : 0) }
        }
        return Local(open: open, covered: covered)
    }

    /// Minimises U(μ) by subgradient steps; `primal` gets the relaxation's sites when the bound
    /// improves and may return a better covered weight.
    func upperBound(lower: Double, options: Options, primal: ([Int]) -> Double?) -> (bound: Double, iterations: Int) {
        let m = problem.candidateCount, w = problem.weights
        var lower = lower
        var mu = [Double](repeating: 0, count: problem.demandCount)
        for i in coverable { mu[i] = w[i] / Double(sets.byDemand[i].count) }
        var sigma = [Double](repeating: 0, count: m)
        var chosen = [Bool](repeating: false, count: m)
        let free = (0..<m).filter { !isFixed[$0] }
        let slots = p - problem.fixed.count
        var best = Double.infinity, theta = 2.0, sinceImproved = 0, iteration = 0
        while iteration < options.iterations {
            iteration += 1
            for j in 0..<m {
                var s = 0.0
                for i in sets.byCandidate[j] { s += mu[Int(i)] }
                sigma[j] = s
            }
            let negated = sigma.map { -$0 }
            let picks = smallest(slots, of: free, by: negated)
            for j in 0..<m { chosen[j] = isFixed[j] }
            for j in picks { chosen[j] = true }
            var value = 0.0
            for i in coverable { value += max(0, w[i] - mu[i]) }
            for j in 0..<m where chosen[j] { value += sigma[j] }
            if !best.isFinite || value < best - 1e-12 * abs(best) {
                best = value
                sinceImproved = 0
                if let better = primal(problem.fixed + picks) { lower = max(lower, better) }
            } else {
                sinceImproved += 1
                if sinceImproved >= 40 { theta /= 2; sinceImproved = 0 }
            }
            if best - lower <= 1e-9 * max(1, lower) || theta < 1e-6 { break }
            // g_i = z_i − (sites covering i): raise μ where a point counts without being covered.
            var g = [Double](repeating: 0, count: problem.demandCount)
            var norm = 0.0
            for i in coverable {
                var cover = 0.0
                for j in sets.byDemand[i] where chosen[Int(j)] { cover += 1 }
                let z = w[i] - mu[i] > 0 ? 1.0 : 0.0
                g[i] = z - cover
                norm += g[i] * g[i]
            }
            guard norm > 0 else { break }
            let step = theta * (value - lower) / norm
            for i in coverable { mu[i] = max(0, mu[i] + step * g[i]) }
        }
        return (best, iteration)
    }
}

/// Greedy maximum coverage: starting from `start`, adds the site covering the most
/// still-uncovered weight until there are `count` sites (ties: lower index).
func greedyCover(_ start: [Int], weights: [Double], sets: CostMatrix.Coverage, count: Int) -> [Int] {
    let m = sets.byCandidate.count
    var open = start
    var isOpen = [Bool](repeating: false, count: m)
    var covered = [Bool](repeating: false, count: weights.count)
    for j in start { isOpen[j] = true; for i in sets.byCandidate[j] { covered[Int(i)] = true } }
    while open.count < count {
        var bestJ = -1, bestGain = -1.0
        for j in 0..<m where !isOpen[j] {
            var gain = 0.0
            for i in sets.byCandidate[j] where !covered[Int(i)] { gain += weights[Int(i)] }
            if gain > bestGain { bestGain = gain; bestJ = j }
        }
        guard bestJ >= 0 else { break }
        open.append(bestJ)
        isOpen[bestJ] = true
        for i in sets.byCandidate[bestJ] { covered[Int(i)] = true }
    }
    return open.sorted()
}

/// LSCP without an integer program: greedy set cover (the site covering most uncovered points),
/// then redundant sites dropped, restarted from the Lagrangian relaxation's sites. Relaxing
/// "Σ_{j covers i} y_j ≥ 1" with multipliers u ≥ 0 gives the lower bound
/// L(u) = Σ u_i + Σ_j min(0, 1 − Σ_{i covered by j} u_i) (fixed sites always count), rounded up.
struct LSCPHeuristic {
    let sets: CostMatrix.Coverage
    let fixed: [Int]
    let demandCount: Int
    let candidateCount: Int

    init(sets: CostMatrix.Coverage, fixed: [Int]) {
        self.sets = sets
        self.fixed = fixed
        demandCount = sets.byDemand.count
        candidateCount = sets.byCandidate.count
    }

    /// A cover (nil if some point has no site within reach) and a lower bound on the fewest sites.
    /// Covers come from the plain greedy and, every few subgradient steps, from a greedy guided
    /// by the Lagrangian costs 1 − Σ u_i (Caprara, Fischetti & Toth's score: a site's cost per
    /// newly covered point), each improved by the same drops and swaps.
    func solve(iterations: Int = 600, stopAbove limit: Int? = nil) -> (cover: [Int]?, bound: Int, iterations: Int) {
        guard sets.byDemand.allSatisfy({ !$0.isEmpty }) else { return (nil, Int.max, 0) }
        var best = cover(from: fixed)
        var tried: Set<[Int]> = [best]
        let relaxation = lowerBound(upper: best.count, iterations: iterations, stopAbove: limit) { u in
            let local = cover(from: fixed, costs: reducedCosts(u))
            guard tried.insert(local).inserted else { return nil }
            if local.count < best.count { best = local }
            return best.count
        }
        return (best, min(relaxation.bound, best.count), relaxation.iterations)
    }

    /// 1 − Σ_{i covered by j} u_i for every site.
    func reducedCosts(_ u: [Double]) -> [Double] {
        sets.byCandidate.map { members in 1 - members.reduce(0) { $0 + u[Int($1)] } }
    }

    /// Completes `start` to a cover greedily — the site covering most uncovered points, or with
    /// `costs` the least cost per newly covered point (a negative cost times their number) —
    /// then drops sites every point can do without and swaps two sites for one.
    func cover(from start: [Int], costs: [Double]? = nil) -> [Int] {
        var count = [Int32](repeating: 0, count: demandCount)
        var open = Array(Set(start + fixed)).sorted()
        var isOpen = [Bool](repeating: false, count: candidateCount)
        for j in open { isOpen[j] = true; for i in sets.byCandidate[j] { count[Int(i)] += 1 } }
        var uncovered = count.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        while uncovered > 0 {
            var bestJ = -1, bestGain = 0, bestScore = Double.infinity
            for j in 0..<candidateCount where !isOpen[j] {
                var gain = 0
                for i in sets.byCandidate[j] where count[Int(i)] == 0 { gain += 1 }
                guard gain > 0 else { continue }
                if let costs {
                    let c = costs[j], score = c > 0 ? c / Double(gain) : c * Double(gain)
                    if score < bestScore { bestScore = score; bestJ = j }
                } else if gain > bestGain {
                    bestGain = gain; bestJ = j
                }
            }
            open.append(bestJ)
            isOpen[bestJ] = true
            for i in sets.byCandidate[bestJ] {
                if count[Int(i)] == 0 { uncovered -= 1 }
                count[Int(i)] += 1
            }
        }
        let isFixed = Set(fixed)
        // Drop redundant sites, those covering the fewest points first (ties: higher index).
        func dropRedundant() {
            for j in (0..<candidateCount).filter({ isOpen[$0] && !isFixed.contains($0) })
                .sorted(by: { (sets.byCandidate[$0].count, -$0) < (sets.byCandidate[$1].count, -$1) })
            where sets.byCandidate[j].allSatisfy({ count[Int($0)] >= 2 }) {
                isOpen[j] = false
                for i in sets.byCandidate[j] { count[Int(i)] -= 1 }
            }
        }
        dropRedundant()
        // Two for one: close two sites when one closed site covers every point only they cover.
        var marked = [Bool](repeating: false, count: demandCount)
        var improved = true
        while improved {
            improved = false
            let sites = (0..<candidateCount).filter { isOpen[$0] && !isFixed.contains($0) }
            search: for (x, a) in sites.enumerated() {
                for b in sites[(x + 1)...] {
                    // Points that lose their last site when a and b close.
                    for i in sets.byCandidate[b] { marked[Int(i)] = true }
                    var critical: [Int32] = []
                    for i in sets.byCandidate[a] where count[Int(i)] - (marked[Int(i)] ? 2 : 1) == 0 { critical.append(i) }
                    for i in sets.byCandidate[b] {
                        marked[Int(i)] = false
                    }
                    for i in sets.byCandidate[a] { marked[Int(i)] = true }
                    for i in sets.byCandidate[b] where !marked[Int(i)] && count[Int(i)] == 1 { critical.append(i) }
                    for i in sets.byCandidate[a] { marked[Int(i)] = false }
                    guard let first = critical.first else { continue }
                    for c in sets.byDemand[Int(first)].map(Int.init) where !isOpen[c] {
                        for i in sets.byCandidate[c] { marked[Int(i)] = true }
                        let coversAll = critical.allSatisfy { marked[Int($0)] }
                        for i in sets.byCandidate[c] { marked[Int(i)] = false }
                        guard coversAll else { continue }
                        for j in [a, b] {
                            isOpen[j] = false
                            for i in sets.byCandidate[j] { count[Int(i)] -= 1 }
                        }
                        isOpen[c] = true
                        for i in sets.byCandidate[c] { count[Int(i)] += 1 }
                        improved = true
                        break search
                    }
                }
            }
        }
        dropRedundant()
        return (0..<candidateCount).filter { isOpen[$0] }
    }

    /// Maximises L(u) by subgradient steps; `stopAbove` ends early once the bound exceeds it
    /// (all p-center needs to know).
    /// `primal` turns multipliers into a cover and returns the best count so far (nil: nothing new).
    func lowerBound(upper: Int, iterations: Int, stopAbove limit: Int?, primal: ([Double]) -> Int?) -> (bound: Int, iterations: Int) {
        var upper = upper
        var u = (0..<demandCount).map { 1 / Double(sets.byDemand[$0].count) }
        let isFixed = Set(fixed)
        var best = -Double.infinity, theta = 2.0, sinceImproved = 0, iteration = 0
        var chosen = [Bool](repeating: false, count: candidateCount)
        while iteration < iterations {
            iteration += 1
            var value = u.reduce(0, +)
            for j in 0..<candidateCount {
                var s = 0.0
                for i in sets.byCandidate[j] { s += u[Int(i)] }
                let reduced = 1 - s
                chosen[j] = isFixed.contains(j) || reduced < 0
                if chosen[j] { value += reduced }
            }
            if iteration % 10 == 1, let better = primal(u) { upper = min(upper, better) }
            if !best.isFinite || value > best + 1e-12 * abs(best) {
                best = value
                sinceImproved = 0
            } else {
                sinceImproved += 1
                if sinceImproved >= 30 { theta /= 2; sinceImproved = 0 }
            }
            let rounded = Int((best - 1e-7).rounded(.up))
            if rounded >= upper || theta < 1e-5 { break }
            if let limit, rounded > limit { break }
            var g = [Double](repeating: 0, count: demandCount)
            var norm = 0.0
            for i in 0..<demandCount {
                var cover = 0.0
                for j in sets.byDemand[i] where chosen[Int(j)] { cover += 1 }
                g[i] = 1 - cover
                norm += g[i] * g[i]
            }
            guard norm > 0 else { break }
            let step = theta * (Double(upper) - value) / norm
            for i in 0..<demandCount { u[i] = max(0, u[i] + step * g[i]) }
        }
        return (best.isFinite ? Int((best - 1e-7).rounded(.up)) : 0, iteration)
    }
}
