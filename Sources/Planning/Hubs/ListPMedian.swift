import GeoCore

/// p-median on each demand point's nearest candidates (`CostMatrix.nearest`), for instances
/// whose complete matrix would not fit in memory (a prefecture's 500 m squares: 13,744² pairs).
///
/// The bound is Beasley's Lagrangian relaxation of "every point assigned once" over the lists,
/// with one more option per point: "a site off its list", costing at least the distance of the
/// nearest candidate left out. Every real assignment maps to a listed site or to that option at
/// no more than its cost, so L(λ) = Σλ_i + Σ_i min(0, w_i b_i − λ_i) + Σ_{j ∈ Y(λ)} ρ_j stays a
/// lower bound on the true optimum. Sites come from the relaxation (Y(λ) at its best steps) and
/// are improved by vertex substitution (Whitaker's fast interchange) over the closed sites the
/// relaxation ranks best, with exact distances from the coordinates.
struct ListPMedian {
    let problem: HubProblem
    let p: Int
    let n: Int
    let m: Int
    let isFixed: [Bool]
    /// w_i · (distance of the nearest candidate left off row i).
    let offList: [Double]

    init(_ problem: HubProblem, p: Int) {
        self.problem = problem
        self.p = p
        n = problem.demandCount
        m = problem.candidateCount
        var fixed = [Bool](repeating: false, count: m)
        for j in problem.fixed { fixed[j] = true }
        isFixed = fixed
        offList = (0..<n).map { problem.weights[$0] * problem.costs.leftOut($0) }
    }

    /// The number of nearest candidates each point keeps for `p` sites among `m`: three times
    /// the candidates a site has on average, so a point's own site is on its list almost always.
    static func listLength(candidates m: Int, p: Int) -> Int { min(m, max(100, 3 * m / max(p, 1))) }

    func solve(iterations: Int = 600) -> HubSolution {
        let slots = p - problem.fixed.count
        let free = (0..<m).filter { !isFixed[$0] }
        // λ_i starts at the weighted distance to the point's second-nearest candidate.
        var lambda = (0..<n).map { i -> Double in
            let row = problem.costs.entries(i)
            guard !row.isEmpty else { return offList[i] }
            return problem.weights[i] * problem.costs.distance(min(row.lowerBound + 1, row.upperBound - 1))
        }
        var best = -Double.infinity, bestLambda = lambda
        var upper = Double.infinity
        var sites: [Int] = []
        var theta = 2.0, sinceImproved = 0, steps = 0, searched = false
        // Y(λ) at the latest improvements: starts for more substitution at the end.
        var recent: [[Int]] = []
        func consider(_ open: [Int]) {
            let total = self.total(open)
            if total < upper { upper = total; sites = open }
        }
        func gapOpen() -> Bool { !upper.isFinite || !best.isFinite || upper - best > 1e-9 * max(1, upper) }
        while steps < iterations, theta > 1e-5, gapOpen() {
            steps += 1
            let (rho, base) = sums(lambda)
            let picks = smallest(slots, of: free, by: rho)
            let chosen = problem.fixed + picks
            let value = base + chosen.reduce(0) { $0 + rho[$1] }
            if value > best + 1e-12 * abs(best) || !best.isFinite {
                best = value; bestLambda = lambda; sinceImproved = 0
                if !recent.contains(chosen.sorted()) { recent.append(chosen.sorted()); if recent.count > 4 { recent.removeFirst() } }
                if steps % 10 == 1 || !upper.isFinite { consider(chosen.sorted()) }
            } else {
                sinceImproved += 1
                if sinceImproved >= 40 { theta /= 2; sinceImproved = 0 }
            }
            // Halfway, improve the sites by substitution: a better upper bound also sharpens the steps.
            if !searched, steps >= iterations / 2 || theta < 1e-3 {
                searched = true
                let local = interchange(sites.isEmpty ? chosen.sorted() : sites, trying: ranked(free, bestLambda))
                if local.total < upper { upper = local.total; sites = local.open }
            }
            let g = subgradient(lambda, chosen: chosen)
            let norm = g.reduce(0) { $0 + $1 * $1 }
            guard norm > 0 else { break }
            let target = upper.isFinite ? upper : 1.05 * abs(value) + 1
            let step = theta * (target - value) / norm
            for i in 0..<n { lambda[i] += step * g[i] }
        }
        // Substitution from the relaxation's latest choices (restarts: swaps end in local optima).
        if upper - best > 1e-9 * max(1, upper) {
            let order = ranked(free, bestLambda)
            for start in (searched ? recent : [sites] + recent) where start != sites {
                let local = interchange(start, trying: order)
                if local.total < upper { upper = local.total; sites = local.open }
            }
        }
        let bound = min(best, upper)
        return problem.evaluate(sites, bound: bound, provenOptimal: upper - bound <= 1e-9 * max(1, upper),
                                method: "each point's \(problem.costs.storedPairs / max(n, 1)) nearest candidates (a complete matrix "
                                    + "would hold \(TextFormat.grouped(n * m)) pairs); sites of the Lagrangian relaxation, improved by "
                                    + "vertex substitution; Lagrangian bound over the lists (\(steps) subgradient steps)")
    }

    /// Every free site, those the relaxation prefers (most negative ρ) first.
    func ranked(_ free: [Int], _ lambda: [Double]) -> [Int] {
        let rho = sums(lambda).rho
        return free.sorted { (rho[$0], $0) < (rho[$1], $1) }
    }

    /// ρ_j = Σ_{i: j on i's list} min(0, w_i d_ij − λ_i), and Σλ_i + Σ_i min(0, w_i b_i − λ_i).
    func sums(_ lambda: [Double]) -> (rho: [Double], base: Double) {
        let costs = problem.costs, weights = problem.weights, offList = self.offList, m = self.m
        let parts = (try? parallelMap(Array(0..<n)) { chunk -> [([Double], Double)] in
            var rho = [Double](repeating: 0, count: m)
            var base = 0.0
            for i in chunk {
                let w = weights[i], l = lambda[i]
                base += l + min(0, offList[i] - l)
                for k in costs.entries(i) {
                    let c = w * costs.distance(k)
                    if c >= l { break }
                    rho[costs.column(k)] += c - l
                }
            }
            return [(rho, base)]
        }) ?? []
        var rho = [Double](repeating: 0, count: m)
        var base = 0.0
        for (part, b) in parts {
            base += b
            for j in 0..<m { rho[j] += part[j] }
        }
        return (rho, base)
    }

    /// g_i = 1 − (listed chosen sites cheaper than λ_i) − (the off-list option, if cheaper).
    func subgradient(_ lambda: [Double], chosen: [Int]) -> [Double] {
        var isChosen = [Bool](repeating: false, count: m)
        for j in chosen { isChosen[j] = true }
        let costs = problem.costs, weights = problem.weights
        return (0..<n).map { i in
            let w = weights[i], l = lambda[i]
            var served = offList[i] < l ? 1.0 : 0.0
            for k in costs.entries(i) {
                if w * costs.distance(k) >= l { break }
                if isChosen[costs.column(k)] { served += 1 }
            }
            return 1 - served
        }
    }

    /// Σ w_i · (distance to the nearest open site), from the coordinates.
    func total(_ open: [Int]) -> Double {
        (0..<n).reduce(0.0) { sum, i in sum + problem.weights[i] * (open.map { problem.costs.cost(i, $0) }.min() ?? .infinity) }
    }

    /// Vertex substitution as in `PMedianHeuristic.interchange`, with distances from the
    /// coordinates: each point keeps its nearest and second-nearest open site; the closed sites
    /// are tried in the order given (the relaxation's best first), a batch at a time on all cores,
    /// and the first batch member whose best swap lowers the total is swapped in, until a whole
    /// cycle through the closed sites finds none.
    func interchange(_ start: [Int], trying order: [Int]) -> (open: [Int], total: Double) {
        var open = start
        let w = problem.weights, costs = problem.costs, n = self.n, isFixed = self.isFixed
        var first = [Int](repeating: 0, count: n), d1 = [Double](repeating: 0, count: n), d2 = [Double](repeating: 0, count: n)
        func nearestTwo() {
            for i in 0..<n {
                var a = Double.infinity, b = Double.infinity, ja = -1
                for j in open {
                    let x = w[i] * costs.cost(i, j)
                    if x < a || (x == a && j < ja) { b = a; a = x; ja = j } else if x < b { b = x }
                }
                first[i] = ja; d1[i] = a; d2[i] = b
            }
        }
        nearestTwo()
        let batch = 8 * workerThreads
        var t = 0, sinceSwap = 0
        while sinceSwap < order.count {
            let isOpen = Set(open)
            let tried = (0..<min(batch, order.count)).map { order[(t + $0) % order.count] }.filter { !isOpen.contains($0) }
            t = (t + batch) % order.count
            sinceSwap += batch
            let position = Dictionary(uniqueKeysWithValues: open.enumerated().map { ($1, $0) })
            let (f, e1, e2, sites) = (first, d1, d2, open)
            // For each tried site, its best swap (delta, site out).
            let swaps = (try? parallelMap(tried) { chunk in
                chunk.map { j -> (delta: Double, out: Int) in
                    var gain = 0.0
                    var loss = [Double](repeating: 0, count: sites.count)
                    for i in 0..<n {
                        let a = w[i] * costs.cost(i, j)
                        if a < e1[i] { gain += e1[i] - a } else { loss[position[f[i]]!] += min(a, e2[i]) - e1[i] }
                    }
                    var best = (delta: Double.infinity, out: -1)
                    for (k, out) in sites.enumerated() where !isFixed[out] && loss[k] - gain < best.delta { best = (loss[k] - gain, out) }
                    return best
                }
            }) ?? []
            let total = d1.reduce(0, +)
            guard let k = swaps.firstIndex(where: { $0.out >= 0 && $0.delta < -1e-10 * max(1, total) }) else { continue }
            open[open.firstIndex(of: swaps[k].out)!] = tried[k]
            nearestTwo()
            sinceSwap = 0
        }
        return (open.sorted(), d1.reduce(0, +))
    }
}
