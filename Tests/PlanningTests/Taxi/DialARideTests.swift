import Foundation
import Testing
import GeoCore
@testable import Planning

/// Checks a plan with nothing of the solver's: the rules as a planner states them (windows at
/// the end the trip names, seats, each rider's ride, the route's duration inside the shift, the
/// drive between calls at the stated speed), recomputed from the requests. Returns the length.
func checkDialARide(_ plan: DialARidePlan, hubs: [RoutingProblem.Hub], requests: [TripRequest], rules: DialARideRules,
                    distances: [Double]) -> Result<Double, CheckFailure> {
    let size = hubs.count + 2 * requests.count
    func point(_ r: Int, pickup: Bool) -> Int { hubs.count + 2 * r + (pickup ? 0 : 1) }
    func drive(_ a: Int, _ b: Int) -> Double { distances[a * size + b] / (rules.speedKmh / 3.6) }
    let slack = 1e-6
    func dwell(_ q: TripRequest, pickup: Bool) -> Double { statedDwell(q, pickup: pickup, rules: rules) }
    var served = Set<Int>(), total = 0.0
    let vehicles = hubs.indices.flatMap { h in Array(repeating: h, count: hubs[h].vehicles) }
    var usedVehicles = Set<Int>()
    for route in plan.routes {
        guard usedVehicles.insert(route.vehicle).inserted, vehicles[route.vehicle] == route.hub else { return .failure("vehicle \(route.vehicle) twice or at the wrong hub") }
        var pickedAt: [Int: Double] = [:]
        var seats = 0, spaces = 0, previous = route.hub, leave = route.start, length = 0.0
        guard route.start >= rules.shiftStart - slack else { return .failure("leaves before the shift") }
        for call in route.calls {
            let r = call.request, q = requests[r]
            let here = point(r, pickup: call.isPickup)
            guard call.time >= leave + drive(previous, here) - slack else { return .failure("call \(call.node) too early to be reached") }
            let window = (q.windowAt == .pickup) == call.isPickup
            if window {
                if let e = q.earliest, call.time < e - slack { return .failure("trip \(q.id) before its window") }
                if let l = q.latest, call.time > l + slack { return .failure("trip \(q.id) after its window") }
            }
            if call.isPickup {
                guard pickedAt[r] == nil, served.insert(r).inserted else { return .failure("trip \(q.id) picked up twice") }
                pickedAt[r] = call.time
                seats += q.riders - q.wheelchairs; spaces += q.wheelchairs
            } else {
                guard let picked = pickedAt.removeValue(forKey: r) else { return .failure("trip \(q.id) dropped before pick-up or elsewhere") }
                let direct = drive(point(r, pickup: true), point(r, pickup: false))
                let limit = min(rules.maxRideMinutes * 60, rules.maxRideFactor.map { $0 * direct } ?? .infinity)
                guard call.time - (picked + dwell(q, pickup: true)) <= limit + slack else { return .failure("trip \(q.id) rides too long") }
                seats -= q.riders - q.wheelchairs; spaces -= q.wheelchairs
            }
            guard seats <= rules.seats, spaces <= rules.wheelchairSpaces else { return .failure("over the seats after trip \(q.id)") }
            length += distances[previous * size + here]
            previous = here
            leave = call.time + dwell(q, pickup: call.isPickup)
        }
        guard pickedAt.isEmpty else { return .failure("riders left on board") }
        length += distances[previous * size + route.hub]
        guard route.end >= leave + drive(previous, route.hub) - slack, route.end <= rules.shiftEnd + slack,
              route.end - route.start <= rules.maxDurationMinutes * 60 + slack else { return .failure("route \(route.vehicle) ends late or lasts too long") }
        guard abs(length - route.length) <= 1e-6 * max(1, length) else { return .failure("length misreported") }
        total += length
    }
    guard served.union(plan.unserved.map(\.request)).count == requests.count,
          served.isDisjoint(with: plan.unserved.map(\.request)) else { return .failure("requests lost or served twice") }
    return .success(total)
}

/// Seconds at one end of a trip as the planner states them: the trip's own, else the rules'.
func statedDwell(_ q: TripRequest, pickup: Bool, rules: DialARideRules) -> Double {
    (pickup ? q.pickupDwell : q.dropoffDwell) ?? rules.dwellSeconds
}

struct CheckFailure: Error, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    var description: String
    init(stringLiteral value: String) { description = value }
    init(stringInterpolation: DefaultStringInterpolation) { description = String(stringInterpolation: stringInterpolation) }
}

/// A random instance after Cordeau (2006): points in a 20 km square around the hub, one rider
/// each, the first half outbound with a 15-minute window on the drop-off (an appointment), the
/// second half inbound with one on the pick-up, 3 seats, 30-minute rides, 60 km/h, 3-minute dwell;
/// with `longDwells`, every third trip takes 7 minutes to board and 5 to alight (a wheelchair).
struct RandomDARP {
    var hubs: [RoutingProblem.Hub]
    var requests: [TripRequest]
    var rules: DialARideRules
    var distances: [Double]
    var problem: DialARideProblem { get throws { try DialARideProblem(hubs: hubs, requests: requests, rules: rules, distances: distances) } }
    /// Seconds at a call (node 2r: trip r's pick-up, 2r + 1: its drop-off), from the trip as given.
    func dwell(_ node: Int) -> Double { statedDwell(requests[node / 2], pickup: node % 2 == 0, rules: rules) }

    init(requests n: Int, vehicles: Int, seed: UInt64, hours: Double = 4, longDwells: Bool = false) throws {
        var rng = SplitMix64(seed: seed)
        func coordinate() -> Double { Double(rng.below(20_000)) - 10_000 }
        hubs = [RoutingProblem.Hub(name: "hub", position: Coordinate(0, 0), vehicles: vehicles)]
        var rules = DialARideRules()
        rules.seats = 3
        rules.speedKmh = 60
        rules.maxRideMinutes = 30
        rules.dwellSeconds = 180
        rules.shiftStart = 8 * 3600
        rules.shiftEnd = rules.shiftStart + hours * 3600 + 3600
        rules.maxDurationMinutes = (hours + 1) * 60
        self.rules = rules
        requests = (0..<n).map { r in
            let from = Coordinate(coordinate(), coordinate()), to = Coordinate(coordinate(), coordinate())
            let direct = planarDistance(from, to) / 1000 * 60
            let outbound = r < n / 2
            // Windows placed so that each trip alone is feasible (leave the hub at the shift's start).
            let long = longDwells && r % 3 == 0
            let reach = planarDistance(Coordinate(0, 0), from) / 1000 * 60 + 180
            let open = rules.shiftStart + Double(rng.below(Int(hours * 2700))) + (outbound ? reach + direct + (long ? 420 : 180) : reach)
            return TripRequest(id: "t\(r)", from: from, to: to, riders: 1, earliest: open, latest: open + 900,
                               windowAt: outbound ? .dropoff : .pickup, pickupDwell: long ? 420 : nil, dropoffDwell: long ? 300 : nil)
        }
        let points = hubs.map(\.position) + requests.flatMap { [$0.from, $0.to] }
        distances = try Driving.straight(detour: 1).table(points)
    }
}

/// Whether a call sequence can be scheduled, decided by CBC as a linear program written from the
/// requests (not from the problem's derived windows).
func scheduleExists(hub: Int, calls: [Int], _ d: RandomDARP) -> Bool {
    let size = d.hubs.count + 2 * d.requests.count
    let pace = 3.6 / d.rules.speedKmh
    var lp = MILP()
    let x = (0..<(calls.count + 2)).map { _ in lp.variable(cost: 0, lower: d.rules.shiftStart, upper: d.rules.shiftEnd, integer: false) }
    var points = [hub] + calls.map { d.hubs.count + $0 } + [hub]
    for g in 1..<points.count {
        lp.constraint([(x[g], 1), (x[g - 1], -1)], .greaterOrEqual, (g == 1 ? 0 : d.dwell(calls[g - 2])) + d.distances[points[g - 1] * size + points[g]] * pace)
    }
    for (g, n) in calls.enumerated() {
        let q = d.requests[n / 2]
        if (q.windowAt == .pickup) == (n % 2 == 0) {
            if let e = q.earliest { lp.constraint([(x[g + 1], 1)], .greaterOrEqual, e) }
            if let l = q.latest { lp.constraint([(x[g + 1], 1)], .lessOrEqual, l) }
        }
        if n % 2 == 1, let pg = calls.firstIndex(of: n - 1) {
            lp.constraint([(x[g + 1], 1), (x[pg + 1], -1)], .lessOrEqual, d.dwell(n - 1) + d.rules.maxRideMinutes * 60)
        }
    }
    lp.constraint([(x[calls.count + 1], 1), (x[0], -1)], .lessOrEqual, d.rules.maxDurationMinutes * 60)
    points.removeAll()
    return (try? CBC.solve(lp, timeLimit: 10)) != nil
}

/// A necessary condition, cheaper than the program: driving from call to call as early as the
/// windows allow, no window is missed.
func windowsReachable(_ calls: [Int], _ d: RandomDARP) -> Bool {
    let size = d.hubs.count + 2 * d.requests.count, pace = 3.6 / d.rules.speedKmh
    var time = d.rules.shiftStart, previous = 0, dwell = 0.0
    for n in calls {
        let q = d.requests[n / 2], here = d.hubs.count + n
        time += dwell + d.distances[previous * size + here] * pace
        dwell = d.dwell(n)
        if (q.windowAt == .pickup) == (n % 2 == 0) {
            time = max(time, q.earliest ?? time)
            if time > q.latest ?? .infinity { return false }
        }
        previous = here
    }
    return true
}

/// The least total distance by enumeration: every split of the requests among the vehicles of
/// the one hub, every order of each vehicle's calls (pick-up first, within the seats), the
/// shortest order that CBC can schedule. nil when no plan serves every request.
func bruteForceDARP(_ d: RandomDARP) -> Double? {
    let n = d.requests.count, size = d.hubs.count + 2 * n
    func dist(_ a: Int, _ b: Int) -> Double { d.distances[a * size + b] }
    var bestOfSubset: [Int: Double] = [0: 0]
    func best(_ mask: Int) -> Double {
        if let known = bestOfSubset[mask] { return known }
        var orders: [(Double, [Int])] = []
        var calls: [Int] = []
        func extend(onBoard: Set<Int>, load: Int) {
            if calls.count == 2 * mask.nonzeroBitCount {
                var length = 0.0, previous = 0
                for c in calls { length += dist(previous, d.hubs.count + c); previous = d.hubs.count + c }
                orders.append((length + dist(previous, 0), calls))
                return
            }
            for r in 0..<n where mask & (1 << r) != 0 {
                if onBoard.contains(r) {
                    calls.append(2 * r + 1); extend(onBoard: onBoard.subtracting([r]), load: load - 1); calls.removeLast()
                } else if !calls.contains(2 * r), load < d.rules.seats {
                    calls.append(2 * r); extend(onBoard: onBoard.union([r]), load: load + 1); calls.removeLast()
                }
            }
        }
        extend(onBoard: [], load: 0)
        orders.sort { $0.0 < $1.0 }
        let found = orders.first { windowsReachable($0.1, d) && scheduleExists(hub: 0, calls: $0.1, d) }?.0 ?? .infinity
        bestOfSubset[mask] = found
        return found
    }
    // Vehicles are alike: split the requests into at most `vehicles` groups.
    func split(_ mask: Int, _ vehiclesLeft: Int) -> Double {
        if mask == 0 { return 0 }
        guard vehiclesLeft > 0 else { return .infinity }
        let lowest = mask & -mask
        var result = Double.infinity
        var sub = mask
        while sub > 0 {
            if sub & lowest != 0 { result = min(result, best(sub) + split(mask & ~sub, vehiclesLeft - 1)) }
            sub = (sub - 1) & mask
        }
        return result
    }
    let optimum = split((1 << n) - 1, d.hubs[0].vehicles)
    return optimum.isFinite ? optimum : nil
}

@Suite struct DialARideTests {
    @Test(arguments: [(3, 1, UInt64(1), false), (4, 1, 2, false), (4, 2, 3, false), (4, 2, 4, false), (5, 2, 5, false), (5, 2, 6, false),
                      (4, 1, 7, true), (5, 2, 8, true)])
    func tinyInstancesReachTheEnumeratedOptimum(_ n: Int, _ vehicles: Int, _ seed: UInt64, _ longDwells: Bool) throws {
        let d = try RandomDARP(requests: n, vehicles: vehicles, seed: seed, hours: 1.5, longDwells: longDwells)
        let plan = DialARideSolver.solve(try d.problem)
        let length = try checkDialARide(plan, hubs: d.hubs, requests: d.requests, rules: d.rules, distances: d.distances).get()
        if let optimum = bruteForceDARP(d) {
            #expect(plan.unserved.isEmpty)
            #expect(abs(length - optimum) <= 1e-6 * optimum, "heuristic \(length) m, optimum \(optimum) m")
        } else {
            #expect(!plan.unserved.isEmpty, "enumeration serves no plan with every request, the solver did")
        }
    }

    @Test(arguments: [false, true])
    func exactScheduleCheckAgreesWithLinearProgramming(_ longDwells: Bool) throws {
        let d = try RandomDARP(requests: 8, vehicles: 1, seed: 11, hours: 2, longDwells: longDwells)
        let problem = try d.problem
        var scheduler = RideScheduling(problem)
        var rng = SplitMix64(seed: 3)
        var feasible = 0
        for _ in 0..<400 {
            // A random subset in a random order with each pick-up before its drop-off.
            let chosen = (0..<8).filter { _ in rng.below(3) == 0 }
            var calls: [Int] = []
            var pending = chosen.map { 2 * $0 }
            while !pending.isEmpty {
                let k = rng.below(pending.count)
                let n = pending.remove(at: k)
                calls.append(n)
                if n % 2 == 0 { pending.append(n + 1) }
            }
            let ours = scheduler.feasible(hub: 0, calls: calls)
            #expect(ours == scheduleExists(hub: 0, calls: calls, d), "calls \(calls)")
            if ours { feasible += 1 }
        }
        #expect(feasible > 20, "too few feasible routes to test the check: \(feasible)")
    }

    @Test(arguments: [(24, 3, UInt64(1), false), (32, 4, 2, false), (48, 5, 3, false), (32, 4, 4, true)])
    func cordeauLikeInstancesAreServedByFeasibleRoutes(_ n: Int, _ vehicles: Int, _ seed: UInt64, _ longDwells: Bool) throws {
        let d = try RandomDARP(requests: n, vehicles: vehicles, seed: seed, longDwells: longDwells)
        var options = DialARideOptions()
        options.iterations = 2_000
        let plan = DialARideSolver.solve(try d.problem, options: options)
        _ = try checkDialARide(plan, hubs: d.hubs, requests: d.requests, rules: d.rules, distances: d.distances).get()
        #expect(plan.unserved.count <= n / 10, "\(plan.unserved.count) of \(n) unserved")
    }

    @Test func sameSeedSamePlan() throws {
        let d = try RandomDARP(requests: 20, vehicles: 3, seed: 9)
        var options = DialARideOptions()
        options.iterations = 500
        let a = DialARideSolver.solve(try d.problem, options: options), b = DialARideSolver.solve(try d.problem, options: options)
        #expect(a.routes.map { $0.calls.map(\.node) } == b.routes.map { $0.calls.map(\.node) })
        #expect(a.routes.map { $0.calls.map(\.time) } == b.routes.map { $0.calls.map(\.time) })
    }

    @Test func tooFewVehiclesLeaveRequestsUnservedWithAReason() throws {
        var d = try RandomDARP(requests: 20, vehicles: 1, seed: 4, hours: 1)
        d.rules.maxDurationMinutes = 60
        let plan = DialARideSolver.solve(try d.problem)
        _ = try checkDialARide(plan, hubs: d.hubs, requests: d.requests, rules: d.rules, distances: d.distances).get()
        #expect(!plan.unserved.isEmpty)
        #expect(plan.unserved.allSatisfy { $0.reason.contains("room") || $0.reason.contains("alone") })
    }

    @Test func fewestVehiclesUsesNoMoreVehicles() throws {
        let d = try RandomDARP(requests: 16, vehicles: 6, seed: 8)
        var options = DialARideOptions()
        options.iterations = 1_000
        let plain = DialARideSolver.solve(try d.problem, options: options)
        options.fewestVehicles = true
        let fewest = DialARideSolver.solve(try d.problem, options: options)
        _ = try checkDialARide(fewest, hubs: d.hubs, requests: d.requests, rules: d.rules, distances: d.distances).get()
        #expect(fewest.unserved.isEmpty)
        #expect(fewest.routes.count <= plain.routes.count)
    }

    @Test func ridesWithinTheFactorOfTheDirectRide() throws {
        var d = try RandomDARP(requests: 16, vehicles: 4, seed: 12)
        d.rules.maxRideFactor = 1.5
        d.rules.maxRideMinutes = 60
        let plan = DialARideSolver.solve(try d.problem)
        _ = try checkDialARide(plan, hubs: d.hubs, requests: d.requests, rules: d.rules, distances: d.distances).get()
    }

    @Test func wheelchairsTakeSpacesNotSeats() throws {
        var d = try RandomDARP(requests: 12, vehicles: 3, seed: 13)
        d.rules.wheelchairSpaces = 1
        for r in stride(from: 0, to: 12, by: 3) { d.requests[r].riders = 2; d.requests[r].wheelchairs = 1 }
        let plan = DialARideSolver.solve(try d.problem)
        _ = try checkDialARide(plan, hubs: d.hubs, requests: d.requests, rules: d.rules, distances: d.distances).get()
        d.rules.wheelchairSpaces = 0
        #expect(throws: DataError.self) { try d.problem }
    }

    @Test func badTripsNameTheTrip() throws {
        let base = try RandomDARP(requests: 4, vehicles: 2, seed: 21)
        func message(_ change: (inout RandomDARP) -> Void) -> String {
            var d = base
            change(&d)
            do { _ = try d.problem; return "" } catch { return "\(error)" }
        }
        #expect(message { $0.requests[1].latest = $0.requests[1].earliest! - 60 }.contains("trip t1: the window closes"))
        #expect(message { $0.requests[2].riders = 4 }.contains("trip t2: 4 seated rider(s)"))
        #expect(message { $0.rules.maxRideMinutes = 1 }.contains("longer than the 1-minute limit"))
        // An appointment at the shift's start cannot be met: the vehicle must first drive there.
        #expect(message { $0.requests[0].earliest = $0.rules.shiftStart; $0.requests[0].latest = $0.rules.shiftStart + 60 }
            .contains("trip t0: its drop-off window"))
    }
}
