/// The routes being improved: stops as points of the problem's distance table (hubs first),
/// with each route's length and riders kept up to date so a move is checked in constant time.
struct RouteSet {
    let problem: RoutingProblem
    var sequences: [[Int]] = []
    var hub: [Int] = []
    var length: [Double] = []
    var riders: [Int] = []
    var unserved: [Int] = []
    /// Routes per hub.
    var used: [Int]
    var cost = 0.0

    init(_ problem: RoutingProblem) {
        self.problem = problem
        used = Array(repeating: 0, count: problem.hubs.count)
    }

    /// Every unserved stop outweighs any distance: more than serving all stops alone would drive.
    var penalty: Double {
        let hubs = problem.hubs.indices
        return problem.stops.indices.reduce(1) { total, s in
            total + 2 * (hubs.map { problem.distance($0, problem.stopPoint(s)) }.filter(\.isFinite).max() ?? 0)
        }
    }

    func penalised(_ penalty: Double) -> Double { cost + penalty * Double(unserved.count) }

    /// Fewer unserved stops first, then the shorter total.
    func isBetter(than other: RouteSet) -> Bool {
        unserved.count != other.unserved.count ? unserved.count < other.unserved.count : cost < other.cost - 1e-9
    }

    func riders(_ point: Int) -> Int { problem.stops[point - problem.hubs.count].riders }

    mutating func add(hub h: Int, _ sequence: [Int]) {
        let m = problem.measure(hub: h, points: sequence)
        sequences.append(sequence); hub.append(h); length.append(m.length); riders.append(m.riders)
        used[h] += 1
        cost += m.length
    }

    /// Replaces route r's sequence (an empty one removes the route).
    mutating func replace(_ r: Int, with sequence: [Int]) {
        cost -= length[r]
        if sequence.isEmpty {
            used[hub[r]] -= 1
            sequences.remove(at: r); hub.remove(at: r); length.remove(at: r); riders.remove(at: r)
            return
        }
        let m = problem.measure(hub: hub[r], points: sequence)
        sequences[r] = sequence; length[r] = m.length; riders[r] = m.riders
        cost += m.length
    }

    /// Whether a sequence would be a valid route from hub h.
    func fits(hub h: Int, _ sequence: [Int]) -> (ok: Bool, length: Double) {
        let m = problem.measure(hub: h, points: sequence)
        return (m.riders <= problem.seats && m.ride <= problem.maxRide, m.length)
    }

    /// The added length of putting `u` before position k of route r (k = count: at the end),
    /// or nil when the route would break the seats or the ride.
    func insertion(_ u: Int, route r: Int, at k: Int) -> Double? {
        let seq = sequences[r], h = hub[r], n = seq.count
        guard riders[r] + riders(u) <= problem.seats else { return nil }
        let a = k == 0 ? h : seq[k - 1], b = k == n ? h : seq[k]
        let delta = problem.distance(a, u) + problem.distance(u, b) - problem.distance(a, b)
        let first = k == 0 ? u : seq[0], last = k == n ? u : seq[n - 1]
        let ride = problem.ride(length: length[r] + delta, hub: h, first: first, last: last, count: n + 1)
        return ride <= problem.maxRide ? delta : nil
    }

    /// The length of a new route from hub h serving `u` alone, if the hub has a vehicle free.
    func newRoute(_ u: Int, hub h: Int) -> Double? {
        guard used[h] < problem.hubs[h].vehicles else { return nil }
        let d = problem.distance(h, u)
        guard riders(u) <= problem.seats, d.isFinite,
              problem.ride(length: 2 * d, hub: h, first: u, last: u, count: 1) <= problem.maxRide else { return nil }
        return 2 * d
    }

    /// Inserts `u` where it adds the least length (any route, or a new one); false if nowhere.
    /// `skip` drops a candidate position (the "blinks" of SISR's recreate), for variety.
    @discardableResult
    mutating func insertCheapest(_ u: Int, skip: () -> Bool = { false }) -> Bool {
        var best = Double.infinity, bestRoute = -1, bestAt = 0
        for r in sequences.indices {
            for k in 0...sequences[r].count {
                guard let delta = insertion(u, route: r, at: k), delta < best, !skip() else { continue }
                best = delta; bestRoute = r; bestAt = k
            }
        }
        var bestHub = -1
        for h in problem.hubs.indices {
            if let d = newRoute(u, hub: h), d < best, !skip() { best = d; bestHub = h }
        }
        if bestHub >= 0 {
            add(hub: bestHub, [u])
        } else if bestRoute >= 0 {
            var seq = sequences[bestRoute]
            seq.insert(u, at: bestAt)
            replace(bestRoute, with: seq)
        } else {
            return false
        }
        return true
    }

    /// The routes as the problem's plan (stop indices, oriented for pickup).
    func plan(method: String) -> RoutingPlan {
        let h = problem.hubs.count
        guard let plan = problem.plan(sequences.indices.map { (hub[$0], sequences[$0].map { $0 - h }) },
                                      unserved: unserved.map { $0 - h }, method: method) else {
            preconditionFailure("the route search produced routes that break a rule")
        }
        return plan
    }
}

/// Clarke and Wright's savings, hub by hub: every stop starts on its own route from its
/// nearest hub, then routes are joined end to end in order of the distance saved,
/// s(i, j) = d(hub, i) + d(hub, j) − d(i, j), while seats and ride allow. Routes beyond a
/// hub's vehicles are broken up and their stops inserted where they cost least.
enum Savings {
    static func construct(_ problem: RoutingProblem) -> RouteSet {
        let hubs = problem.hubs.count
        var home = [Int: [Int]]()
        for s in problem.stops.indices {
            let u = problem.stopPoint(s)
            let h = problem.hubs.indices.filter { problem.soloRide(stop: s, hub: $0) <= problem.maxRide }
                .min { (problem.distance($0, u), $0) < (problem.distance($1, u), $1) }!
            home[h, default: []].append(u)
        }
        var set = RouteSet(problem)
        var leftOver: [Int] = []
        for h in 0..<hubs {
            guard let members = home[h] else { continue }
            var routes = members.map { [$0] }
            var routeOf = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
            var pairs: [(saving: Double, i: Int, j: Int)] = []
            for a in members.indices {
                for b in (a + 1)..<members.count {
                    let i = members[a], j = members[b]
                    pairs.append((problem.distance(h, i) + problem.distance(h, j) - problem.distance(i, j), i, j))
                }
            }
            pairs.sort { ($0.saving, -$0.i, -$0.j) > ($1.saving, -$1.i, -$1.j) }
            for pair in pairs where pair.saving > 0 {
                let ri = routeOf[pair.i]!, rj = routeOf[pair.j]!
                guard ri != rj else { continue }
                let a = routes[ri], b = routes[rj]
                // i must end its route and j start its own (turning either around as needed).
                guard let left = a.last == pair.i ? a : (a.first == pair.i ? a.reversed() : nil),
                      let right = b.first == pair.j ? b : (b.last == pair.j ? b.reversed() : nil) else { continue }
                let merged = left + right
                guard set.fits(hub: h, merged).ok else { continue }
                routes[ri] = merged
                routes[rj] = []
                for u in right { routeOf[u] = ri }
            }
            // The longest routes keep the hub's vehicles; the rest are broken up.
            let kept = routes.filter { !$0.isEmpty }
            let ordered = kept.indices.sorted { (set.fits(hub: h, kept[$0]).length, -$0) > (set.fits(hub: h, kept[$1]).length, -$1) }
            for (rank, r) in ordered.enumerated() {
                if rank < problem.hubs[h].vehicles { set.add(hub: h, kept[r]) } else { leftOver += kept[r] }
            }
        }
        for u in leftOver where !set.insertCheapest(u) { set.unserved.append(u) }
        return set
    }
}
