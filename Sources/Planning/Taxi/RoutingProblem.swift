import GeoCore
import GeoIO

/// Community-taxi routing: vehicles based at hubs collect riders at stops and bring them to the
/// hub (the return run is the same stops in reverse). Each route starts and ends at its hub.
///
/// - Seats: the riders of a route's stops fit in one vehicle.
/// - Maximum ride: the rider picked up first is on board longest, from the first stop to the
///   hub: the legs after the first stop at the stated speed, plus a dwell at every stop. The
///   drive from the hub to the first stop is empty and does not count. (Run the other way,
///   the last rider dropped has the same ride.)
/// - Vehicles: each hub runs at most its number of vehicles, one route each.
/// - Objective: the least total distance driven, empty legs included.
public struct RoutingProblem: Sendable {
    public struct Hub: Sendable {
        public var name: String
        public var position: Coordinate
        public var vehicles: Int
        public init(name: String, position: Coordinate, vehicles: Int) { self.name = name; self.position = position; self.vehicles = vehicles }
    }

    public struct Stop: Sendable {
        public var name: String
        public var position: Coordinate
        public var riders: Int
        public init(name: String, position: Coordinate, riders: Int) { self.name = name; self.position = position; self.riders = riders }
    }

    public let hubs: [Hub]
    public let stops: [Stop]
    public let seats: Int
    /// Metres per second.
    public let speed: Double
    /// Seconds.
    public let maxRide: Double
    public let dwell: Double
    /// Metres between every pair of points, hubs first (point h is hub h, point hubs.count + s
    /// is stop s), row-major; +∞ where no road joins them.
    public let distances: [Double]
    let size: Int

    /// Checks the problem and fails, naming the stops, when no plan can serve them: no vehicle,
    /// a stop with more riders than seats, a stop no hub reaches within the maximum ride, more
    /// riders than the whole fleet has seats.
    /// The vehicles' figures make sense: checked here and before a study's work.
    public static func checkVehicles(seats: Int, speedKmh: Double, maxRideMinutes: Double, dwellSeconds: Double) throws {
        guard seats >= 1 else { throw ParameterError("seats", "a vehicle needs at least one seat; got \(seats)") }
        guard speedKmh > 0, speedKmh.isFinite else { throw ParameterError("speedKmh", "the speed must be above 0 km/h; got \(speedKmh)") }
        guard maxRideMinutes > 0, maxRideMinutes.isFinite else {
            throw ParameterError("maxRideMinutes", "the longest ride must be above 0 minutes; got \(maxRideMinutes)")
        }
        guard dwellSeconds >= 0, dwellSeconds.isFinite else { throw ParameterError("dwellSeconds", "the time at a stop cannot be negative; got \(dwellSeconds)") }
    }

    public init(hubs: [Hub], stops: [Stop], seats: Int, speedKmh: Double, maxRideMinutes: Double, dwellSeconds: Double,
                distances: [Double], source: String = "taxi") throws {
        let size = hubs.count + stops.count
        precondition(distances.count == size * size, "one distance per pair of points")
        guard !hubs.isEmpty else { throw DataError(file: source, "no hub: routes start and end at a hub") }
        guard !stops.isEmpty else { throw DataError(file: source, "no stop to serve") }
        if let bad = hubs.first(where: { $0.vehicles < 0 }) {
            throw DataError(file: source, field: "vehicles", "hub \(bad.name) has \(bad.vehicles) vehicles: expected 0 or more")
        }
        let fleet = hubs.reduce(0) { $0 + $1.vehicles }
        guard fleet > 0 else { throw DataError(file: source, field: "vehicles", "zero vehicles: give each hub at least one (--vehicles)") }
        try Self.checkVehicles(seats: seats, speedKmh: speedKmh, maxRideMinutes: maxRideMinutes, dwellSeconds: dwellSeconds)
        self.hubs = hubs
        self.stops = stops
        self.seats = seats
        speed = speedKmh / 3.6
        maxRide = maxRideMinutes * 60
        dwell = dwellSeconds
        self.distances = distances
        self.size = size

        func names(_ list: [Int]) -> String {
            list.prefix(10).map { stops[$0].name }.joined(separator: ", ") + (list.count > 10 ? ", … (\(list.count) in all)" : "")
        }
        let nonPositive = stops.indices.filter { stops[$0].riders < 1 }
        guard nonPositive.isEmpty else {
            throw DataError(file: source, field: "riders", "stops need at least one rider: \(names(nonPositive))")
        }
        let crowded = stops.indices.filter { stops[$0].riders > seats }
        guard crowded.isEmpty else {
            throw DataError(file: source, field: "riders",
                            "more riders than the \(seats) seats of a vehicle at \(crowded.count) stop(s): "
                            + crowded.prefix(10).map { "\(stops[$0].name) (\(stops[$0].riders))" }.joined(separator: ", "))
        }
        let unreachable = stops.indices.filter { s in !hubs.indices.contains { soloRide(stop: s, hub: $0) <= maxRide } }
        guard unreachable.isEmpty else {
            let detail = unreachable.prefix(10).map { s -> String in
                let nearest = hubs.indices.map { distance(hubPoint($0), stopPoint(s)) }.min() ?? .infinity
                return nearest.isFinite ? "\(stops[s].name) (\(Int((nearest / 1000).rounded())) km, \(Int((nearest / speed / 60).rounded())) min)"
                                        : "\(stops[s].name) (no road to any hub)"
            }.joined(separator: ", ")
            throw DataError(file: source, "\(unreachable.count) stop(s) are farther from every hub than a \(formatReal(maxRideMinutes))-minute "
                            + "ride at \(formatReal(speedKmh)) km/h allows: \(detail)")
        }
        let riders = stops.reduce(0) { $0 + $1.riders }
        guard riders <= fleet * seats else {
            throw DataError(file: source, field: "vehicles",
                            "\(riders) riders but \(fleet) vehicle(s) × \(seats) seats = \(fleet * seats): add vehicles or seats")
        }
    }

    func hubPoint(_ h: Int) -> Int { h }
    func stopPoint(_ s: Int) -> Int { hubs.count + s }

    @inline(__always) func distance(_ a: Int, _ b: Int) -> Double { distances[a * size + b] }

    /// The ride of a stop served alone from a hub (seconds).
    func soloRide(stop s: Int, hub h: Int) -> Double {
        guard hubs[h].vehicles > 0 else { return .infinity }
        return distance(stopPoint(s), hubPoint(h)) / speed + dwell
    }

    /// A route's measures: stops as points (`stopPoint`), in either direction.
    func measure(hub h: Int, points: [Int]) -> (length: Double, ride: Double, riders: Int) {
        guard let first = points.first, let last = points.last else { return (0, 0, 0) }
        var length = distance(h, first) + distance(last, h)
        var riders = 0
        for k in points.indices {
            if k > 0 { length += distance(points[k - 1], points[k]) }
            riders += stops[points[k] - hubs.count].riders
        }
        return (length, ride(length: length, hub: h, first: first, last: last, count: points.count), riders)
    }

    /// The longest ride on a route, picked up from its farther end (seconds).
    @inline(__always) func ride(length: Double, hub h: Int, first: Int, last: Int, count: Int) -> Double {
        (length - max(distance(h, first), distance(h, last))) / speed + Double(count) * dwell
    }
}

/// Routes found for a `RoutingProblem`.
public struct RoutingPlan: Sendable {
    public struct Route: Sendable {
        public var hub: Int
        /// Stop indices in pickup order (the first is the farther end from the hub).
        public var stops: [Int]
        public var length: Double
        /// Seconds on board for the first rider.
        public var ride: Double
        public var riders: Int
    }

    public var routes: [Route]
    /// Stops no route could take within the seats, rides and vehicles.
    public var unserved: [Int]
    public var length: Double { routes.reduce(0) { $0 + $1.length } }
    public var method: String
}

extension RoutingProblem {
    /// The plan for routes given as stop sequences per hub: oriented, measured and checked.
    /// Returns nil when a route breaks a rule (seats, ride, vehicles) or a stop is served twice
    /// or not at all (neither routed nor listed as unserved).
    public func plan(_ routes: [(hub: Int, stops: [Int])], unserved: [Int] = [], method: String) -> RoutingPlan? {
        var seen = Set(unserved)
        var used = [Int](repeating: 0, count: hubs.count)
        var out: [RoutingPlan.Route] = []
        for r in routes where !r.stops.isEmpty {
            for s in r.stops { guard seen.insert(s).inserted else { return nil } }
            used[r.hub] += 1
            let points = r.stops.map(stopPoint)
            let m = measure(hub: r.hub, points: points)
            guard m.riders <= seats, m.ride <= maxRide * (1 + 1e-12) else { return nil }
            // Pick up from the end farther from the hub: the shorter ride.
            let forward = distance(r.hub, points.first!) >= distance(r.hub, points.last!)
            out.append(RoutingPlan.Route(hub: r.hub, stops: forward ? r.stops : r.stops.reversed(), length: m.length,
                                         ride: m.ride, riders: m.riders))
        }
        guard seen.count == stops.count, hubs.indices.allSatisfy({ used[$0] <= hubs[$0].vehicles }) else { return nil }
        return RoutingPlan(routes: out, unserved: unserved.sorted(), method: method)
    }
}
