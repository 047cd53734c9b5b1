import GeoCore
import GeoIO

/// A booking: riders carried from one point to another by one vehicle, picked up first, with a
/// time window at one end (an appointment: arrive by; or a pick-up time: leave after).
public struct TripRequest: Sendable, Hashable {
    public enum WindowEnd: String, Sendable, CaseIterable { case pickup, dropoff }

    public var id: String
    /// In the study's plane zone (metres).
    public var from: Coordinate
    public var to: Coordinate
    /// Names of the ends for people (a place, a stop, a district), or "" for coordinates.
    public var fromName: String
    public var toName: String
    public var riders: Int
    /// Of the riders, those who stay in their wheelchair (each takes a wheelchair space, not a seat).
    public var wheelchairs: Int
    /// Seconds since midnight; nil = no window.
    public var earliest: Double?
    public var latest: Double?
    public var windowAt: WindowEnd
    /// Seconds at the pick-up and at the drop-off (boarding a wheelchair, carrying shopping);
    /// nil = the rules' dwell.
    public var pickupDwell: Double?
    public var dropoffDwell: Double?

    public init(id: String, from: Coordinate, to: Coordinate, fromName: String = "", toName: String = "", riders: Int,
                wheelchairs: Int = 0, earliest: Double? = nil, latest: Double? = nil, windowAt: WindowEnd = .pickup,
                pickupDwell: Double? = nil, dropoffDwell: Double? = nil) {
        self.id = id; self.from = from; self.to = to; self.fromName = fromName; self.toName = toName
        self.riders = riders; self.wheelchairs = wheelchairs; self.earliest = earliest; self.latest = latest; self.windowAt = windowAt
        self.pickupDwell = pickupDwell; self.dropoffDwell = dropoffDwell
    }
}

/// What vehicles may do in a dial-a-ride plan.
public struct DialARideRules: Sendable {
    /// Seats for riders (wheelchair users excluded) and wheelchair spaces per vehicle.
    public var seats = 9
    public var wheelchairSpaces = 0
    public var speedKmh = 30.0
    /// Longest time any rider spends on board (minutes), and optionally at most this factor of
    /// the rider's direct ride.
    public var maxRideMinutes = 45.0
    public var maxRideFactor: Double?
    /// Longest route of a vehicle, from leaving its hub to coming back (minutes).
    public var maxDurationMinutes = 480.0
    /// Vehicles leave their hub no earlier and are back no later than these (seconds since midnight).
    public var shiftStart = 8.0 * 3600
    public var shiftEnd = 17.0 * 3600
    /// Time at every pick-up and drop-off (seconds).
    public var dwellSeconds = 60.0

    public init() {}

    /// The figures make sense on their own (checked before any work).
    public func check() throws {
        try RoutingProblem.checkVehicles(seats: max(seats, 1), speedKmh: speedKmh, maxRideMinutes: maxRideMinutes, dwellSeconds: dwellSeconds)
        guard seats >= 0, wheelchairSpaces >= 0, seats + wheelchairSpaces >= 1 else {
            throw ParameterError("seats", "a vehicle needs at least one seat or wheelchair space; got \(seats) seats, \(wheelchairSpaces) spaces")
        }
        if let f = maxRideFactor, !(f >= 1 && f.isFinite) {
            throw ParameterError("maxRideFactor", "the ride factor must be at least 1 (the direct ride); got \(f)")
        }
        guard maxDurationMinutes > 0, maxDurationMinutes.isFinite else {
            throw ParameterError("maxDurationMinutes", "the longest route must be above 0 minutes; got \(maxDurationMinutes)")
        }
        guard shiftEnd > shiftStart else {
            throw ParameterError("shift", "the shift ends (\(clockTime(shiftEnd))) before it starts (\(clockTime(shiftStart)))")
        }
    }
}

/// The dial-a-ride problem (DARP): vehicles based at hubs carry each request from its pick-up to
/// its drop-off, pick-up first, in one vehicle, within the seats, the time windows, each rider's
/// longest ride, and the route's longest duration inside the shift; least total distance.
///
/// Nodes: a request r has pick-up node 2r and drop-off node 2r + 1. Points (for distances):
/// hub h is point h, node n is point hubs.count + n.
public struct DialARideProblem: Sendable {
    public let hubs: [RoutingProblem.Hub]
    public let requests: [TripRequest]
    public let rules: DialARideRules
    /// Metres between points, row-major.
    public let distances: [Double]
    let size: Int
    /// Seconds per metre.
    let pace: Double
    /// Per node: window [earliest, latest] (seconds since midnight), service time (the dwell),
    /// seat and wheelchair load change (+ at pick-up, − at drop-off).
    let earliest: [Double]
    let latest: [Double]
    let service: [Double]
    let seatsDelta: [Int]
    let spacesDelta: [Int]
    /// Per request: the longest ride allowed and the direct ride (seconds).
    let maxRide: [Double]
    let directRide: [Double]

    /// Checks each request and fails with one line naming the trip when it cannot be served by
    /// any vehicle (more riders than seats, a ride longer than the limit, a window that closes
    /// before it opens or that the direct ride cannot meet inside the shift).
    public init(hubs: [RoutingProblem.Hub], requests: [TripRequest], rules: DialARideRules, distances: [Double],
                source: String = "trips") throws {
        try rules.check()
        guard !hubs.isEmpty else { throw DataError(file: source, "no hub: routes start and end at a hub") }
        guard !requests.isEmpty else { throw DataError(file: source, "no trip to serve") }
        guard hubs.contains(where: { $0.vehicles > 0 }) else {
            throw DataError(file: source, field: "vehicles", "zero vehicles: give each hub at least one (--vehicles)")
        }
        let size = hubs.count + 2 * requests.count
        precondition(distances.count == size * size, "one distance per pair of points")
        self.hubs = hubs
        self.requests = requests
        self.rules = rules
        self.distances = distances
        self.size = size
        let pace = 3.6 / rules.speedKmh
        self.pace = pace
        let n = 2 * requests.count
        var service = [Double](repeating: rules.dwellSeconds, count: n)
        var earliest = [Double](repeating: rules.shiftStart, count: n), latest = [Double](repeating: rules.shiftEnd, count: n)
        var seatsDelta = [Int](repeating: 0, count: n), spacesDelta = seatsDelta
        var maxRide = [Double](repeating: 0, count: requests.count), directRide = maxRide
        let limit = rules.maxRideMinutes * 60
        for (r, q) in requests.enumerated() {
            let line = "trip \(q.id)"
            guard q.riders >= 1 else { throw DataError(file: source, field: "riders", "\(line): expected at least 1 rider, found \(q.riders)") }
            guard q.wheelchairs >= 0, q.wheelchairs <= q.riders else {
                throw DataError(file: source, field: "wheelchairs", "\(line): \(q.wheelchairs) wheelchairs among \(q.riders) riders")
            }
            let seated = q.riders - q.wheelchairs
            guard seated <= rules.seats, q.wheelchairs <= rules.wheelchairSpaces else {
                throw DataError(file: source, field: "riders", "\(line): \(seated) seated rider(s) and \(q.wheelchairs) wheelchair(s), "
                                + "but a vehicle has \(rules.seats) seats and \(rules.wheelchairSpaces) wheelchair space(s)")
            }
            for (node, dwell, field) in [(2 * r, q.pickupDwell, "pickup_dwell"), (2 * r + 1, q.dropoffDwell, "dropoff_dwell")] {
                guard let dwell else { continue }
                guard dwell >= 0, dwell.isFinite else { throw DataError(file: source, field: field, "\(line): expected seconds ≥ 0, found \(dwell)") }
                service[node] = dwell
            }
            seatsDelta[2 * r] = seated; seatsDelta[2 * r + 1] = -seated
            spacesDelta[2 * r] = q.wheelchairs; spacesDelta[2 * r + 1] = -q.wheelchairs
            let pickup = hubs.count + 2 * r, dropoff = pickup + 1
            let direct = distances[pickup * size + dropoff] * pace
            guard direct.isFinite else { throw DataError(file: source, "\(line): no road joins its pick-up and drop-off") }
            directRide[r] = direct
            maxRide[r] = rules.maxRideFactor.map { min(limit, $0 * direct) } ?? limit
            guard direct <= maxRide[r] else {
                throw DataError(file: source, "\(line): the direct ride takes \(minutes(direct)) min, longer than the "
                                + "\(minutes(maxRide[r]))-minute limit on a ride (--max-ride\(rules.maxRideFactor == nil ? "" : ", --max-ride-factor"))")
            }
            if let e = q.earliest, let l = q.latest, l < e {
                throw DataError(file: source, field: "latest", "\(line): the window closes (\(clockTime(l))) before it opens (\(clockTime(e)))")
            }
            // The window as given, then the other end's window that it implies (Cordeau 2006).
            let given = q.windowAt == .pickup ? 2 * r : 2 * r + 1
            earliest[given] = max(rules.shiftStart, q.earliest ?? rules.shiftStart)
            latest[given] = min(rules.shiftEnd, q.latest ?? rules.shiftEnd)
            if q.windowAt == .pickup {
                earliest[2 * r + 1] = max(earliest[2 * r + 1], earliest[2 * r] + service[2 * r] + direct)
                latest[2 * r + 1] = min(latest[2 * r + 1], latest[2 * r] + service[2 * r] + maxRide[r])
            } else {
                earliest[2 * r] = max(earliest[2 * r], earliest[2 * r + 1] - service[2 * r] - maxRide[r])
                latest[2 * r] = min(latest[2 * r], latest[2 * r + 1] - service[2 * r] - direct)
            }
            // Reachable inside the shift from some hub with a vehicle: leave at the shift's start, come back by its end.
            let fastest = hubs.indices.filter { hubs[$0].vehicles > 0 }.map { h -> (Double, Double) in
                (distances[h * size + pickup] * pace, distances[dropoff * size + h] * pace)
            }
            let reach = fastest.map(\.0).min() ?? .infinity, home = fastest.map(\.1).min() ?? .infinity
            let arrive = max(earliest[2 * r], rules.shiftStart + reach) + service[2 * r] + direct
            guard earliest[2 * r] <= latest[2 * r], arrive <= latest[2 * r + 1],
                  arrive + service[2 * r + 1] + home <= rules.shiftEnd else {
                let window = q.windowAt == .pickup ? "pick-up" : "drop-off"
                throw DataError(file: source, field: "latest", "\(line): its \(window) window \(clockTime(q.earliest ?? rules.shiftStart))–"
                                + "\(clockTime(q.latest ?? rules.shiftEnd)) cannot be met: the direct ride takes \(minutes(direct)) min, the nearest hub "
                                + "is \(minutes(reach)) min away, and the shift is \(clockTime(rules.shiftStart))–\(clockTime(rules.shiftEnd))")
            }
        }
        self.earliest = earliest
        self.latest = latest
        self.service = service
        self.seatsDelta = seatsDelta
        self.spacesDelta = spacesDelta
        self.maxRide = maxRide
        self.directRide = directRide
    }

    /// Seconds spent at a call (node 2r: request r's pick-up, 2r + 1: its drop-off).
    public func dwell(atNode n: Int) -> Double { service[n] }

    /// The vehicles: one per hub vehicle, in hub order.
    var vehicleHubs: [Int] { hubs.indices.flatMap { h in Array(repeating: h, count: hubs[h].vehicles) } }

    @inline(__always) func point(node n: Int) -> Int { hubs.count + n }
    @inline(__always) func distance(_ a: Int, _ b: Int) -> Double { distances[a * size + b] }
    /// Driving seconds between points.
    @inline(__always) func time(_ a: Int, _ b: Int) -> Double { distances[a * size + b] * pace }
    var maxDuration: Double { rules.maxDurationMinutes * 60 }
}

private func minutes(_ seconds: Double) -> String { formatReal((seconds / 60 * 10).rounded() / 10) }
