import GeoCore

/// Sites for the capacitated models. Start from the uncapacitated heuristic's sites, repair them
/// until the demand fits, then improve by moves (close one site and open another; for LSCP,
/// close one) where every choice of sites is judged by its best allocation, solved by CBC (an LP
/// when demand may be split, a small assignment problem with a single source). The bound is the
/// tighter of the LP relaxation of the whole model and the uncapacitated model's bound (capacities
/// only make the optimum worse).
struct CapacitatedSearch {
    let problem: HubProblem
    let capacities: HubCapacities
    /// Choices of sites judged at most (each is one CBC solve).
    var budget = 300
    /// Closed sites tried in place of each open one, by their estimated gain.
    var tries = 6

    /// An allocation of the demand to `open` and its value to minimise (p-median: weighted
    /// distance; MCLP: −covered weight; LSCP: weighted distance as a tie-break). nil when the
    /// demand does not fit the sites.
    static func allocate(_ problem: HubProblem, _ c: HubCapacities, open: [Int]) throws -> (shares: [[HubShare]], value: Double)? {
        let model = CapacitatedModel(problem, c, open: open)
        do {
            let s = try CBC.solve(model.milp, timeLimit: 10)
            return (model.shares(s.values), s.objective)
        } catch let error as EngineError where error.library == "CBC" {
            return nil
        }
    }

    func solve() throws -> HubSolution? {
        let plain = try problem.withoutCapacities()
        let uncapacitated = HubSolver.heuristic(plain)
        guard var current = try start(uncapacitated.open) else { return nil }
        var judged = 0
        if case .lscp = problem.model {
            current = try dropSites(current, judged: &judged)
        } else {
            current = try swapSites(current, judged: &judged)
        }
        let (bound, relaxed) = try self.bound(uncapacitated)
        let method = (capacities.singleSource ? "one hub per demand point" : "demand may be split")
            + ": the uncapacitated heuristic's sites repaired and improved by \(judged) moves, each allocation solved by CBC; "
            + (relaxed ? "bound of the LP relaxation" : "bound of the uncapacitated model")
        let solution = problem.evaluate(current.open, shares: current.shares, bound: bound, provenOptimal: false, method: method)
        var proven = solution
        proven.provenOptimal = solution.gap <= 1e-9
        return proven
    }

    typealias Choice = (open: [Int], shares: [[HubShare]], value: Double)

    func judge(_ open: [Int]) throws -> Choice? {
        try Self.allocate(problem, capacities, open: open).map { (open.sorted(), $0.shares, $0.value) }
    }

    /// The sites, made to hold the demand: LSCP adds the site with the most room for the weight
    /// near it; the p-sited models trade their smallest site for the largest closed one.
    func start(_ sites: [Int]) throws -> Choice? {
        var open = Set(sites + problem.fixed)
        let limits = capacities.limits
        let reach = problem.costs.coverage(within: problem.model.radius ?? .infinity).byCandidate
        func room(_ j: Int) -> Double { min(limits[j], reach[j].reduce(0) { $0 + problem.weights[Int($1)] }) }
        for _ in 0..<problem.candidateCount {
            if let fits = try judge(Array(open)) { return fits }
            let closed = (0..<problem.candidateCount).filter { !open.contains($0) }
            guard let add = closed.max(by: { (room($0), -$0) < (room($1), -$1) }) else { return nil }
            if problem.model.p != nil {
                let fixed = Set(problem.fixed)
                guard let drop = open.filter({ !fixed.contains($0) }).min(by: { (room($0), $0) < (room($1), $1) }),
                      room(drop) < room(add) else { return nil }
                open.remove(drop)
            }
            open.insert(add)
        }
        return nil
    }

    /// LSCP: close sites the demand fits without, least used first.
    func dropSites(_ start: Choice, judged: inout Int) throws -> Choice {
        var best = start
        let fixed = Set(problem.fixed)
        var improved = true
        while improved, judged < budget {
            improved = false
            for j in load(best).sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }).map(\.key) where !fixed.contains(j) {
                guard judged < budget else { break }
                judged += 1
                if let fewer = try judge(best.open.filter { $0 != j }) {
                    best = fewer
                    improved = true
                    break
                }
            }
        }
        return best
    }

    /// p-median and MCLP: close one site and open another while that lowers the value; the sites
    /// tried are those whose opening would gain most if capacities did not bind.
    func swapSites(_ start: Choice, judged: inout Int) throws -> Choice {
        var best = start
        let fixed = Set(problem.fixed)
        var improved = true
        while improved, judged < budget {
            improved = false
            let candidates = gains(best).prefix(tries)
            search: for j in best.open where !fixed.contains(j) {
                for t in candidates {
                    guard judged < budget else { break search }
                    judged += 1
                    if let next = try judge(best.open.filter { $0 != j } + [t]), next.value < best.value - 1e-9 * max(1, abs(best.value)) {
                        best = next
                        improved = true
                        break search
                    }
                }
            }
        }
        return best
    }

    /// Closed sites by what opening them alone would gain (distance saved, or weight newly
    /// served within the radius), largest first.
    func gains(_ choice: Choice) -> [Int] {
        let open = Set(choice.open)
        var gain = [Double](repeating: 0, count: problem.candidateCount)
        for i in 0..<problem.demandCount {
            let w = problem.weights[i]
            let served = choice.shares[i].reduce(0) { $0 + $1.fraction }
            let now = choice.shares[i].reduce(0) { $0 + $1.fraction * problem.costs.cost(i, $1.site) }
            for pair in problem.admissible(i) where !open.contains(pair.site) {
                if case .mclp = problem.model {
                    gain[pair.site] += w * (1 - served)
                } else {
                    gain[pair.site] += w * max(0, now - pair.distance)
                }
            }
        }
        return (0..<problem.candidateCount).filter { !open.contains($0) && gain[$0] > 0 }
            .sorted { (gain[$0], -$0) > (gain[$1], -$1) }
    }

    /// Weight served by each open site.
    func load(_ choice: Choice) -> [Int: Double] {
        var load = Dictionary(uniqueKeysWithValues: choice.open.map { ($0, 0.0) })
        for i in choice.shares.indices { for s in choice.shares[i] { load[s.site, default: 0] += problem.weights[i] * s.fraction } }
        return load
    }

    /// The tighter of the LP relaxation (when CBC solves it) and the uncapacitated bound.
    func bound(_ uncapacitated: HubSolution) throws -> (Double, relaxed: Bool) {
        let relaxation = CapacitatedModel(problem, capacities, relaxed: true)
        guard let lp = try? CBC.solve(relaxation.milp, timeLimit: 60), lp.provenOptimal else { return (uncapacitated.bound, false) }
        switch problem.model {
        case .lscp: return (max(uncapacitated.bound, (lp.objective - 1e-6).rounded(.up)), true)
        case .mclp: return (min(uncapacitated.bound, -lp.objective), true)
        default: return (max(uncapacitated.bound, lp.objective), true)
        }
    }
}
