import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// What the service costs: the operator's hourly and per-kilometre rates and the fare a rider pays.
public struct ServiceCosts: Sendable {
    /// Yen per vehicle-hour (leaving the hub to coming back), per km driven, per rider.
    public var perHour = 0.0
    public var perKm = 0.0
    public var fare = 0.0
    public init() {}
    public func check() throws {
        for (name, v) in [("costPerHour", perHour), ("costPerKm", perKm), ("fare", fare)] where !(v >= 0 && v.isFinite) {
            throw ParameterError(name, "a cost or fare cannot be negative; got \(v)")
        }
    }
}

/// A dial-a-ride run with what it needs to be written: the problem, the plan, how vehicles drive, the costs.
public struct DialARideReport: Sendable {
    public var problem: DialARideProblem
    public var plan: DialARidePlan
    public var driving: Driving
    public var costs: ServiceCosts
    /// How the requests came about: the file, or the estimate's rule.
    public var requestSource: String

    /// The day's figures for one hub or for all (hub nil).
    public struct Figures: Sendable {
        public var hub: String
        public var vehicles: Int
        public var vehicleHours: Double
        public var km: Double
        public var riders: Int
        public var trips: Int
        public var cost: Double
        public var revenue: Double
        /// 1人当たり公費負担額: (cost − fares) / riders.
        public var publicCostPerRider: Double?
        /// 収支率: fares / cost.
        public var recoveryRatio: Double?
    }

    public func figures(hub: Int?) -> Figures {
        let routes = plan.routes.filter { hub == nil || $0.hub == hub }
        let hours = routes.reduce(0) { $0 + ($1.end - $1.start) } / 3600
        let km = routes.reduce(0) { $0 + $1.length } / 1000
        let trips = routes.flatMap { $0.calls.filter(\.isPickup).map(\.request) }
        let riders = trips.reduce(0) { $0 + problem.requests[$1].riders }
        let cost = hours * costs.perHour + km * costs.perKm, revenue = Double(riders) * costs.fare
        return Figures(hub: hub.map { problem.hubs[$0].name } ?? "all", vehicles: routes.count, vehicleHours: hours, km: km, riders: riders,
                       trips: trips.count, cost: cost, revenue: revenue,
                       publicCostPerRider: riders > 0 ? (cost - revenue) / Double(riders) : nil,
                       recoveryRatio: cost > 0 ? revenue / cost : nil)
    }

    /// Vehicle names: the hub's name and the vehicle's number at that hub.
    public var vehicleNames: [String] {
        let hubs = problem.vehicleHubs
        return plan.routes.map { r in "\(problem.hubs[r.hub].name) \(hubs[..<r.vehicle].filter { $0 == r.hub }.count + 1)" }
    }

    /// A served booking: the route (index into `plan.routes`) and when it is picked up and dropped off.
    public struct Journey: Sendable {
        public var route: Int
        public var pickup: Double
        public var dropoff: Double
    }

    /// The served bookings by request index.
    public var journeys: [Int: Journey] {
        var out: [Int: Journey] = [:]
        for (k, route) in plan.routes.enumerated() {
            for call in route.calls {
                if call.isPickup { out[call.request] = Journey(route: k, pickup: call.time, dropoff: 0) } else { out[call.request]?.dropoff = call.time }
            }
        }
        return out
    }

    /// Seconds on board: from leaving the pick-up to reaching the drop-off.
    func ride(_ j: Journey, request r: Int) -> Double { j.dropoff - j.pickup - problem.service[2 * r] }

    func position(_ node: Int) -> Coordinate { node % 2 == 0 ? problem.requests[node / 2].from : problem.requests[node / 2].to }

    func placeName(_ node: Int) -> String {
        let q = problem.requests[node / 2]
        return node % 2 == 0 ? q.fromName : q.toName
    }

    /// One row per call: vehicle, order, trip, pick-up or drop-off, time, place, load after, ride so far.
    public func schedule(toOutput: Transformer) throws -> Table {
        let names = vehicleNames, journeys = self.journeys
        var rows: [[String]] = []
        for (route, vehicle) in zip(plan.routes, names) {
            let hub = try toOutput.transform([problem.hubs[route.hub].position])[0]
            func row(_ order: Int, _ trip: String, _ event: String, _ time: Double, _ place: String, _ at: Coordinate, _ load: Int, _ ride: String) -> [String] {
                [vehicle, String(order), trip, event, clockTimeSeconds(time), place, formatReal(rounded(at.x, 7)), formatReal(rounded(at.y, 7)),
                 String(load), ride]
            }
            rows.append(row(0, "", "leave hub", route.start, problem.hubs[route.hub].name, hub, 0, ""))
            for (k, call) in route.calls.enumerated() {
                let at = try toOutput.transform([position(call.node)])[0]
                let ride = call.isPickup ? "" : formatReal(rounded(self.ride(journeys[call.request]!, request: call.request) / 60, 1))
                rows.append(row(k + 1, problem.requests[call.request].id, call.isPickup ? "pickup" : "dropoff", call.time, placeName(call.node),
                                at, call.load, ride))
            }
            rows.append(row(route.calls.count + 1, "", "arrive hub", route.end, problem.hubs[route.hub].name, hub, 0, ""))
        }
        return Table(columns: ["vehicle", "order", "trip", "event", "time", "place", "lon", "lat", "load", "ride_min"], rows: rows)
    }

    /// One row per booking: served by which vehicle, when, the ride against the direct ride, the
    /// wait (pick-up after the window opens) or the early arrival (drop-off before the appointment).
    public func riders() -> Table {
        let names = vehicleNames, journeys = self.journeys
        let reasons = Dictionary(uniqueKeysWithValues: plan.unserved.map { ($0.request, $0.reason) })
        let rows = problem.requests.indices.map { r -> [String] in
            let q = problem.requests[r]
            let head = [q.id, q.fromName, q.toName, String(q.riders), String(q.wheelchairs), q.windowAt.rawValue,
                        q.earliest.map(clockTime) ?? "", q.latest.map(clockTime) ?? "", formatReal(rounded(problem.directRide[r] / 60, 1))]
            guard let j = journeys[r] else { return head + ["", "", "", "", "", "", reasons[r] ?? ""] }
            let wait = q.windowAt == .pickup ? q.earliest.map { formatReal(rounded(max(0, j.pickup - $0) / 60, 1)) } ?? "" : ""
            let early = q.windowAt == .dropoff ? q.latest.map { formatReal(rounded(max(0, $0 - j.dropoff) / 60, 1)) } ?? "" : ""
            return head + [names[j.route], clockTimeSeconds(j.pickup), clockTimeSeconds(j.dropoff), formatReal(rounded(ride(j, request: r) / 60, 1)), wait, early, ""]
        }
        return Table(columns: ["trip", "from", "to", "riders", "wheelchairs", "window_at", "earliest", "latest", "direct_min",
                               "vehicle", "pickup", "dropoff", "ride_min", "wait_min", "early_min", "unserved"], rows: rows)
    }

    /// One line per vehicle, through its calls (along the roads when they are known).
    public func routeLayer(crs: CRS, toOutput: Transformer) throws -> Layer {
        let names = vehicleNames
        let rows = try plan.routes.enumerated().map { k, route -> (k: Int, route: DialARidePlan.Route, geometry: Geometry) in
            let hub = problem.hubs[route.hub].position
            let line = driving.path(through: [hub] + route.calls.map { position($0.node) } + [hub])
            return (k, route, try toOutput.transform(.lineString(line)))
        }
        return Layer(name: "trip_routes", crs: crs, rows: rows, geometry: \.geometry, columns: [
            .integer("route") { $0.k + 1 },
            .string("vehicle") { names[$0.k] },
            .string("hub") { problem.hubs[$0.route.hub].name },
            .integer("trips") { $0.route.calls.count / 2 },
            .integer("riders") { r in r.route.calls.filter(\.isPickup).reduce(0) { $0 + problem.requests[$1.request].riders } },
            .integer("runs") { $0.route.runs },
            .real("length_km", digits: 3) { $0.route.length / 1000 },
            .string("leave_hub") { clockTime($0.route.start) },
            .string("back_at_hub") { clockTime($0.route.end) },
        ]).styled(Driving.routeStyle(vehicles: names, width: 0.6, widthField: "riders"))
    }

    public func summaryJSON(settings: [String: Any]) throws -> [UInt8] {
        func json(_ f: Figures) -> [String: Any] {
            ["hub": f.hub, "vehicles": f.vehicles, "vehicle_hours": rounded(f.vehicleHours, 3), "km": rounded(f.km, 3), "trips": f.trips,
             "riders": f.riders, "cost_yen": rounded(f.cost, 0), "fare_revenue_yen": rounded(f.revenue, 0),
             "public_cost_per_rider_yen": f.publicCostPerRider.map { rounded($0, 0) } ?? NSNull(),
             "cost_recovery_ratio": f.recoveryRatio.map { rounded($0, 4) } ?? NSNull()]
        }
        let rules = problem.rules
        // In request order, so the mean's sum is the same every run.
        let rides = journeys.sorted { $0.key < $1.key }.map { ride($0.value, request: $0.key) }
        let object: [String: Any] = [
            "model": "dial-a-ride: each booking picked up and dropped off by one vehicle, time windows, every rider's ride bounded",
            "requests": requestSource,
            "driving": driving.description,
            "rules": ["seats": rules.seats, "wheelchair_spaces": rules.wheelchairSpaces, "speed_kmh": rules.speedKmh,
                      "max_ride_min": rules.maxRideMinutes, "max_ride_factor": rules.maxRideFactor ?? NSNull(),
                      "max_duration_min": rules.maxDurationMinutes, "shift": "\(clockTime(rules.shiftStart))-\(clockTime(rules.shiftEnd))",
                      "dwell_s": rules.dwellSeconds,
                      "vehicles": Dictionary(uniqueKeysWithValues: problem.hubs.map { ($0.name, $0.vehicles) })] as [String: Any],
            "costs": ["per_hour_yen": costs.perHour, "per_km_yen": costs.perKm, "fare_yen": costs.fare] as [String: Any],
            "settings": settings,
            "method": plan.method,
            "trips": problem.requests.count,
            "served": problem.requests.count - plan.unserved.count,
            "unserved": plan.unserved.map { ["trip": problem.requests[$0.request].id, "reason": $0.reason] },
            "length_km": rounded(plan.length / 1000, 3),
            "mean_ride_min": rides.isEmpty ? NSNull() : rounded(rides.reduce(0, +) / Double(rides.count) / 60, 2),
            "longest_ride_min": rides.max().map { rounded($0 / 60, 2) } ?? NSNull(),
            "day": json(figures(hub: nil)),
            "by_hub": problem.hubs.indices.map { json(figures(hub: $0)) },
        ]
        return try jsonBytes(object)
    }
}
