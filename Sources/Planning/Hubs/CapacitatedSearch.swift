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
    /// demand does not fit the sites. `split` relaxes a single source (a bound, solved fast).
    static func allocate(_ problem: HubProblem, _ c: HubCapacities, open: [Int],
                         split: Bool = false) throws -> (shares: [[HubShare]], value: Double)? {
        let model = CapacitatedModel(problem, c, open: open, split: split)
        do {
            let s = try CBC.solve(model.milp, timeLimit: 10)
            return (model.shares(s.values), s.objective)
        } catch let error as EngineError where error.library == "CBC" {
            return nil
        }
    }

    /// Two starts (the uncapacitated heuristic's sites, and the sites the LP relaxation opens
    /// most), each repaired and improved; the better wins. With a single source the moves are
    /// judged by the split allocation (an LP, fast) and the result allocated whole at the end.
    func solve() throws -> HubSolution? {
        let uncapacitated = HubSolver.heuristic(try problem.withoutCapacities())
        let relaxation = CapacitatedModel(problem, capacities, relaxed: true)
        let lp = try? CBC.solve(relaxation.milp, timeLimit: 60)
        var starts = [uncapacitated.open]
        if let lp, let y = relaxation.y { starts.append(rounded(lp.values, y)) }
        var best: Choice?
        var judged = 0
        for sites in starts {
            guard let start = try start(sites) else { continue }
            var found: Choice
            if case .lscp = problem.model {
                found = try dropSites(start, judged: &judged)
            } else {
                found = try swapSites(start, judged: &judged)
                if capacities.singleSource { found = try judge(found.open) ?? start }
            }
            if best == nil || found.value < best!.value { best = found }
        }
        guard let best else { return nil }
        var bound = uncapacitated.bound
        if let lp, lp.provenOptimal {
            switch problem.model {
            case .lscp: bound = max(bound, (lp.objective - 1e-6).rounded(.up))
            case .mclp: bound = min(bound, -lp.objective)
            default: bound = max(bound, lp.objective)
            }
        }
        let method = (capacities.singleSource ? "one hub per demand point" : "demand may be split")
            + ": sites of the uncapacitated heuristic and of the LP relaxation, repaired and improved by \(judged) moves, "
            + "each allocation solved by CBC; bound of the " + (lp?.provenOptimal == true ? "LP relaxation" : "uncapacitated model")
        var solution = problem.evaluate(best.open, shares: best.shares, bound: bound, provenOptimal: false, method: method)
        solution.provenOptimal = solution.gap <= 1e-9
        return solution
    }

    typealias Choice = (open: [Int], shares: [[HubShare]], value: Double)

    func judge(_ open: [Int], split: Bool = false) throws -> Choice? {
        try Self.allocate(problem, capacities, open: open, split: split).map { (open.sorted(), $0.shares, $0.value) }
    }

    /// The sites the LP relaxation opens most: p of them (fixed ones first), or for LSCP every
    /// site it opens at all (the drops then remove what is not needed).
    func rounded(_ values: [Double], _ y: [Int]) -> [Int] {
        let order = y.indices.sorted { (values[y[$0]], -$0) > (values[y[$1]], -$1) }
        guard let p = problem.model.p else { return order.filter { values[y[$0]] > 1e-6 } }
        return Array((problem.fixed + order.filter { !problem.fixed.contains($0) }).prefix(p))
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

    /// p-median and MCLP: close one site and open another while that lowers the value. Tried in
    /// place of site j: the closed sites nearest to j's own demand (a relocation), and those
    /// whose opening would gain most if capacities did not bind.
    func swapSites(_ start: Choice, judged: inout Int) throws -> Choice {
        var best = start
        let fixed = Set(problem.fixed)
        var improved = true
        while improved, judged < budget {
            improved = false
            let gaining = gains(best).prefix(tries)
            search: for j in best.open where !fixed.contains(j) {
                var tried = Set<Int>()
                for t in relocations(of: j, in: best).prefix(tries) + gaining where tried.insert(t).inserted {
                    guard judged < budget else { break search }
                    judged += 1
                    if let next = try judge(best.open.filter { $0 != j } + [t], split: true),
                       next.value < best.value - 1e-9 * max(1, abs(best.value)) {
                        best = next
                        improved = true
                        break search
                    }
                }
            }
        }
        return best
    }

    /// Closed sites by the weighted distance from the demand site j serves, nearest first.
    func relocations(of j: Int, in choice: Choice) -> [Int] {
        let open = Set(choice.open)
        var cost = [Double](repeating: 0, count: problem.candidateCount)
        var reaches = [Int](repeating: 0, count: problem.candidateCount)
        var clients = 0
        for i in choice.shares.indices {
            guard let share = choice.shares[i].first(where: { $0.site == j }) else { continue }
            clients += 1
            for pair in problem.admissible(i) where !open.contains(pair.site) {
                cost[pair.site] += problem.weights[i] * share.fraction * pair.distance
                reaches[pair.site] += 1
            }
        }
        return (0..<problem.candidateCount).filter { !open.contains($0) && reaches[$0] == clients && clients > 0 }
            .sorted { (cost[$0], $0) < (cost[$1], $1) }
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
}
