import GeoCore

/// p-median without an integer program: greedy construction, then vertex substitution (the
/// Teitz–Bart interchange in Whitaker's fast form: every closed site tried against every open
/// one in O(demand) per closed site), restarted from the sites the Lagrangian relaxation
/// prefers. The Lagrangian relaxation of the assignment constraints gives the lower bound
/// (Beasley 1993), raised by subgradient optimisation; its distance from the best solution is
/// the reported gap.
struct PMedianHeuristic {
    let problem: HubProblem
    let p: Int
    let n: Int
    let m: Int
    /// Weighted costs w_i · d_ij, row-major; unreachable pairs cost `penalty`.
    let cost: [Double]
    /// Larger than any finite weighted cost: an unreachable point costs this, so every search
    /// prefers serving it.
    let penalty: Double
    let isFixed: [Bool]

    struct Options: Sendable {
        var iterations = 3_000
        /// Stop once the gap is below this (relative).
        var targetGap = 1e-9
        var restarts = 24
    }

    init(_ problem: HubProblem) {
        guard case .pMedian(let p) = problem.model else { preconditionFailure("a p-median problem") }
        self.problem = problem
        self.p = p
        n = problem.demandCount
        m = problem.candidateCount
        var largest = 0.0
        for i in 0..<n {
            let row = problem.costs.entries(i)
            if let last = row.last { largest = max(largest, problem.weights[i] * problem.costs.distance(last)) }
        }
        penalty = max(1, largest) * 4 * Double(n)
        var cost = [Double](repeating: penalty, count: n * m)
        for i in 0..<n {
            for k in problem.costs.entries(i) { cost[i * m + problem.costs.column(k)] = problem.weights[i] * problem.costs.distance(k) }
        }
        self.cost = cost
        var fixed = [Bool](repeating: false, count: m)
        for j in problem.fixed { fixed[j] = true }
        isFixed = fixed
    }

    func solve(_ options: Options = Options()) -> HubSolution {
        var best = interchange(greedy(from: problem.fixed))
        var tried: Set<[Int]> = [best.open]
        var restarts = 0
        let relaxation = lagrangian(upper: best.total, options: options) { preferred in
            // The relaxation's favourite sites, improved by interchange: often a better solution.
            guard restarts < options.restarts else { return nil }
            let start = preferred.sorted()
            guard tried.insert(start).inserted else { return nil }
            restarts += 1
            let local = interchange(start)
            if local.total < best.total - 1e-9 * best.total { best = local }
            return best.total
        }
        let bound = min(relaxation.bound, best.total)
        let optimal = best.total - bound <= 1e-9 * max(1, best.total)
        return problem.evaluate(best.open, bound: bound, provenOptimal: optimal,
                                method: "greedy + vertex substitution (\(restarts) restarts); Lagrangian bound "
                                    + "(\(relaxation.iterations) subgradient steps)")
    }

    // MARK: construction

    /// Adds sites one at a time, each the one that lowers the total cost most.
    func greedy(from start: [Int]) -> [Int] {
        var open = start
        var isOpen = [Bool](repeating: false, count: m)
        var nearest = [Double](repeating: .infinity, count: n)
        func add(_ j: Int) {
            open.append(j)
            isOpen[j] = true
            for i in 0..<n { nearest[i] = min(nearest[i], cost[i * m + j]) }
        }
        for j in start { isOpen[j] = true; for i in 0..<n { nearest[i] = min(nearest[i], cost[i * m + j]) } }
        cost.withUnsafeBufferPointer { c in
            while open.count < p {
                var bestJ = -1, bestTotal = Double.infinity
                for j in 0..<m where !isOpen[j] {
                    var total = 0.0
                    for i in 0..<n { total += min(nearest[i], c[i * m + j]) }
                    if total < bestTotal { bestTotal = total; bestJ = j }
                }
                add(bestJ)
            }
        }
        return open.sorted()
    }

    // MARK: vertex substitution

    struct Local {
        var open: [Int]
        var total: Double
    }

    /// Swaps an open (not fixed) site for a closed one while that lowers the total, taking the
    /// best swap each time. Each demand point keeps its nearest and second-nearest open site,
    /// so one closed site is evaluated against every open one in a single pass over the demand.
    func interchange(_ start: [Int]) -> Local {
        var open = start
        var position = [Int](repeating: -1, count: m)
        var first = [Int](repeating: 0, count: n), d1 = [Double](repeating: 0, count: n), d2 = [Double](repeating: 0, count: n)
        func nearestTwo() {
            for (k, j) in open.enumerated() { position[j] = k }
            for i in 0..<n {
                var a = Double.infinity, b = Double.infinity, ja = -1
                for j in open {
                    let c = cost[i * m + j]
                    if c < a || (c == a && j < ja) { b = a; a = c; ja = j } else if c < b { b = c }
                }
                first[i] = ja; d1[i] = a; d2[i] = b
            }
        }
        nearestTwo()
        var total = d1.reduce(0, +)
        var loss = [Double](repeating: 0, count: open.count)
        while true {
            var bestDelta = -1e-10 * max(1, total), bestIn = -1, bestOut = -1
            cost.withUnsafeBufferPointer { c in
                for j in 0..<m where position[j] < 0 {
                    var gain = 0.0
                    for k in loss.indices { loss[k] = 0 }
                    for i in 0..<n {
                        let a = c[i * m + j]
                        if a < d1[i] {
                            gain += d1[i] - a
                        } else {
                            loss[position[first[i]]] += min(a, d2[i]) - d1[i]
                        }
                    }
                    for (k, out) in open.enumerated() where !isFixed[out] {
                        let delta = loss[k] - gain
                        if delta < bestDelta { bestDelta = delta; bestIn = j; bestOut = out }
                    }
                }
            }
            guard bestIn >= 0 else { break }
            position[bestOut] = -1
            open[open.firstIndex(of: bestOut)!] = bestIn
            nearestTwo()
            total = d1.reduce(0, +)
        }
        return Local(open: open.sorted(), total: total)
    }

    // MARK: Lagrangian lower bound

    /// Maximises L(λ) = Σ λ_i + Σ_{j ∈ Y(λ)} Σ_i min(0, c_ij − λ_i), where Y(λ) is the fixed
    /// sites plus the p − |fixed| others with the most negative sums: the relaxation of
    /// "every point assigned once". Every L(λ) is a lower bound. `primal` gets Y(λ) when the
    /// bound improves and may return a better upper bound.
    func lagrangian(upper: Double, options: Options, primal: ([Int]) -> Double?) -> (bound: Double, iterations: Int) {
        let costs = problem.costs
        var upper = upper
        // Start at each point's cost to its nearest site in a good solution's neighbourhood:
        // the second-nearest candidate's cost, a value between the optimum's assignment and above.
        var lambda = (0..<n).map { i -> Double in
            let row = costs.entries(i)
            guard !row.isEmpty else { return penalty }
            let k = min(row.lowerBound + 1, row.upperBound - 1)
            return problem.weights[i] * costs.distance(k)
        }
        var rho = [Double](repeating: 0, count: m)
        var chosen = [Bool](repeating: false, count: m)
        var g = [Double](repeating: 0, count: n)
        var best = -Double.infinity
        var theta = 2.0
        var sinceImproved = 0
        var iteration = 0
        let free = (0..<m).filter { !isFixed[$0] }
        let slots = p - problem.fixed.count
        while iteration < options.iterations {
            iteration += 1
            for j in 0..<m { rho[j] = 0 }
            for i in 0..<n {
                let w = problem.weights[i], l = lambda[i]
                for k in costs.entries(i) {
                    let c = w * costs.distance(k)
                    if c >= l { break }
                    rho[costs.column(k)] += c - l
                }
            }
            // Y(λ): fixed sites, then the `slots` most negative ρ (ties: lower index).
            for j in 0..<m { chosen[j] = isFixed[j] }
            let picks = smallest(slots, of: free, by: rho)
            for j in picks { chosen[j] = true }
            var value = lambda.reduce(0, +)
            for j in 0..<m where chosen[j] { value += rho[j] }
            if !best.isFinite || value > best + 1e-12 * abs(best) {
                best = value
                sinceImproved = 0
                if let better = primal(problem.fixed + picks) { upper = min(upper, better) }
            } else {
                sinceImproved += 1
                if sinceImproved >= 40 { theta /= 2; sinceImproved = 0 }
            }
            if upper - best <= options.targetGap * max(1, upper) || theta < 1e-6 { break }
            var norm = 0.0
            for i in 0..<n {
                let w = problem.weights[i], l = lambda[i]
                var served = 0.0
                for k in costs.entries(i) {
                    if w * costs.distance(k) >= l { break }
                    if chosen[costs.column(k)] { served += 1 }
                }
                g[i] = 1 - served
                norm += g[i] * g[i]
            }
            // Every point assigned exactly once: Y(λ) is feasible and optimal for the relaxation.
            guard norm > 0 else { break }
            let step = theta * (upper - value) / norm
            for i in 0..<n { lambda[i] += step * g[i] }
        }
        return (best, iteration)
    }
}

/// The `k` items with the smallest `key` (ties: lower index), ascending by key.
func smallest(_ k: Int, of items: [Int], by key: [Double]) -> [Int] {
    guard k > 0 else { return [] }
    if k >= items.count { return items }
    // A bounded max-heap would be O(n log k); k is small (p), so insertion into a sorted list is as good.
    var top: [Int] = []
    top.reserveCapacity(k + 1)
    func before(_ a: Int, _ b: Int) -> Bool { key[a] < key[b] || (key[a] == key[b] && a < b) }
    for j in items {
        if top.count == k, !before(j, top[k - 1]) { continue }
        var lo = 0, hi = top.count
        while lo < hi { let mid = (lo + hi) / 2; if before(top[mid], j) { lo = mid + 1 } else { hi = mid } }
        top.insert(j, at: lo)
        if top.count > k { top.removeLast() }
    }
    return top
}
