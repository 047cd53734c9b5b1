import Foundation
import GeoCore

public struct DialARideOptions: Sendable {
    /// Ruin-and-recreate iterations; nil: 400 per request, at least 10,000 (about 7 s for 96
    /// requests on one core of the benchmark machine).
    public var iterations: Int?
    public var seed: UInt64 = 0
    /// Seconds; the search stops there even if iterations remain (then the answer depends on
    /// the machine's speed, and the plan says so).
    public var timeLimit: Double?
    /// Use as few vehicles as possible first, then the least distance.
    public var fewestVehicles = false
    public init() {}
}

/// Plans for a `DialARideProblem`: requests inserted where they cost least (sooner windows
/// first), then ruin and recreate under simulated annealing — remove requests near a random
/// one, insert them again in a random order where they cost least, skipping a position now and
/// then (SISR's recreate: Christiaens & Vanden Berghe 2020). Every insertion is checked exactly
/// (`RideScheduling`), after cheap necessary tests on seats, windows and ride. Deterministic
/// for a seed and an iteration count.
public enum DialARideSolver {
    static let chains = 2

    public static func solve(_ problem: DialARideProblem, options: DialARideOptions = DialARideOptions()) -> DialARidePlan {
        let started = Date()
        let iterations = options.iterations ?? max(10_000, 400 * problem.requests.count)
        let deadline = options.timeLimit.map { started.addingTimeInterval($0) }
        // Independent chains from the same start, side by side on two cores: one chain can settle
        // in a poorer basin than another. Their number is fixed, so the plan does not depend on
        // the cores; the best wins (ties: the first chain).
        let chains: [(best: DialARideState, stopped: Bool)]
        do {
            chains = try parallelMap(Array(0..<Self.chains), chunks: min(workerThreads, Self.chains)) { indices in
                indices.map { c in
                    var search = DialARideSearch(problem, seed: options.seed &+ UInt64(c) &* 0x9E37_79B9_7F4A_7C15)
                    var stopped = false
                    let best = search.anneal(from: search.construct(), iterations: iterations, deadline: deadline, stopped: &stopped)
                    return (best, stopped)
                }
            }
        } catch {
            preconditionFailure("the search chains throw nothing: \(error)")
        }
        var best = chains[0].best
        for chain in chains.dropFirst() where chain.best.isBetter(than: best) { best = chain.best }
        var stopped = chains.contains { $0.stopped }
        var search = DialARideSearch(problem, seed: options.seed)
        var method = "cheapest insertion + \(Self.chains) chains of \(iterations) ruin-and-recreate iterations (simulated annealing, "
            + "seed \(options.seed)); every route checked exactly (difference constraints)"
        if options.fewestVehicles {
            // Empty the least-used route and search without its vehicle; keep it if every request still fits.
            while best.unserved.isEmpty, let v = best.routes.indices.filter({ !best.routes[$0].isEmpty })
                    .min(by: { (best.routes[$0].count, $0) < (best.routes[$1].count, $1) }), !stopped {
                var current = best
                current.unserved = current.routes[v].filter { $0 % 2 == 0 }.map { $0 / 2 }
                current.routes[v] = []
                current.recompute(problem)
                search.closed.insert(v)
                search.recreate(&current)
                let trial = search.anneal(from: current, iterations: iterations / 2, deadline: deadline, stopped: &stopped)
                guard trial.unserved.isEmpty else { search.closed.remove(v); break }
                best = trial
            }
            method += "; vehicles first: routes emptied one by one while every request still fits"
        }
        let unserved = best.unserved.sorted().map { r in
            DialARidePlan.Unserved(request: r, reason: search.fitsAlone(r)
                ? "no vehicle has room for it in time beside the other requests"
                : "no vehicle can serve it even alone within the windows, the ride limit, the route's duration and the shift")
        }
        let seconds = Date().timeIntervalSince(started)
        guard let plan = problem.plan(best.routes.enumerated().map { ($0.offset, $0.element) }, unserved: unserved,
                                      method: method + (stopped ? " (stopped by the time limit)" : ""), seconds: seconds,
                                      stoppedByTimeLimit: stopped) else {
            preconditionFailure("the search kept a route that breaks a rule")
        }
        return plan
    }
}

/// A plan in the search: call sequences per vehicle.
struct DialARideState {
    var routes: [[Int]]
    var lengths: [Double]
    var unserved: [Int]
    var length: Double

    mutating func recompute(_ p: DialARideProblem) {
        let hubs = p.vehicleHubs
        for v in routes.indices { lengths[v] = p.routeLength(hub: hubs[v], calls: routes[v]) }
        length = lengths.reduce(0, +)
    }

    func penalised(_ penalty: Double) -> Double { length + penalty * Double(unserved.count) }
    func isBetter(than other: DialARideState) -> Bool {
        (unserved.count, length) < (other.unserved.count, other.length - 1e-9)
    }
}

extension DialARideProblem {
    func routeLength(hub: Int, calls: [Int]) -> Double {
        var previous = hub, length = 0.0
        for n in calls { length += distance(previous, point(node: n)); previous = point(node: n) }
        return calls.isEmpty ? 0 : length + distance(previous, hub)
    }
}

struct DialARideSearch {
    let problem: DialARideProblem
    let vehicleHubs: [Int]
    var scheduler: RideScheduling
    var rng: SplitMix64
    /// Vehicles not to use (when minimising vehicles).
    var closed: Set<Int> = []
    /// For each request, the others most related first.
    let neighbours: [[Int]]
    let penalty: Double
    /// Buffers reused by every insertion (no allocation in the inner loop).
    private var candidates: [Insertion] = []
    private var early: [Double] = [], late: [Double] = []
    private var seatLoad: [Int] = [], spaceLoad: [Int] = []

    /// Request r's pick-up before call i and drop-off before call j of a vehicle's calls (j ≥ i), at `cost` metres more.
    struct Insertion {
        var cost: Double
        var vehicle: Int, i: Int, j: Int
    }

    init(_ problem: DialARideProblem, seed: UInt64) {
        self.problem = problem
        vehicleHubs = problem.vehicleHubs
        scheduler = RideScheduling(problem)
        rng = SplitMix64(seed: seed)
        let R = problem.requests.count
        // Related requests (Shaw 1998): near at both ends and near in time (the pick-ups' windows'
        // middles apart, as metres driven in that time), so a ruin frees a stretch of the day.
        let metresPerSecond = problem.rules.speedKmh / 3.6
        func middle(_ r: Int) -> Double { (problem.earliest[2 * r] + problem.latest[2 * r]) / 2 }
        func closeness(_ a: Int, _ b: Int) -> Double {
            problem.distance(problem.point(node: 2 * a), problem.point(node: 2 * b))
                + problem.distance(problem.point(node: 2 * a + 1), problem.point(node: 2 * b + 1))
                + metresPerSecond * abs(middle(a) - middle(b))
        }
        neighbours = (0..<R).map { a in (0..<R).filter { $0 != a }.sorted { (closeness(a, $0), $0) < (closeness(a, $1), $1) } }
        // Serving one more request is always worth more than any distance saved.
        penalty = 4 * (problem.distances.lazy.filter(\.isFinite).max() ?? 1) + 1
    }

    func fitsAlone(_ r: Int) -> Bool {
        var copy = scheduler
        return vehicleHubs.indices.contains { copy.feasible(hub: vehicleHubs[$0], calls: [2 * r, 2 * r + 1]) }
    }

    /// Every request inserted, the sooner windows first.
    mutating func construct() -> DialARideState {
        let V = vehicleHubs.count
        var state = DialARideState(routes: Array(repeating: [], count: V), lengths: Array(repeating: 0, count: V), unserved: [], length: 0)
        let order = problem.requests.indices.sorted {
            (problem.latest[2 * $0], problem.earliest[2 * $0], $0) < (problem.latest[2 * $1], problem.earliest[2 * $1], $1)
        }
        state.unserved = order
        insertAll(&state, blink: 0)
        return state
    }

    /// Simulated annealing over ruin and recreate; returns the best plan seen.
    mutating func anneal(from start: DialARideState, iterations: Int, deadline: Date?, stopped: inout Bool) -> DialARideState {
        var current = start, best = start
        guard iterations > 0, problem.requests.count > 1 else { return best }
        let legs = Double(2 * problem.requests.count + max(1, current.routes.filter { !$0.isEmpty }.count))
        let first = max(0.5 * max(current.length, 1) / legs, 1e-6), last = first / 100
        var temperature = first
        let cooling = pow(last / first, 1 / Double(iterations))
        for iteration in 0..<iterations {
            if let deadline, iteration % 64 == 0, Date() >= deadline { stopped = true; break }
            var candidate = current
            ruin(&candidate)
            recreate(&candidate)
            let threshold = current.penalised(penalty) - temperature * log(uniform())
            if candidate.penalised(penalty) < threshold { current = candidate }
            if current.isBetter(than: best) { best = current }
            temperature *= cooling
        }
        return best
    }

    /// Removes up to a third of the requests (4 to 30) nearest a random served one.
    mutating func ruin(_ state: inout DialARideState) {
        let R = problem.requests.count
        var served = [Bool](repeating: true, count: R)
        for r in state.unserved { served[r] = false }
        guard let seed = randomServed(served) else { return }
        let most = max(4, min(30, R / 3))
        let count = 1 + Int(rng.next() % UInt64(most))
        var remove: Set<Int> = [seed]
        for r in neighbours[seed] where remove.count < count && served[r] {
            // Skip now and then, so the same neighbourhood is not always taken whole.
            if uniform() < 0.9 { remove.insert(r) }
        }
        for v in state.routes.indices where state.routes[v].contains(where: { remove.contains($0 / 2) }) {
            state.routes[v].removeAll { remove.contains($0 / 2) }
            state.length -= state.lengths[v]
            state.lengths[v] = problem.routeLength(hub: vehicleHubs[v], calls: state.routes[v])
            state.length += state.lengths[v]
        }
        state.unserved += remove.sorted()
    }

    mutating func randomServed(_ served: [Bool]) -> Int? {
        let indices = served.indices.filter { served[$0] }
        guard !indices.isEmpty else { return nil }
        return indices[Int(rng.next() % UInt64(indices.count))]
    }

    /// Inserts the unserved requests in a random order (or sooner windows first, or farther from
    /// their hub first), each where it costs least.
    mutating func recreate(_ state: inout DialARideState) {
        var order = state.unserved
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        switch rng.next() % 10 {
        case 0..<5: break
        case 5..<8: order.sort { (problem.latest[2 * $0], $0) < (problem.latest[2 * $1], $1) }
        default: order.sort { (problem.directRide[$0], $0) > (problem.directRide[$1], $1) }
        }
        state.unserved = order
        insertAll(&state, blink: 0.01)
    }

    mutating func insertAll(_ state: inout DialARideState, blink: Double) {
        var left: [Int] = []
        for r in state.unserved {
            if let (v, calls, added) = cheapestInsertion(r, into: state, blink: blink) {
                state.routes[v] = calls
                state.lengths[v] += added
                state.length += added
            } else {
                left.append(r)
            }
        }
        state.unserved = left
    }

    /// The cheapest feasible place for request r: every pick-up and drop-off position in every
    /// open vehicle, screened by seats, windows (earliest and latest times without the ride
    /// limits) and the ride's driving time; then checked exactly from the cheapest up.
    mutating func cheapestInsertion(_ r: Int, into state: DialARideState, blink: Double) -> (Int, [Int], Double)? {
        let p = problem
        let pick = 2 * r, drop = 2 * r + 1
        let pp = p.point(node: pick), dp = p.point(node: drop)
        let seats = p.seatsDelta[pick], spaces = p.spacesDelta[pick]
        let sPick = p.service[pick], sDrop = p.service[drop]
        candidates.removeAll(keepingCapacity: true)
        var triedEmptyHub = Set<Int>()
        for v in state.routes.indices where !closed.contains(v) {
            let hub = vehicleHubs[v], calls = state.routes[v], k = calls.count
            if k == 0 {
                // Empty vehicles of one hub are all alike: try one.
                guard triedEmptyHub.insert(hub).inserted else { continue }
                candidates.append(Insertion(cost: p.distance(hub, pp) + p.distance(pp, dp) + p.distance(dp, hub), vehicle: v, i: 0, j: 0))
                continue
            }
            // Earliest times from the start of the shift, latest back from its end (windows only).
            early.removeAll(keepingCapacity: true); late.removeAll(keepingCapacity: true)
            seatLoad.removeAll(keepingCapacity: true); spaceLoad.removeAll(keepingCapacity: true)
            early.append(contentsOf: repeatElement(0, count: k)); late.append(contentsOf: repeatElement(0, count: k))
            seatLoad.append(contentsOf: repeatElement(0, count: k)); spaceLoad.append(contentsOf: repeatElement(0, count: k))
            var time = p.rules.shiftStart, previous = hub, sl = 0, wl = 0
            for (m, n) in calls.enumerated() {
                time = max(p.earliest[n], time + (m == 0 ? 0 : p.service[calls[m - 1]]) + p.time(previous, p.point(node: n)))
                early[m] = time
                previous = p.point(node: n)
                sl += p.seatsDelta[n]; wl += p.spacesDelta[n]
                seatLoad[m] = sl; spaceLoad[m] = wl
            }
            var next = p.rules.shiftEnd, nextPoint = hub
            for m in stride(from: k - 1, through: 0, by: -1) {
                let n = calls[m]
                next = min(p.latest[n], next - p.service[n] - p.time(p.point(node: n), nextPoint))
                late[m] = next
                nextPoint = p.point(node: n)
            }
            func pointAt(_ m: Int) -> Int { m < 0 || m >= k ? hub : p.point(node: calls[m]) }
            func leave(_ m: Int) -> Double { m < 0 ? p.rules.shiftStart : early[m] + p.service[calls[m]] }
            func latestAt(_ m: Int) -> Double { m >= k ? p.rules.shiftEnd : late[m] }
            for i in 0...k {
                // Earliest times only grow along a route: once the vehicle cannot leave the call
                // before i in time for the pick-up, no later position can.
                if leave(i - 1) > p.latest[pick] { break }
                if i > 0, seatLoad[i - 1] + seats > p.rules.seats || spaceLoad[i - 1] + spaces > p.rules.wheelchairSpaces { continue }
                let before = pointAt(i - 1)
                let atPick = max(p.earliest[pick], leave(i - 1) + p.time(before, pp))
                guard atPick <= p.latest[pick] else { continue }
                // Drop-off right after the pick-up.
                let atDrop = max(p.earliest[drop], atPick + sPick + p.time(pp, dp))
                if atDrop <= p.latest[drop], atDrop + sDrop + p.time(dp, pointAt(i)) <= latestAt(i) {
                    candidates.append(Insertion(cost: p.distance(before, pp) + p.distance(pp, dp) + p.distance(dp, pointAt(i)) - p.distance(before, pointAt(i)),
                                                vehicle: v, i: i, j: i))
                }
                // Drop-off later: calls i..<j ride along with the request.
                let pickCost = p.distance(before, pp) + p.distance(pp, pointAt(i)) - p.distance(before, pointAt(i))
                var at = atPick, from = pp, ride = 0.0, dwell = sPick
                for j in (i + 1)...max(i + 1, k) where j <= k {
                    let m = j - 1, n = calls[m]
                    if seatLoad[m] + seats > p.rules.seats || spaceLoad[m] + spaces > p.rules.wheelchairSpaces { break }
                    let leg = p.time(from, p.point(node: n))
                    at = max(p.earliest[n], at + dwell + leg)
                    ride += leg + dwell
                    dwell = p.service[n]
                    if at > late[m] || ride > p.maxRide[r] { break }
                    from = p.point(node: n)
                    let toDrop = p.time(from, dp)
                    let dropAt = max(p.earliest[drop], at + dwell + toDrop)
                    guard dropAt <= p.latest[drop], ride + toDrop <= p.maxRide[r],
                          dropAt + sDrop + p.time(dp, pointAt(j)) <= latestAt(j) else { continue }
                    let dropCost = p.distance(from, dp) + p.distance(dp, pointAt(j)) - p.distance(from, pointAt(j))
                    candidates.append(Insertion(cost: pickCost + dropCost, vehicle: v, i: i, j: j))
                }
            }
        }
        // Cheapest first; the cheapest is usually feasible, so pick minima before sorting all.
        func before(_ a: Insertion, _ b: Insertion) -> Bool {
            (a.cost, a.vehicle, a.i, a.j) < (b.cost, b.vehicle, b.i, b.j)
        }
        var order: [Insertion] = []
        var tried = 0
        while !candidates.isEmpty || !order.isEmpty {
            let c: Insertion
            if tried < 4, !candidates.isEmpty {
                var best = 0
                for k in candidates.indices.dropFirst() where before(candidates[k], candidates[best]) { best = k }
                c = candidates.remove(at: best)
            } else {
                if !candidates.isEmpty {
                    order = candidates.sorted(by: before).reversed()
                    candidates.removeAll()
                }
                guard let next = order.popLast() else { break }
                c = next
            }
            tried += 1
            if blink > 0, uniform() < blink { continue }
            var calls = state.routes[c.vehicle]
            calls.insert(drop, at: c.j)
            calls.insert(pick, at: c.i)
            if scheduler.feasible(hub: vehicleHubs[c.vehicle], calls: calls) {
                let added = p.routeLength(hub: vehicleHubs[c.vehicle], calls: calls) - state.lengths[c.vehicle]
                return (c.vehicle, calls, added)
            }
        }
        return nil
    }

    mutating func uniform() -> Double { VehicleRouting.uniform(&rng) }
}
