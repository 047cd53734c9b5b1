/// When a vehicle can make the calls of a route, exactly: every rule of a route is a bound on the
/// difference of two call times (windows against a fixed origin, the drive between consecutive
/// calls, each rider's longest ride, the route's longest duration), so a route can be scheduled
/// if and only if the graph of those bounds has no negative cycle (Bellman–Ford), and the
/// shortest distances are the latest times that keep every rule. This decides what Cordeau and
/// Laporte's eight-step forward-time-slack procedure approximates, at a cost linear in the calls
/// times the few passes a route needs.
struct RideScheduling {
    let problem: DialARideProblem
    /// Working arrays reused between checks (one scheduler per search thread).
    private var dist: [Double] = []
    private var edgeFrom: [Int] = [], edgeTo: [Int] = [], edgeWeight: [Double] = []
    private var position: [Int]

    init(_ problem: DialARideProblem) {
        self.problem = problem
        position = [Int](repeating: -1, count: 2 * problem.requests.count)
    }

    /// The latest feasible time of every call (seconds; index 0 the departure from the hub, then
    /// the calls, then the return), or nil when no schedule keeps every rule. The calls must hold
    /// each request's pick-up before its drop-off.
    mutating func latestTimes(hub: Int, calls: [Int]) -> [Double]? {
        let p = problem, k = calls.count
        // Graph nodes: 0 = start, 1...k = calls, k + 1 = end; the origin is k + 2.
        let origin = k + 2
        edgeFrom.removeAll(keepingCapacity: true); edgeTo.removeAll(keepingCapacity: true); edgeWeight.removeAll(keepingCapacity: true)
        func edge(_ u: Int, _ v: Int, _ w: Double) { edgeFrom.append(u); edgeTo.append(v); edgeWeight.append(w) }
        func point(_ g: Int) -> Int { g == 0 || g == k + 1 ? hub : p.point(node: calls[g - 1]) }
        func service(_ g: Int) -> Double { g == 0 || g == k + 1 ? 0 : p.service[calls[g - 1]] }
        // Drives, backwards (a call's latest time follows from the next one's).
        for g in stride(from: k + 1, to: 0, by: -1) { edge(g, g - 1, -(service(g - 1) + p.time(point(g - 1), point(g)))) }
        // Longest rides and duration, forwards.
        for (g, n) in calls.enumerated() where n % 2 == 0 { position[n] = g + 1 }
        for (g, n) in calls.enumerated() where n % 2 == 1 {
            edge(position[n - 1], g + 1, p.service[n - 1] + p.maxRide[n / 2])
        }
        edge(0, k + 1, p.maxDuration)
        // Windows: upper bounds start the distances; lower bounds are edges to the origin.
        dist.removeAll(keepingCapacity: true)
        dist.append(p.rules.shiftEnd)
        for n in calls { dist.append(p.latest[n]) }
        dist.append(p.rules.shiftEnd)
        dist.append(0)
        for g in 0...(k + 1) { edge(g, origin, -(g == 0 || g == k + 1 ? p.rules.shiftStart : p.earliest[calls[g - 1]])) }
        for _ in 0...(k + 2) {
            var changed = false
            for e in edgeFrom.indices {
                let d = dist[edgeFrom[e]] + edgeWeight[e]
                if d < dist[edgeTo[e]] - 1e-9 {
                    if edgeTo[e] == origin { return nil }   // an earliest time above a latest one
                    dist[edgeTo[e]] = d
                    changed = true
                }
            }
            if !changed { return Array(dist[0...(k + 1)]) }
        }
        return nil
    }

    mutating func feasible(hub: Int, calls: [Int]) -> Bool { latestTimes(hub: hub, calls: calls) != nil }
}

extension DialARideProblem {
    /// The times of a feasible route's calls with the riders' time on board as short as the
    /// windows allow (the least total ride time; then the shortest route), as a linear program
    /// over the same bounds that `RideScheduling` checks, solved by CBC. `latest` is the
    /// fallback should the solver fail.
    func rideTimes(hub: Int, calls: [Int], latest: [Double]) -> [Double] {
        let k = calls.count
        var lp = MILP()
        func bounds(_ g: Int) -> (Double, Double) {
            g == 0 || g == k + 1 ? (rules.shiftStart, rules.shiftEnd) : (earliest[calls[g - 1]], self.latest[calls[g - 1]])
        }
        let x = (0...(k + 1)).map { g -> Int in
            let (e, l) = bounds(g)
            return lp.variable(cost: g == 0 ? -1e-3 : (g == k + 1 ? 1e-3 : 0), lower: e, upper: l, integer: false)
        }
        func point(_ g: Int) -> Int { g == 0 || g == k + 1 ? hub : self.point(node: calls[g - 1]) }
        for g in 1...(k + 1) {
            let s = g == 1 ? 0 : service[calls[g - 2]]
            lp.constraint([(x[g], 1), (x[g - 1], -1)], .greaterOrEqual, s + time(point(g - 1), point(g)))
        }
        var pickupAt: [Int: Int] = [:]
        for (g, n) in calls.enumerated() {
            if n % 2 == 0 { pickupAt[n] = g + 1; continue }
            let pg = pickupAt[n - 1]!
            lp.objective[x[g + 1]] += 1
            lp.objective[x[pg]] -= 1
            lp.constraint([(x[g + 1], 1), (x[pg], -1)], .lessOrEqual, service[n - 1] + maxRide[n / 2])
        }
        lp.constraint([(x[k + 1], 1), (x[0], -1)], .lessOrEqual, maxDuration)
        guard let solution = try? CBC.solve(lp, timeLimit: 10) else { return latest }
        return solution.values
    }
}
