import GeoCore

/// p-median on each demand point's nearest candidates (`CostMatrix.nearest`), for instances
/// whose complete matrix would not fit in memory (a prefecture's 500 m squares: 13,744² pairs).
///
/// The bound is Beasley's Lagrangian relaxation of "every point assigned once",
/// L(λ) = Σλ_i + Σ_{j ∈ Y(λ)} ρ_j with ρ_j = Σ_i min(0, w_i d_ij − λ_i), over every pair: the
/// pairs cheaper than λ_i are a prefix of row i while λ_i stays below the row's end, and are
/// looked up by coordinates past it, so no pair is ever stored beyond the lists.
///
/// Sites first: vertex substitution (Whitaker's fast interchange, exact distances from the
/// coordinates) from the densest sites. The multipliers then start at each point's weighted
/// distance to its site, near where the optimal ones lie, and the subgradient steps move every
/// point's radius λ_i / w_i alike (uniform steps in λ would crawl for light points and overshoot
/// for heavy ones: 81 % gap after 600 steps on the prefecture, against 0.4 % so). A last
/// substitution starts from the relaxation's choice at the best multipliers.
struct ListPMedian {
    let problem: HubProblem
    let p: Int
    let n: Int
    let m: Int
    let isFixed: [Bool]
    /// w_i · (distance of the nearest candidate left off row i): below it the row holds every
    /// candidate cheaper than λ_i; above it they are looked up in `grid`.
    let offList: [Double]
    let demand: [Coordinate]
    let grid: PointGrid

    init(_ problem: HubProblem, p: Int) {
        self.problem = problem
        self.p = p
        n = problem.demandCount
        m = problem.candidateCount
        var fixed = [Bool](repeating: false, count: m)
        for j in problem.fixed { fixed[j] = true }
        isFixed = fixed
        offList = (0..<n).map { problem.weights[$0] * problem.costs.leftOut($0) }
        guard let planar = problem.costs.planar else { preconditionFailure("ListPMedian needs CostMatrix.nearest's coordinates") }
        demand = planar.demand
        // Cells as wide as a typical row reaches: a look-up past a row's end reads a few cells.
        let reach = (0..<n).map { problem.costs.leftOut($0) }.filter(\.isFinite).sorted()
        grid = PointGrid(planar.candidates, cell: max(1, reach.isEmpty ? 1_000 : reach[reach.count / 2]))
    }

    /// Work split in a fixed number of parts, so sums (and so every step) are the same on any
    /// number of cores.
    static let chunks = 8

    /// The number of nearest candidates each point keeps for `p` sites among `m`: three times
    /// the candidates a site has on average, so a point's own site is on its list almost always
    /// and the bound seldom reads past a list's end (on the prefecture, a third of this length
    /// takes 261 MiB instead of 598 but 71 s instead of 43, the look-ups past the ends being slow).
    static func listLength(candidates m: Int, p: Int) -> Int { min(m, max(100, 3 * m / max(p, 1))) }

    func solve(iterations: Int = 600) -> HubSolution {
        let slots = p - problem.fixed.count
        let free = (0..<m).filter { !isFixed[$0] }
        // λ_i starts at the weighted distance to the point's second-nearest candidate; the sites
        // the relaxation picks there (the densest places) start the substitution.
        var lambda = (0..<n).map { i -> Double in
            let row = problem.costs.entries(i)
            guard !row.isEmpty else { return offList[i] }
            return problem.weights[i] * problem.costs.distance(min(row.lowerBound + 1, row.upperBound - 1))
        }
        let dense = ranked(free, lambda)
        var (sites, upper) = interchange((problem.fixed + dense.prefix(slots)).sorted(), trying: dense)
        // λ_i from there on: the weighted distance to the point's site, near where the optimal
        // multipliers lie when the sites are good.
        lambda = (0..<n).map { i in problem.weights[i] * (sites.map { problem.costs.cost(i, $0) }.min() ?? 0) }
        var best = -Double.infinity, bestLambda = lambda
        var theta = 0.5, sinceImproved = 0, steps = 0
        var bestChoice: [Int] = []  // Y(λ) at the best λ
        func gapOpen() -> Bool { upper - best > 1e-9 * max(1, upper) }
        while steps < iterations, theta > 1e-5, gapOpen() {
            steps += 1
            let (rho, base) = sums(lambda)
            let chosen = problem.fixed + smallest(slots, of: free, by: rho)
            let value = base + chosen.reduce(0) { $0 + rho[$1] }
            if value > best + 1e-12 * abs(best) || !best.isFinite {
                best = value; bestLambda = lambda; sinceImproved = 0
                bestChoice = chosen.sorted()
                if steps % 10 == 1 { let t = total(chosen); if t < upper { upper = t; sites = chosen.sorted() } }
            } else {
                sinceImproved += 1
                if sinceImproved >= 20 { theta /= 2; sinceImproved = 0 }
            }
            // Steps in distance (λ_i / w_i), not in λ: a point of 2,000 people and one of 3 move
            // their radius alike; the predicted rise of L is θ·(upper − L).
            let g = subgradient(lambda, chosen: chosen)
            let norm = (0..<n).reduce(0.0) { $0 + problem.weights[$1] * g[$1] * g[$1] }
            guard norm > 0 else { break }
            let step = theta * (upper - value) / norm
            for i in 0..<n { lambda[i] += step * problem.weights[i] * g[i] }
        }
        // Substitution once more, from the relaxation's best choice: swaps end in local optima,
        // and a start from elsewhere often ends lower (by 0.1–0.4 % on the prefecture).
        if gapOpen(), !bestChoice.isEmpty, bestChoice != sites {
            let local = interchange(bestChoice, trying: ranked(free, bestLambda))
            if local.total < upper { upper = local.total; sites = local.open }
        }
        let bound = min(best, upper)
        return problem.evaluate(sites, bound: bound, provenOptimal: upper - bound <= 1e-9 * max(1, upper),
                                method: "each point's \(problem.costs.storedPairs / max(n, 1)) nearest candidates (a complete matrix "
                                    + "would hold \(TextFormat.grouped(n * m)) pairs); sites by vertex substitution from the Lagrangian "
                                    + "relaxation's; Lagrangian bound over every pair (\(steps) subgradient steps)")
    }

    /// Every free site, those the relaxation prefers (most negative ρ) first.
    func ranked(_ free: [Int], _ lambda: [Double]) -> [Int] {
        let rho = sums(lambda).rho
        return free.sorted { (rho[$0], $0) < (rho[$1], $1) }
    }

    /// ρ_j = Σ_i min(0, w_i d_ij − λ_i) over every pair (from the row while it holds every
    /// candidate cheaper than λ_i, else from the grid), and Σλ_i.
    func sums(_ lambda: [Double]) -> (rho: [Double], base: Double) {
        let costs = problem.costs, weights = problem.weights, offList = self.offList, m = self.m
        let grid = self.grid, demand = self.demand
        let parts = (try? parallelMap(Array(0..<n), chunks: Self.chunks) { chunk -> [([Double], Double)] in
            var rho = [Double](repeating: 0, count: m)
            var base = 0.0
            for i in chunk {
                let w = weights[i], l = lambda[i]
                base += l
                if l > offList[i] {
                    for (j, d) in grid.within(l / w, of: demand[i]) where w * d < l { rho[j] += w * d - l }
                    continue
                }
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

    /// g_i = 1 − (chosen sites cheaper than λ_i).
    func subgradient(_ lambda: [Double], chosen: [Int]) -> [Double] {
        let costs = problem.costs, weights = problem.weights
        return (try? parallelMap(Array(0..<n), chunks: Self.chunks) { chunk in
            chunk.map { i in 1 - Double(chosen.count { weights[i] * costs.cost(i, $0) < lambda[i] }) }
        }) ?? []
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
        let batch = 2 * Self.chunks
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
