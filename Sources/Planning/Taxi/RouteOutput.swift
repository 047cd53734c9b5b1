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
        let names = vehicles
        let runs = try zip(plan.routes, schedules).enumerated().map { k, pair in
            let (route, schedule) = pair
            let line = driving.path(through: schedule.calls.map { point($0, hub: route.hub) })
            return (k: k, route: route, schedule: schedule, geometry: try toOutput.transform(.lineString(line)))
        }
        return Layer(name: "routes", crs: crs, rows: runs, geometry: \.geometry, columns: [
            .integer("route") { $0.k + 1 },
            .string("vehicle") { names[$0.k] },
            .string("hub") { problem.hubs[$0.route.hub].name },
            .string("stops") { $0.route.stops.map { problem.stops[$0].name }.joined(separator: " → ") },
            .integer("stop_count") { $0.route.stops.count },
            .integer("riders") { $0.route.riders },
            .real("length_m", digits: 1) { $0.route.length },
            .real("empty_leg_m", digits: 1) { $0.schedule.calls[1].leg },
            .string("legs_m") { $0.schedule.calls.dropFirst().map { formatReal(rounded($0.leg, 1)) }.joined(separator: ";") },
            .real("ride_min", digits: 2) { $0.route.ride / 60 },
            .string("leave_hub") { clockTime($0.schedule.calls[0].depart) },
            .string("first_pickup") { clockTime($0.schedule.calls[1].arrive) },
            .string("arrive_hub") { _ in clockTime(arriveBy) },
        ]).styled(routeStyle(width: 0.6, widthField: "riders"))
    }

    /// One LineString per leg, with its order, distance and times.
    public func legLayer(crs: CRS, toOutput: Transformer) throws -> Layer {
        let names = vehicles
        var legs: [(k: Int, j: Int, hub: Int, a: RouteSchedule.Call, b: RouteSchedule.Call, geometry: Geometry)] = []
        for (k, pair) in zip(plan.routes, schedules).enumerated() {
            let (route, schedule) = pair
            for (j, (a, b)) in zip(schedule.calls, schedule.calls.dropFirst()).enumerated() {
                let line = driving.path(point(a, hub: route.hub), point(b, hub: route.hub))
                legs.append((k, j, route.hub, a, b, try toOutput.transform(.lineString(line))))
            }
        }
        return Layer(name: "route_legs", crs: crs, rows: legs, geometry: \.geometry, columns: [
            .integer("route") { $0.k + 1 },
            .string("vehicle") { names[$0.k] },
            .integer("leg") { $0.j + 1 },
            .string("from") { name($0.a, hub: $0.hub) },
            .string("to") { name($0.b, hub: $0.hub) },
            .real("leg_m", digits: 1) { $0.b.leg },
            .real("cumulative_m", digits: 1) { $0.b.cumulative },
            .string("depart") { clockTime($0.a.depart) },
            .string("arrive") { clockTime($0.b.arrive) },
            .integer("on_board") { $0.a.onBoard },
        ]).styled(routeStyle(width: 0.4, widthField: "on_board"))
    }

    /// Each route in its colour (Palette.routes), its line wider with more riders.
    public func routeStyle(width: Double, widthField: String) -> LayerStyle {
        Driving.routeStyle(vehicles: vehicles, width: width, widthField: widthField)
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
