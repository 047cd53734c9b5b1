import GeoCore

/// How to solve a `HubProblem`.
public enum HubMethod: String, Sendable, CaseIterable {
    /// Pure Swift: a good solution fast, with a proven bound and the gap between them.
    case heuristic
    /// CBC, started from the heuristic's solution: optimal unless the time limit ends it.
    case exact
}

public enum HubSolver {
    public static func solve(_ problem: HubProblem, method: HubMethod, timeLimit: Double = 300) throws -> HubSolution {
        try problem.checkFeasible()
        if method == .exact, case .pMedian(let p) = problem.model {
            // The heuristic's relaxation settles most sites before CBC sees the model.
            let search = PMedianHeuristic(problem, p: p)
            let (fast, relaxation) = search.solveKeepingRelaxation()
            return try HubExact.pMedian(problem, p: p, timeLimit: timeLimit, start: fast.open,
                                        settled: search.settled(by: relaxation, upper: fast.objective))
        }
        let fast = heuristic(problem)
        switch method {
        case .heuristic: return fast
        case .exact:
            // CBC always runs (even when the heuristic proved its own optimum), so "exact" means
            // one thing; the heuristic's sites are its starting point.
            return try HubExact.solve(problem, timeLimit: timeLimit, start: fast)
        }
    }

    static func heuristic(_ problem: HubProblem) -> HubSolution {
        switch problem.model {
        case .lscp(let radius):
            let search = LSCPHeuristic(sets: problem.costs.coverage(within: radius), fixed: problem.fixed)
            let result = search.solve()
            return problem.evaluate(result.cover ?? [], bound: Double(result.bound), provenOptimal: result.cover?.count == result.bound,
                                    method: "greedy cover, redundant sites dropped; Lagrangian bound (\(result.iterations) subgradient steps)")
        case .mclp(let radius, let p):
            return MCLPHeuristic(problem, radius: radius, p: p).solve()
        case .pMedian(let p):
            return PMedianHeuristic(problem, p: p).solve()
        case .pCenter(let p):
            return PCenterSearch(problem, p: p).solve()
        }
    }
}
