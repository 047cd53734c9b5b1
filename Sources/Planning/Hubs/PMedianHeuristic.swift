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
        var iterations = 1_500
        /// Subgradient steps between rounds of restarts.
        var round = 250
        /// Stop once the gap is below this (relative).
        var targetGap = 1e-9
        var restarts = 24
        var restartsPerRound = 4
    }

    /// `p`: the model's number of sites (the caller has matched `problem.model`, `.pMedian(p)`).
    init(_ problem: HubProblem, p: Int) {
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

    func solve(_ options: Options = Options()) -> HubSolution { solveKeepingRelaxation(options).solution }

    /// The solution, and the relaxation that bounds it (for fixing sites before an exact solve).
    func solveKeepingRelaxation(_ options: Options = Options()) -> (solution: HubSolution, relaxation: Relaxation) {
        var best = interchange(greedy(from: problem.fixed))
        var tried: Set<[Int]> = [best.open]
        var relaxation = Relaxation(self)
        var restarts = 0
        // Rounds of subgradient steps. A round ends when the gap closes, the steps stall or
        // `round` steps pass; while the gap is open, the interchange restarts from the sites the
        // relaxation lately preferred (a better upper bound also sharpens the steps). Most
        // instances close the gap in the first round, without any restart.
        while true {
            relaxation.run(self, upper: best.total, until: min(options.iterations, relaxation.iteration + options.round),
                           targetGap: options.targetGap)
            if relaxation.closed(upper: best.total, targetGap: options.targetGap) || relaxation.iteration >= options.iterations { break }
            var improved = false
            for start in relaxation.recent.reversed().prefix(options.restartsPerRound)
            where restarts < options.restarts && tried.insert(start).inserted {
                restarts += 1
                let local = interchange(start)
                if local.total < best.total - 1e-12 * best.total { best = local; improved = true }
            }
            relaxation.recent.removeAll()
            if relaxation.stalled {
                // Steps too small to move: only a better solution gives them room again.
                guard improved else { break }
                relaxation.theta = 0.5
            }
        }
        let bound = min(relaxation.best, best.total)
        let optimal = best.total - bound <= options.targetGap * max(1, best.total)
        let solution = problem.evaluate(best.open, bound: bound, provenOptimal: optimal,
                                        method: "greedy + vertex substitution (\(restarts) restarts); Lagrangian bound "
                                            + "(\(relaxation.iteration) subgradient steps)")
        return (solution, relaxation)
    }

    /// Sites whose state the bound settles (Lagrangian variable fixing, Beasley 1993): opening a
    /// site j outside Y(λ) in place of Y's least useful one raises the relaxation to
    /// L + ρ_j − max_{k ∈ Y} ρ_k; where that exceeds `upper` (a solution's total), no solution as
    /// good as it opens j. Likewise closing a site of Y. An exact solve may leave those out.
    func settled(by relaxation: Relaxation, upper: Double) -> (closed: [Int], open: [Int]) {
        guard relaxation.best.isFinite else { return ([], []) }
        let rho = relaxation.sums(self, relaxation.bestLambda)
        let free = (0..<m).filter { !isFixed[$0] }
        let slots = p - problem.fixed.count
        let chosen = smallest(slots, of: free, by: rho)
        let inY = Set(chosen)
        let value = relaxation.bestLambda.reduce(0, +) + problem.fixed.reduce(0) { $0 + rho[$1] } + chosen.reduce(0) { $0 + rho[$1] }
        let margin = 1e-7 * max(1, abs(upper))
        guard let worstIn = chosen.map({ rho[$0] }).max(), let bestOut = free.filter({ !inY.contains($0) }).map({ rho[$0] }).min() else {
            return ([], [])
        }
        let closed = free.filter { !inY.contains($0) && value + rho[$0] - worstIn > upper + margin }
        let open = chosen.filter { value - rho[$0] + bestOut > upper + margin }
        return (closed, open)
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

    /// Swaps an open (not fixed) site for a closed one while that lowers the total. Each demand
    /// point keeps its nearest and second-nearest open site, so one closed site is evaluated
    /// against every open one in a single pass over the demand; the best swap for it is made at
    /// once (first improvement, scanning the closed sites cyclically) until a whole cycle finds
    /// none, which is far quicker from a poor start than the best swap per full pass.
    func interchange(_ start: [Int]) -> Local {
        var open = start
        var position = [Int](repeating: -1, count: m)
        var first = [Int](repeating: 0, count: n), d1 = [Double](repeating: 0, count: n), d2 = [Double](repeating: 0, count: n)
        func nearestTwo() {
            for (k, j) in open.enumerated() { position[j] = k }
            cost.withUnsafeBufferPointer { c in
                for i in 0..<n {
                    var a = Double.infinity, b = Double.infinity, ja = -1
                    for j in open {
                        let x = c[i * m + j]
                        if x < a || (x == a && j < ja) { b = a; a = x; ja = j } else if x < b { b = x }
                    }
                    first[i] = ja; d1[i] = a; d2[i] = b
                }
            }
        }
        nearestTwo()
        var total = d1.reduce(0, +)
        var loss = [Double](repeating: 0, count: open.count)
        var j = 0, sinceSwap = 0
        while sinceSwap < m {
            defer { j = (j + 1) % m; sinceSwap += 1 }
            guard position[j] < 0 else { continue }
            var gain = 0.0
            for k in loss.indices { loss[k] = 0 }
            cost.withUnsafeBufferPointer { c in
                for i in 0..<n {
                    let a = c[i * m + j]
                    if a < d1[i] {
                        gain += d1[i] - a
                    } else {
                        loss[position[first[i]]] += min(a, d2[i]) - d1[i]
                    }
                }
            }
            var bestDelta = -1e-10 * max(1, total), bestOut = -1
            for (k, out) in open.enumerated() where !isFixed[out] {
                let delta = loss[k] - gain
                if delta < bestDelta { bestDelta = delta; bestOut = out }
            }
            guard bestOut >= 0 else { continue }
            position[bestOut] = -1
            open[open.firstIndex(of: bestOut)!] = j
            nearestTwo()
            total = d1.reduce(0, +)
            sinceSwap = 0
        }
        return Local(open: open.sorted(), total: total)
    }

    // MARK: Lagrangian lower bound

    /// The Lagrangian relaxation of "every point assigned once": for multipliers λ,
    /// L(λ) = Σ λ_i + Σ_{j ∈ Y(λ)} Σ_i min(0, c_ij − λ_i), where Y(λ) is the fixed sites plus
    /// the p − |fixed| others with the most negative sums. Every L(λ) is a lower bound; the
    /// subgradient method raises it. Kept as a value so the search can resume after restarts.
    struct Relaxation {
        var lambda: [Double]
        var best = -Double.infinity
        /// The multipliers that gave `best`.
        var bestLambda: [Double] = []
        var theta = 2.0
        var iteration = 0
        var sinceImproved = 0
        /// Y(λ) at the last few improvements (newest last), for restarts.
        var recent: [[Int]] = []

        /// Starts each λ_i at the cost to the point's second-nearest candidate: between the
        /// cost it pays in a good solution and above.
        init(_ h: PMedianHeuristic) {
            let costs = h.problem.costs
            lambda = (0..<h.n).map { i -> Double in
                let row = costs.entries(i)
                guard !row.isEmpty else { return h.penalty }
                return h.problem.weights[i] * costs.distance(min(row.lowerBound + 1, row.upperBound - 1))
            }
        }

        func closed(upper: Double, targetGap: Double) -> Bool { upper - best <= targetGap * max(1, upper) }

        /// ρ_j = Σ_i min(0, c_ij − λ_i) for every site.
        func sums(_ h: PMedianHeuristic, _ lambda: [Double]) -> [Double] {
            var rho = [Double](repeating: 0, count: h.m)
            for i in 0..<h.n {
                let w = h.problem.weights[i], l = lambda[i]
                for k in h.problem.costs.entries(i) {
                    let c = w * h.problem.costs.distance(k)
                    if c >= l { break }
                    rho[h.problem.costs.column(k)] += c - l
                }
            }
            return rho
        }
        var stalled: Bool { theta < 1e-5 }

        mutating func run(_ h: PMedianHeuristic, upper: Double, until iterations: Int, targetGap: Double) {
            let costs = h.problem.costs, weights = h.problem.weights
            var rho = [Double](repeating: 0, count: h.m)
            var chosen = [Bool](repeating: false, count: h.m)
            var g = [Double](repeating: 0, count: h.n)
            let free = (0..<h.m).filter { !h.isFixed[$0] }
            let slots = h.p - h.problem.fixed.count
            while iteration < iterations, !closed(upper: upper, targetGap: targetGap), !stalled {
                iteration += 1
                for j in 0..<h.m { rho[j] = 0 }
                for i in 0..<h.n {
                    let w = weights[i], l = lambda[i]
                    for k in costs.entries(i) {
                        let c = w * costs.distance(k)
                        if c >= l { break }
                        rho[costs.column(k)] += c - l
                    }
                }
                for j in 0..<h.m { chosen[j] = h.isFixed[j] }
                let picks = smallest(slots, of: free, by: rho)
                for j in picks { chosen[j] = true }
                var value = lambda.reduce(0, +)
                for j in 0..<h.m where chosen[j] { value += rho[j] }
                if !best.isFinite || value > best + 1e-12 * abs(best) {
                    best = value
                    bestLambda = lambda
                    sinceImproved = 0
                    recent.append((h.problem.fixed + picks).sorted())
                    if recent.count > 8 { recent.removeFirst() }
                } else {
                    sinceImproved += 1
                    if sinceImproved >= 40 { theta /= 2; sinceImproved = 0 }
                }
                var norm = 0.0
                for i in 0..<h.n {
                    let w = weights[i], l = lambda[i]
                    var served = 0.0
                    for k in costs.entries(i) {
                        if w * costs.distance(k) >= l { break }
                        if chosen[costs.column(k)] { served += 1 }
                    }
                    g[i] = 1 - served
                    norm += g[i] * g[i]
                }
                // Every point assigned exactly once: Y(λ) solves the relaxation and the problem.
                guard norm > 0 else {
                    if value > best { best = value; bestLambda = lambda }
                    theta = 0
                    break
                }
                let step = theta * (upper - value) / norm
                for i in 0..<h.n { lambda[i] += step * g[i] }
            }
        }
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
