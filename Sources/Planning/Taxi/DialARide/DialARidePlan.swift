/// Routes found for a `DialARideProblem`, each call with its time.
public struct DialARidePlan: Sendable {
    public struct Call: Sendable {
        /// Node: 2r is request r's pick-up, 2r + 1 its drop-off.
        public var node: Int
        public var request: Int { node / 2 }
        public var isPickup: Bool { node % 2 == 0 }
        /// When service begins (seconds since midnight); the vehicle leaves a dwell later.
        public var time: Double
        /// Riders on board (seats and wheelchairs) after the call.
        public var load: Int
    }

    public struct Route: Sendable {
        public var vehicle: Int
        public var hub: Int
        public var calls: [Call]
        /// Leaves the hub, comes back (seconds since midnight).
        public var start: Double
        public var end: Double
        /// Metres driven.
        public var length: Double
        /// Runs: stretches between two moments with nobody on board.
        public var runs: Int
    }

    public struct Unserved: Sendable {
        public var request: Int
        public var reason: String
    }

    public var routes: [Route]
    public var unserved: [Unserved]
    public var method: String
    /// Seconds spent searching, and whether the time limit ended the search.
    public var seconds: Double
    public var stoppedByTimeLimit: Bool
    public var length: Double { routes.reduce(0) { $0 + $1.length } }
}

extension DialARideProblem {
    /// The plan for routes given as call sequences per vehicle, scheduled with the shortest rides.
    /// Returns nil when a route breaks a rule or a request is served twice or neither served nor unserved.
    func plan(_ sequences: [(vehicle: Int, calls: [Int])], unserved: [DialARidePlan.Unserved], method: String, seconds: Double,
              stoppedByTimeLimit: Bool) -> DialARidePlan? {
        var scheduler = RideScheduling(self)
        let vehicles = vehicleHubs
        var seen = Set(unserved.map(\.request))
        var routes: [DialARidePlan.Route] = []
        for (v, calls) in sequences where !calls.isEmpty {
            let hub = vehicles[v]
            var picked = Set<Int>()
            for n in calls {
                if n % 2 == 0 { guard picked.insert(n / 2).inserted, seen.insert(n / 2).inserted else { return nil } }
                else { guard picked.remove(n / 2) != nil else { return nil } }
            }
            guard picked.isEmpty, let latest = scheduler.latestTimes(hub: hub, calls: calls) else { return nil }
            let times = rideTimes(hub: hub, calls: calls, latest: latest)
            var load = 0, runs = 0, length = 0.0, previous = hub
            var out: [DialARidePlan.Call] = []
            for (g, n) in calls.enumerated() {
                if load == 0 { runs += 1 }
                load += seatsDelta[n] + spacesDelta[n]
                length += distance(previous, point(node: n))
                previous = point(node: n)
                out.append(DialARidePlan.Call(node: n, time: times[g + 1], load: load))
            }
            length += distance(previous, hub)
            routes.append(DialARidePlan.Route(vehicle: v, hub: hub, calls: out, start: times[0], end: times[calls.count + 1],
                                              length: length, runs: runs))
        }
        guard seen.count == requests.count else { return nil }
        return DialARidePlan(routes: routes, unserved: unserved.sorted { $0.request < $1.request }, method: method, seconds: seconds,
                             stoppedByTimeLimit: stoppedByTimeLimit)
    }
}
