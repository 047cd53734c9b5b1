import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// A routing run with what it needs to be written: the problem, the plan, how vehicles drive,
/// the arrival time at the hubs.
public struct RoutingReport: Sendable {
    public var problem: RoutingProblem
    public var plan: RoutingPlan
    public var driving: Driving
    /// Seconds since midnight at which every run reaches its hub.
    public var arriveBy: Double

    public init(problem: RoutingProblem, plan: RoutingPlan, driving: Driving, arriveBy: Double) {
        self.problem = problem; self.plan = plan; self.driving = driving; self.arriveBy = arriveBy
    }

    public static let palette = ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#999999"]

    public var schedules: [RouteSchedule] { plan.routes.map { RouteSchedule($0, problem: problem, arriveBy: arriveBy) } }

    /// Vehicle names: the hub's name and the route's number at that hub.
    public var vehicles: [String] {
        var count = [Int](repeating: 0, count: problem.hubs.count)
        return plan.routes.map { r in
            count[r.hub] += 1
            return "\(problem.hubs[r.hub].name) \(count[r.hub])"
        }
    }

    func name(_ call: RouteSchedule.Call, hub: Int) -> String { call.stop.map { problem.stops[$0].name } ?? problem.hubs[hub].name }

    func point(_ call: RouteSchedule.Call, hub: Int) -> Coordinate { call.stop.map { problem.stops[$0].position } ?? problem.hubs[hub].position }

    /// One LineString per route: from the hub to the first stop, through the stops, back to the hub.
    public func routeLayer(crs: CRS, toOutput: Transformer) throws -> Layer {
        let fields = [Field("route", .integer), Field("vehicle", .string), Field("hub", .string), Field("stops", .string),
                      Field("stop_count", .integer), Field("riders", .integer), Field("length_m", .real),
                      Field("empty_leg_m", .real), Field("legs_m", .string), Field("ride_min", .real),
                      Field("leave_hub", .string), Field("first_pickup", .string), Field("arrive_hub", .string),
                      Field("stroke", .string), Field("stroke-width", .real)]
        let names = vehicles
        let features = try zip(plan.routes, schedules).enumerated().map { k, pair -> Feature in
            let (route, schedule) = pair
            var line: [Coordinate] = []
            for (a, b) in zip(schedule.calls, schedule.calls.dropFirst()) {
                let piece = driving.path(point(a, hub: route.hub), point(b, hub: route.hub))
                line += line.isEmpty ? piece : Array(piece.dropFirst())
            }
            let legs = schedule.calls.dropFirst().map { formatReal(rounded($0.leg, 1)) }.joined(separator: ";")
            return Feature(geometry: try toOutput.transform(.lineString(line)), values: [
                .integer(k + 1), .string(names[k]), .string(problem.hubs[route.hub].name),
                .string(route.stops.map { problem.stops[$0].name }.joined(separator: " → ")), .integer(route.stops.count),
                .integer(route.riders), .real(rounded(route.length, 1)), .real(rounded(schedule.calls[1].leg, 1)), .string(legs),
                .real(rounded(route.ride / 60, 2)), .string(clockTime(schedule.calls[0].depart)),
                .string(clockTime(schedule.calls[1].arrive)), .string(clockTime(arriveBy)),
                .string(Self.palette[k % Self.palette.count]), .real(3),
            ])
        }
        return Layer(name: "routes", crs: crs, fields: fields, features: features)
    }

    /// One LineString per leg, with its order, distance and times.
    public func legLayer(crs: CRS, toOutput: Transformer) throws -> Layer {
        let fields = [Field("route", .integer), Field("vehicle", .string), Field("leg", .integer), Field("from", .string),
                      Field("to", .string), Field("leg_m", .real), Field("cumulative_m", .real), Field("depart", .string),
                      Field("arrive", .string), Field("on_board", .integer), Field("stroke", .string)]
        let names = vehicles
        var features: [Feature] = []
        for (k, pair) in zip(plan.routes, schedules).enumerated() {
            let (route, schedule) = pair
            for (j, (a, b)) in zip(schedule.calls, schedule.calls.dropFirst()).enumerated() {
                let line = driving.path(point(a, hub: route.hub), point(b, hub: route.hub))
                features.append(Feature(geometry: try toOutput.transform(.lineString(line)), values: [
                    .integer(k + 1), .string(names[k]), .integer(j + 1), .string(name(a, hub: route.hub)), .string(name(b, hub: route.hub)),
                    .real(rounded(b.leg, 1)), .real(rounded(b.cumulative, 1)), .string(clockTime(a.depart)), .string(clockTime(b.arrive)),
                    .integer(a.onBoard), .string(Self.palette[k % Self.palette.count]),
                ]))
            }
        }
        return Layer(name: "route_legs", crs: crs, fields: fields, features: features)
    }

    /// The timetable: every call of every route in order, times to the minute.
    public func timetable() -> Table {
        let names = vehicles
        var rows: [[String]] = []
        for (k, pair) in zip(plan.routes, schedules).enumerated() {
            let (route, schedule) = pair
            for (j, call) in schedule.calls.enumerated() {
                let role = j == 0 ? "leave hub" : (call.stop == nil ? "arrive hub" : "pick up")
                let ride = call.stop.map { _ in formatReal(rounded((arriveBy - call.arrive) / 60, 1)) } ?? ""
                let last = j == schedule.calls.count - 1
                rows.append([String(k + 1), names[k], String(j), role, name(call, hub: route.hub),
                             j == 0 ? "" : clockTime(call.arrive), last ? "" : clockTime(call.depart),
                             call.stop == nil ? "" : String(call.boarding), String(call.onBoard),
                             formatReal(rounded(call.leg, 1)), formatReal(rounded(call.cumulative, 1)), ride])
            }
        }
        for s in plan.unserved {
            rows.append(["", "", "", "unserved", problem.stops[s].name, "", "", String(problem.stops[s].riders), "", "", "", ""])
        }
        return Table(columns: ["route", "vehicle", "call", "what", "place", "arrive", "depart", "boarding", "on_board",
                               "leg_m", "cumulative_m", "ride_to_hub_min"], rows: rows)
    }

    public func summaryJSON(settings: [String: Any]) throws -> [UInt8] {
        let names = vehicles
        let object: [String: Any] = [
            "driving": driving.description,
            "rules": ["seats": problem.seats, "speed_kmh": rounded(problem.speed * 3.6, 3),
                      "max_ride_min": rounded(problem.maxRide / 60, 3), "dwell_s": problem.dwell,
                      "ride": "the first rider's time on board: legs after the first stop at the speed plus a dwell at every stop",
                      "vehicles": Dictionary(uniqueKeysWithValues: problem.hubs.map { ($0.name, $0.vehicles) })] as [String: Any],
            "settings": settings,
            "method": plan.method,
            "stops": problem.stops.count, "riders": problem.stops.reduce(0) { $0 + $1.riders },
            "routes": plan.routes.count, "length_m": rounded(plan.length, 1),
            "unserved": plan.unserved.map { problem.stops[$0].name },
            "arrive_hub": clockTime(arriveBy),
            "by_route": zip(plan.routes, names).map { r, vehicle in
                ["vehicle": vehicle, "hub": problem.hubs[r.hub].name, "stops": r.stops.map { problem.stops[$0].name },
                 "riders": r.riders, "length_m": rounded(r.length, 1), "ride_min": rounded(r.ride / 60, 2)] as [String: Any]
            },
        ]
        return try jsonBytes(object)
    }
}
