import GeoCore

/// The four models as integer programs, solved by CBC (y_j: site j opens; fixed sites have
/// y_j = 1). Formulations as in spopt, except that assignment and coverage variables are
/// continuous in [0, 1]: with the y integer, their optimum is integral anyway (each point goes
/// to its nearest open site; z_i = 1 exactly when a covering site is open), and CBC branches
/// only on the sites.
///
///     LSCP      min Σ y_j           s.t. Σ_{j covers i} y_j ≥ 1
///     MCLP      max Σ w_i z_i       s.t. z_i ≤ Σ_{j covers i} y_j,  Σ y_j = p
///     p-median  min Σ w_i d_ij x_ij s.t. Σ_j x_ij = 1,  x_ij ≤ y_j,  Σ y_j = p
///     p-center  the least distance r whose LSCP needs at most p sites (a sequence of LSCPs)
enum HubExact {
    static func solve(_ problem: HubProblem, timeLimit: Double, start: HubSolution?) throws -> HubSolution {
        try problem.checkFeasible()
        switch problem.model {
        case .lscp(let radius):
            return try lscp(problem, radius: radius, timeLimit: timeLimit, start: start?.open)
        case .mclp(let radius, let p):
            return try mclp(problem, radius: radius, p: p, timeLimit: timeLimit, start: start?.open)
        case .pMedian(let p):
            return try pMedian(problem, p: p, timeLimit: timeLimit, start: start?.open, settled: ([], []))
        case .pCenter(let p):
            return try pCenter(problem, p: p, timeLimit: timeLimit, start: start)
        }
    }

    static func siteVariables(_ p: inout MILP, _ problem: HubProblem, cost: Double) -> [Int] {
        let fixed = Set(problem.fixed)
        return (0..<problem.candidateCount).map { j in p.variable(cost: cost, lower: fixed.contains(j) ? 1 : 0, upper: 1) }
    }

    static func status(_ s: MILPSolution) -> String {
        s.provenOptimal ? "CBC, proven optimal" : "CBC, \(s.status): best found and CBC's bound"
    }

    static func open(_ s: MILPSolution, _ y: [Int]) -> [Int] { y.indices.filter { s.values[y[$0]] > 0.5 } }

    static func lscpModel(_ problem: HubProblem, sets: CostMatrix.Coverage) -> (MILP, [Int]) {
        var model = MILP()
        let y = siteVariables(&model, problem, cost: 1)
        for row in sets.byDemand { model.constraint(row.map { (y[Int($0)], 1) }, .greaterOrEqual, 1) }
        return (model, y)
    }

    static func lscp(_ problem: HubProblem, radius: Double, timeLimit: Double, start: [Int]?) throws -> HubSolution {
        let (model, y) = lscpModel(problem, sets: problem.costs.coverage(within: radius))
        let s = try CBC.solve(model, timeLimit: timeLimit, start: warm(start, y))
        return problem.evaluate(open(s, y), bound: (s.bound - 1e-6).rounded(.up), provenOptimal: s.provenOptimal, method: status(s))
    }

    /// LSCP's LP relaxation (CBC): its value rounded up bounds the fewest sites. Then a dive:
    /// open the sites the LP opens (nearly) whole, or else its largest fractional one, solve the
    /// LP again, until it opens whole sites only; the greedy completes and trims that cover.
    /// Where the LP is tight (as LSCP's often is) the dive meets the bound, and no branching is
    /// needed.
    static func lscpRelaxation(_ problem: HubProblem, radius: Double, heuristic: HubSolution) throws -> HubSolution {
        let sets = problem.costs.coverage(within: radius)
        let (model, y) = lscpModel(problem, sets: sets)
        let lp = LinearProgram(model)
        guard var solution = lp.solve() else { return heuristic }
        let bound = max(heuristic.bound, (solution.objective - 1e-6).rounded(.up))
        // Fixing a site open that lifts the LP above the bound is undone: it stays closed instead.
        var decided = Set(problem.fixed)
        var dives = 0
        while dives < 2 * problem.candidateCount {
            let values = y.map { solution.values[$0] }
            let fractional = y.indices.filter { values[$0] > 1e-6 && values[$0] < 1 - 1e-6 && !decided.contains($0) }
            guard let largest = fractional.max(by: { (values[$0], -$0) < (values[$1], -$1) }) else { break }
            decided.insert(largest)
            lp.setBounds(y[largest], 1, 1)
            dives += 1
            guard let next = lp.solve() else { break }
            if (next.objective - 1e-6).rounded(.up) > bound {
                lp.setBounds(y[largest], 0, 0)
                dives += 1
                if let closed = lp.solve(), (closed.objective - 1e-6).rounded(.up) <= bound {
                    solution = closed
                    continue
                }
                lp.setBounds(y[largest], 1, 1)
            }
            solution = next
        }
        let search = LSCPHeuristic(sets: sets, fixed: problem.fixed)
        let dived = search.cover(from: y.indices.filter { solution.values[y[$0]] > 1 - 1e-6 })
        let best = dived.count < heuristic.open.count ? dived : heuristic.open
        return problem.evaluate(best, bound: bound, provenOptimal: Double(best.count) <= bound,
                                method: heuristic.method + "; the LP relaxation (Clp) bounds it at \(Int(bound)), "
                                    + "and \(dives) LP dive(s) from it give \(dived.count) sites")
    }

    static func mclp(_ problem: HubProblem, radius: Double, p: Int, timeLimit: Double, start: [Int]?) throws -> HubSolution {
        let sets = problem.costs.coverage(within: radius)
        var model = MILP()
        let y = siteVariables(&model, problem, cost: 0)
        model.constraint(y.map { ($0, 1) }, .equal, Double(p))
        for (i, row) in sets.byDemand.enumerated() where !row.isEmpty && problem.weights[i] > 0 {
            let z = model.variable(cost: -problem.weights[i], integer: false)
            model.constraint([(z, 1)] + row.map { (y[Int($0)], -1) }, .lessOrEqual, 0)
        }
        let s = try CBC.solve(model, timeLimit: timeLimit, start: warm(start, y))
        return problem.evaluate(open(s, y), bound: -s.bound, provenOptimal: s.provenOptimal, method: status(s))
    }

    /// `settled` sites (closed, open) are proven by the Lagrangian bound to be so in every
    /// solution as good as `start`: their variables are fixed and closed sites get no
    /// assignment columns, which shrinks the model CBC must solve without changing its optimum.
    static func pMedian(_ problem: HubProblem, p: Int, timeLimit: Double, start: [Int]?,
                        settled: (closed: [Int], open: [Int])) throws -> HubSolution {
        var model = MILP()
        let closed = Set(settled.closed), forced = Set(settled.open).union(problem.fixed)
        let y = (0..<problem.candidateCount).map { j in
            model.variable(cost: 0, lower: forced.contains(j) ? 1 : 0, upper: closed.contains(j) ? 0 : 1)
        }
        model.constraint(y.map { ($0, 1) }, .equal, Double(p))
        let costs = problem.costs
        for i in 0..<problem.demandCount {
            var assign: [(Int, Double)] = []
            for k in costs.entries(i) where !closed.contains(costs.column(k)) {
                let x = model.variable(cost: problem.weights[i] * costs.distance(k), integer: false)
                // A site that is surely open needs no link: the assignment may always use it.
                if !forced.contains(costs.column(k)) { model.constraint([(x, 1), (y[costs.column(k)], -1)], .lessOrEqual, 0) }
                assign.append((x, 1))
            }
            model.constraint(assign, .equal, 1)
        }
        let s = try CBC.solve(model, timeLimit: timeLimit, start: warm(start, y))
        var method = status(s)
        if !closed.isEmpty || !settled.open.isEmpty {
            method += "; \(closed.count) sites proven closed and \(settled.open.count) open by the Lagrangian bound beforehand "
                + "(\(problem.candidateCount - closed.count - forced.count) left to CBC)"
        }
        return problem.evaluate(open(s, y), bound: s.bound, provenOptimal: s.provenOptimal, method: method)
    }

    /// The least radius index whose LSCP needs at most p sites. The heuristic's bracket
    /// settles most radii (a greedy cover of at most p proves "enough", a Lagrangian bound above
    /// p proves "too few"); CBC decides the rest.
    static func pCenter(_ problem: HubProblem, p: Int, timeLimit: Double, start: HubSolution?) throws -> HubSolution {
        let search = PCenterSearch(problem, p: p)
        let bracket = search.bracket()
        var lo = bracket.lower, hi = bracket.upper
        var sites = bracket.sites
        var solves = 0
        var proven = true
        let deadline = ContinuousClockDeadline(seconds: timeLimit)
        while lo < hi {
            let mid = (lo + hi) / 2
            let sets = search.sets(mid)
            let (model, y) = lscpModel(problem, sets: sets)
            solves += 1
            let s = try CBC.solve(model, timeLimit: max(1, deadline.remaining))
            if s.objective <= Double(p) + 0.5 {
                hi = mid
                sites = open(s, y)
            } else if s.provenOptimal || (s.bound - 1e-6).rounded(.up) > Double(p) {
                lo = mid + 1
            } else {
                // Out of time with the question open: report what is proven.
                proven = false
                break
            }
        }
        var solution = problem.evaluate(search.filled(sites), bound: search.radii[lo], provenOptimal: false,
                                        method: "CBC: \(solves) covering problem(s) over \(search.radii.count) distances"
                                            + (proven ? ", proven optimal" : ", time limit: best found and bound"))
        solution.provenOptimal = proven && solution.objective <= search.radii[lo]
        return solution
    }

    static func warm(_ start: [Int]?, _ y: [Int]) -> [Int: Double] {
        guard let start else { return [:] }
        let open = Set(start)
        return Dictionary(uniqueKeysWithValues: y.indices.map { (y[$0], open.contains($0) ? 1.0 : 0.0) })
    }
}

/// Seconds left until a deadline set now, for a sequence of solves sharing one time limit.
struct ContinuousClockDeadline {
    let end: ContinuousClock.Instant
    init(seconds: Double) { end = .now + .milliseconds(Int64(seconds * 1000)) }
    var remaining: Double {
        let left = end - .now
        return Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
    }
}
