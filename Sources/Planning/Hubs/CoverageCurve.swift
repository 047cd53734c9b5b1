import GeoCore

/// The coverage curve: the weight within a radius of the best p hubs, for p = 1…k.
enum CoverageCurve {
    /// One greedy pass gives every p: the weight covered after each added site (the fixed ones
    /// first). Coverage is submodular, so for any step's sites S and any p hubs T ⊇ fixed,
    /// f(T) ≤ f(S) + the p − |fixed| largest gains over S (Nemhauser, Wolsey & Fisher 1978);
    /// each p's bound is the least of these over the steps, and never above the total weight.
    static func greedy(_ problem: HubProblem, radius: Double, upTo k: Int) -> [HubCurvePoint] {
        let top = min(k, problem.candidateCount)
        let first = max(1, problem.fixed.count)
        guard first <= top else { return [] }
        let sets = problem.costs.coverage(within: radius)
        let weights = problem.weights
        let total = problem.totalWeight
        var covered = [Bool](repeating: false, count: problem.demandCount)
        var isOpen = [Bool](repeating: false, count: problem.candidateCount)
        var gain = sets.byCandidate.map { $0.reduce(0.0) { $0 + weights[Int($1)] } }
        var value = 0.0
        func open(_ j: Int) {
            isOpen[j] = true
            for i in sets.byCandidate[j].map(Int.init) where !covered[i] {
                covered[i] = true
                value += weights[i]
                for c in sets.byDemand[i] { gain[Int(c)] -= weights[i] }
            }
            gain[j] = 0
        }
        for j in problem.fixed { open(j) }
        var found: [Int: Double] = [:]
        var bound = [Double](repeating: total, count: top + 1)
        var count = problem.fixed.count
        while true {
            if count >= first { found[count] = value }
            // The bound this step's sites give every p: the sum of the largest gains over them.
            let largest = gain.indices.filter { !isOpen[$0] }.map { max(0, gain[$0]) }.sorted(by: >)
            var prefix = [0.0]
            for g in largest { prefix.append(prefix[prefix.count - 1] + g) }
            for p in first...top {
                let extra = max(0, p - problem.fixed.count)
                bound[p] = min(bound[p], value + prefix[min(extra, largest.count)])
            }
            guard count < top else { break }
            // The site adding the most weight (ties: the lowest index).
            var best = -1
            for j in gain.indices where !isOpen[j] && (best < 0 || gain[j] > gain[best]) { best = j }
            guard best >= 0 else { break }
            open(best)
            count += 1
        }
        return (first...top).compactMap { p in
            guard let v = found[p] else { return nil }
            return HubCurvePoint(p: p, covered: v, share: v / total, bound: max(v, bound[p]))
        }
    }

    /// Every p's MCLP solved with the study's method (on request: a solve per point).
    static func solved(_ problem: HubProblem, radius: Double, upTo k: Int, timeLimit: Double) throws -> [HubCurvePoint] {
        let top = min(k, problem.candidateCount)
        let first = max(1, problem.fixed.count)
        guard first <= top else { return [] }
        return try (first...top).map { p in
            let mclp = try HubProblem(model: .mclp(radius: radius, p: p), weights: problem.weights, costs: problem.costs,
                                      fixed: problem.fixed, demandNames: problem.demandNames)
            let s = try HubSolver.solve(mclp, method: .auto, timeLimit: timeLimit)
            return HubCurvePoint(p: p, covered: s.objective, share: s.objective / problem.totalWeight, bound: s.bound)
        }
    }

    /// The curve with the study's own solution where it is an MCLP of the curve's radius: its
    /// sites and bound are at least as good as the curve's at its p.
    static func including(_ solution: HubSolution, of problem: HubProblem, in curve: [HubCurvePoint]) -> [HubCurvePoint] {
        guard case .mclp(_, let p) = problem.model else { return curve }
        // (The curve's radius is the model's: HubStudyOptions.radius is the MCLP's own.)
        return curve.map { point in
            guard point.p == p else { return point }
            var better = point
            if solution.objective > point.covered {
                better.covered = solution.objective
                better.share = solution.objective / problem.totalWeight
            }
            better.bound = max(better.covered, min(point.bound, solution.bound))
            return better
        }
    }
}
