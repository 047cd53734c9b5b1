import GeoCore
import GeoIO

/// How to solve a `HubProblem`.
public enum HubMethod: String, Sendable, CaseIterable {
    /// The heuristic, then CBC (within the time limit) wherever the heuristic's gap is open: the
    /// optimum when CBC proves it in time, else the better of the two with the tighter bound.
    case auto
    /// Pure Swift: a good solution fast, with a proven bound and the gap between them.
    case heuristic
    /// CBC, started from the heuristic's solution: optimal unless the time limit ends it.
    case exact
}

public enum HubSolver {
    public static func solve(_ problem: HubProblem, method: HubMethod, timeLimit: Double = 300) throws -> HubSolution {
        try problem.checkFeasible()
        // The heuristic's solution, and CBC started from it.
        let fast: HubSolution
        let exact: () throws -> HubSolution
        if let c = problem.capacities {
            let found = try CapacitatedSearch(problem: problem, capacities: c).solve()
            exact = { try HubExact.capacitated(problem, c, timeLimit: timeLimit, start: found) }
            guard let found else {
                // The repair found no sites the demand fits; CBC decides whether any exist.
                guard method != .heuristic else {
                    throw DataError(file: "hubs", "the heuristic found no sites whose capacities hold the demand; try --solver exact")
                }
                return try exact()
            }
            fast = found
        } else if case .pMedian(let p) = problem.model, !problem.costs.isComplete {
            // Too large for a complete matrix, so for CBC too: the heuristic's proven gap is the answer.
            guard method != .exact else {
                throw ParameterError("solver", "\(problem.demandCount) × \(problem.candidateCount) pairs are too many for an exact "
                                     + "p-median; use --solver auto or heuristic (a proven gap), or fewer candidates")
            }
            var found = ListPMedian(problem, p: p).solve()
            if method == .auto { found.method = "no CBC (the complete model would not fit in memory): the heuristic's sites with their proven gap — " + found.method }
            return found
        } else if case .pMedian(let p) = problem.model {
            // The heuristic's relaxation settles most sites before CBC sees the model.
            let search = PMedianHeuristic(problem, p: p)
            let (solution, relaxation) = search.solveKeepingRelaxation()
            fast = solution
            exact = {
                try HubExact.pMedian(problem, p: p, timeLimit: timeLimit, start: solution.open,
                                     settled: search.settled(by: relaxation, upper: solution.objective))
            }
        } else if case .lscp(let radius) = problem.model, method == .auto {
            // The greedy cover, then the LP relaxation (whose bound is at least the Lagrangian's)
            // and a dive from it: cheap, and it closes most LSCP gaps before any branching.
            let greedy = LSCPHeuristic(sets: problem.costs.coverage(within: radius), fixed: problem.fixed).solve(iterations: 0)
            let plain = problem.evaluate(greedy.cover ?? [], bound: 0, provenOptimal: false,
                                         method: "greedy cover, redundant sites dropped, two-for-one swaps")
            fast = try HubExact.lscpRelaxation(problem, radius: radius, heuristic: plain)
            exact = { try HubExact.solve(problem, timeLimit: timeLimit, start: fast) }
        } else {
            fast = heuristic(problem)
            exact = { try HubExact.solve(problem, timeLimit: timeLimit, start: fast) }
        }
        switch method {
        case .heuristic:
            return fast
        case .exact:
            // CBC always runs (even when the heuristic proved its own optimum), so "exact" means one thing.
            return try exact()
        case .auto:
            return try auto(problem, fast: fast, exact: exact, timeLimit: timeLimit)
        }
    }

    /// The heuristic where it proved its optimum; otherwise CBC within the time limit, and the
    /// better of the two with the tighter bound where CBC did not finish. The method says which.
    static func auto(_ problem: HubProblem, fast: HubSolution, exact: () throws -> HubSolution,
                     timeLimit: Double) throws -> HubSolution {
        if fast.provenOptimal {
            var s = fast
            s.method = "the heuristic proved its sites optimal, CBC not needed — " + fast.method
            return s
        }
        let gap = fast.gap.isFinite ? String(format: "%.4f%%", fast.gap * 100) : "unknown"
        let solved: HubSolution
        do {
            solved = try exact()
        } catch let error as EngineError {
            var s = fast
            s.method = "CBC found no solution within \(formatReal(timeLimit)) s (\(error.message)); the heuristic's sites "
                + "with their proven gap of \(gap) — " + fast.method
            return s
        }
        if solved.provenOptimal {
            var s = solved
            s.method = "CBC proved the optimum (the heuristic's gap was \(gap)) — " + solved.method
            return s
        }
        let maximises = problem.model.maximises
        let better = (maximises ? solved.objective > fast.objective : solved.objective < fast.objective) ? solved : fast
        var s = better
        s.bound = maximises ? min(fast.bound, solved.bound) : max(fast.bound, solved.bound)
        s.provenOptimal = s.bound == s.objective
        s.method = "CBC stopped at the time limit of \(formatReal(timeLimit)) s; the best sites of the heuristic and CBC "
            + "(\(better.method)), bound of the tighter"
        return s
    }

    static func heuristic(_ problem: HubProblem) -> HubSolution {
        switch problem.model {
        case .lscp(let radius):
            let search = LSCPHeuristic(sets: problem.costs.coverage(within: radius), fixed: problem.fixed)
            let result = search.solve()
            return problem.evaluate(result.cover ?? [], bound: Double(result.bound), provenOptimal: result.cover?.count == result.bound,
                                    method: "greedy cover, redundant sites dropped, two-for-one swaps; Lagrangian bound (\(result.iterations) subgradient steps)")
        case .mclp(let radius, let p):
            return MCLPHeuristic(problem, radius: radius, p: p).solve()
        case .pMedian(let p):
            return PMedianHeuristic(problem, p: p).solve()
        case .pCenter(let p):
            return PCenterSearch(problem, p: p).solve()
        }
    }
}
