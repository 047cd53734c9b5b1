import Foundation

/// When a route's vehicle is where, for a run that reaches the hub at a set time: worked back
/// from the arrival, legs at the problem's speed and a dwell at each stop.
public struct RouteSchedule: Sendable {
    public struct Call: Sendable {
        /// The stop (index), or nil for the hub at the start and at the end.
        public var stop: Int?
        /// Seconds since midnight.
        public var arrive: Double
        public var depart: Double
        /// Metres from the previous call, and from the hub's departure.
        public var leg: Double
        public var cumulative: Double
        public var boarding: Int
        /// Riders on board when the vehicle leaves.
        public var onBoard: Int
    }

    public var calls: [Call]

    public init(_ route: RoutingPlan.Route, problem p: RoutingProblem, arriveBy arrival: Double) {
        let h = route.hub
        let points = route.stops.map(p.stopPoint)
        // Backwards from the hub: each stop is left a leg's drive before the next call, reached a dwell earlier.
        var arrive = [Double](repeating: 0, count: points.count), depart = arrive
        var next = arrival, nextPoint = h
        for k in points.indices.reversed() {
            depart[k] = next - p.distance(points[k], nextPoint) / p.speed
            arrive[k] = depart[k] - p.dwell
            next = arrive[k]
            nextPoint = points[k]
        }
        let first = points.first.map { p.distance(h, $0) } ?? 0
        let leave = (arrive.first ?? arrival) - first / p.speed
        var calls = [Call(stop: nil, arrive: leave, depart: leave, leg: 0, cumulative: 0, boarding: 0, onBoard: 0)]
        var cumulative = 0.0, onBoard = 0, previous = h
        for (k, point) in points.enumerated() {
            let leg = p.distance(previous, point)
            cumulative += leg
            onBoard += p.stops[route.stops[k]].riders
            calls.append(Call(stop: route.stops[k], arrive: arrive[k], depart: depart[k], leg: leg, cumulative: cumulative,
                              boarding: p.stops[route.stops[k]].riders, onBoard: onBoard))
            previous = point
        }
        let last = p.distance(previous, h)
        calls.append(Call(stop: nil, arrive: arrival, depart: arrival, leg: last, cumulative: cumulative + last, boarding: 0, onBoard: 0))
        self.calls = calls
    }
}

/// "HH:MM" for seconds since midnight, rounded down to the minute (a timetable never promises
/// a departure later than planned); past midnight wraps.
public func clockTime(_ seconds: Double) -> String {
    let minutes = Int((seconds / 60).rounded(.down))
    let day = ((minutes % 1440) + 1440) % 1440
    return String(format: "%02d:%02d", day / 60, day % 60)
}

/// "HH:MM" or "HH:MM:SS" → seconds since midnight.
public func parseClockTime(_ text: String) -> Double? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 || ($0.count == 1 && parts.count == 2) }),
          let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
    let s = parts.count == 3 ? Int(parts[2]) : 0
    guard let s, (0..<60).contains(s) else { return nil }
    return Double(h * 3600 + m * 60 + s)
}

/// "HH:MM:SS" for seconds since midnight, rounded to the second.
public func clockTimeSeconds(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    let day = ((total % 86_400) + 86_400) % 86_400
    return String(format: "%02d:%02d:%02d", day / 3600, day / 60 % 60, day % 60)
}
