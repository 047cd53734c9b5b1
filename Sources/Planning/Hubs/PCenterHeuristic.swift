import GeoCore

/// p-center through covering: the optimum is one of the distances in the matrix, and p sites
/// reach every point within r exactly when the fewest sites covering everyone within r (LSCP)
/// is at most p. Binary search over the sorted distances with the LSCP heuristic finds sites
/// (an upper bound); the same search with LSCP's Lagrangian bound finds the largest distance
/// proven to need more than p sites, so the optimum is at least the next distance (the lower
/// bound). The exact solver closes what is left between them with CBC.
struct PCenterSearch {
    let problem: HubProblem
    let p: Int
    /// Every distinct finite distance in the matrix, ascending.
    let radii: [Double]

    /// `p`: the model's number of sites (the caller has matched `problem.model`, `.pCenter(p)`).
    init(_ problem: HubProblem, p: Int) {
        self.problem = problem
        self.p = p
        var all: [Double] = []
        all.reserveCapacity(problem.costs.storedPairs)
        for i in 0..<problem.demandCount { for k in problem.costs.entries(i) { all.append(problem.costs.distance(k)) } }
        all.sort()
        var distinct: [Double] = []
        for d in all where distinct.last != d { distinct.append(d) }
        radii = distinct
    }

    /// The covering sets at radius `radii[k]`.
    func sets(_ k: Int) -> CostMatrix.Coverage { problem.costs.coverage(within: radii[k]) }

    /// What the heuristic search knows: a solution, the index of its radius, and the smallest
    /// radius index not proven infeasible (the optimum's index is in `lower...upper`).
    struct Bracket {
        var sites: [Int]
        var upper: Int
        var lower: Int
        var steps: Int
    }

    func bracket() -> Bracket {
        // Every point must be reachable by some site: at least the largest nearest distance.
        var least = 0
        for i in 0..<problem.demandCount {
            if let k = problem.costs.entries(i).first {
                least = max(least, radii.partitionPoint { $0 < problem.costs.distance(k) })
            }
        }
        // Upper: smallest radius whose greedy cover needs at most p sites.
        var lo = least, hi = radii.count - 1
        var sites = LSCPHeuristic(sets: sets(hi), fixed: problem.fixed).solve(iterations: 0).cover ?? []
        var steps = 0
        while lo < hi {
            let mid = (lo + hi) / 2
            steps += 1
            if let cover = LSCPHeuristic(sets: sets(mid), fixed: problem.fixed).solve(iterations: 0).cover, cover.count <= p {
                hi = mid
                sites = cover
            } else {
                lo = mid + 1
            }
        }
        let upper = hi
        // Lower: largest radius below `upper` proven to need more than p sites.
        var provenBelow = least - 1
        lo = least
        hi = upper - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            steps += 1
            if needsMore(mid) { provenBelow = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return Bracket(sites: sites, upper: upper, lower: provenBelow + 1, steps: steps)
    }

    /// Whether LSCP's Lagrangian bound proves that radius index `k` needs more than p sites.
    func needsMore(_ k: Int) -> Bool {
        let heuristic = LSCPHeuristic(sets: sets(k), fixed: problem.fixed)
        return heuristic.solve(iterations: 200, stopAbove: p).bound > p
    }

    /// The cover's sites, filled up to p with the sites that most lower the total weighted
    /// distance (they cannot raise the maximum), as every p-center solution has p hubs.
    func filled(_ sites: [Int]) -> [Int] {
        var open = sites
        var isOpen = [Bool](repeating: false, count: problem.candidateCount)
        var nearest = [Double](repeating: .infinity, count: problem.demandCount)
        let costs = problem.costs
        for j in open {
            isOpen[j] = true
            for i in 0..<problem.demandCount { nearest[i] = min(nearest[i], costs.cost(i, j)) }
        }
        while open.count < p {
            var bestJ = -1, bestGain = -1.0
            for j in 0..<problem.candidateCount where !isOpen[j] {
                var gain = 0.0
                for i in 0..<problem.demandCount {
                    let d = costs.cost(i, j)
                    if d < nearest[i] { gain += problem.weights[i] * (nearest[i].isFinite ? nearest[i] - d : 1e12) }
                }
                if gain > bestGain { bestGain = gain; bestJ = j }
            }
            open.append(bestJ)
            isOpen[bestJ] = true
            for i in 0..<problem.demandCount { nearest[i] = min(nearest[i], costs.cost(i, bestJ)) }
        }
        return open.sorted()
    }

    func solve() -> HubSolution {
        let b = bracket()
        let bound = radii[min(b.lower, b.upper)]
        var solution = problem.evaluate(filled(b.sites), bound: bound, provenOptimal: false,
                                        method: "binary search over \(radii.count) distances with greedy covers; "
                                            + "Lagrangian covering bounds (\(b.steps) steps)")
        solution.provenOptimal = solution.objective <= bound
        return solution
    }
}

extension Array {
    /// The first index whose element fails `belongs` (the array is partitioned by it).
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if belongs(self[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
