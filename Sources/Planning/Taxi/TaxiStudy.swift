import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// A time of day, `HH:MM`, as seconds since midnight.
public struct ClockTime: Sendable, Hashable, CustomStringConvertible {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    /// Parses `HH:MM` (00:00–23:59).
    public init?(_ text: String) {
        guard let s = parseClockTime(text) else { return nil }
        seconds = s
    }

    public var description: String { clockTime(seconds) }
}

/// How far people walk to a stop, as an option (the road network comes from `TaxiStudyOptions.roads`).
public enum WalkMode: String, Sendable, CaseIterable {
    case straight
    case road
}

/// What `TaxiStudy` is asked: the transit gap, new stops, routes, or all three.
public struct TaxiStudyOptions: Sendable {
    /// Bus stops (points, e.g. 国土数値情報 P11) and stations (points or N02 lines), for the gap.
    public var busStops: [String] = []
    public var stations: [String] = []
    /// Name field of stops, stations and hubs (default: P11_001, N02_005, name…).
    public var stopName: String?
    public var gap = GapOptions()
    /// Road lines: walking (with `walk` = .road) and driving distances along them.
    public var roads: String?
    public var walk: WalkMode = .straight
    /// Cells (m) on which the road walk is evaluated.
    public var cell = 50.0
    /// New stops to propose in the gap (nil: none); `proposal.count` is set from it.
    public var propose: Int?
    public var proposal = StopProposalOptions()
    /// Community-taxi hubs (points), for routes; stops from `routeStops` or the proposed stops.
    public var hubs: String?
    public var routeStops: String?
    public var ridersField = "riders"
    /// Riders per run at a proposed stop: this share of the aged 65+ it covers (at least 1).
    public var tripRate = 0.02
    public var vehicles = 2
    public var seats = 9
    public var speedKmh = 30.0
    public var maxRideMinutes = 45.0
    public var dwellSeconds = 30.0
    /// Straight distances × this where there are no roads.
    public var detour = Driving.defaultDetour
    public var arriveBy = ClockTime(seconds: 9 * 3600)
    public var routing = RoutingOptions()
    /// Dial-a-ride: bookings from a CSV file, or estimated (`tripEstimate`) to the `places`
    /// (clinics, shops, the station: points with a kind field). Either one routes trips instead of stops.
    public var trips: String?
    public var places: String?
    public var tripEstimate = TripEstimate()
    public var wheelchairSpaces = 0
    public var maxRideFactor: Double?
    public var maxDurationMinutes = 480.0
    public var shiftStart = ClockTime(seconds: 8 * 3600)
    public var shiftEnd = ClockTime(seconds: 17 * 3600)
    public var costs = ServiceCosts()
    public var dialARide = DialARideOptions()
    /// Plane zone when there is no demand layer to choose it from.
    public var zone: PlaneZone?
    public var encoding: TextEncoding?

    public init() {}
}

/// Community taxis: the transit gap (交通空白地域) with the people in it, new stops covering the
/// most aged 65+ in the gap, and routes from hubs with a timetable.
public struct TaxiStudy: Sendable {
    public var options: TaxiStudyOptions
    public var districts: [District] = []
    /// The CRS of the outputs and the plane zone of the work.
    public var outputCRS: CRS
    public var planarCRS: CRS
    public var gap: TransitGapResult?
    public var proposal: StopProposal?
    /// Riders per run at each proposed stop (capped at the seats).
    public var proposalRiders: [Int]?
    public var routes: RoutingReport?
    public var trips: DialARideReport?
    public var routeSeconds = 0.0
    public var warnings: [String] = []

    /// Runs on the area's hamlets when it has them, else on its districts (census counts joined).
    public static func run(_ area: StudyArea, options: TaxiStudyOptions, progress: (String) -> Void = { _ in }) throws -> TaxiStudy {
        let demand = area.hamlets.map { ($0.districts, $0.file.path) } ?? (area.districts, area.sources.boundaries)
        return try run(options, demand: demand, progress: progress)
    }

    /// `demand`: the districts and their source, or nil to route alone (in `options.zone`, or the hubs' CRS's zone).
    public static func run(_ options: TaxiStudyOptions, demand: (PlanningDistricts.Loaded, source: String)?,
                           progress: (String) -> Void = { _ in }) throws -> TaxiStudy {
        try RoutingProblem.checkVehicles(seats: options.seats, speedKmh: options.speedKmh, maxRideMinutes: options.maxRideMinutes,
                                         dwellSeconds: options.dwellSeconds)
        let measurer = Measurer()
        func read(_ path: String) throws -> VectorFile {
            progress("reading \(path)")
            return try VectorReader.read(path, encoding: options.encoding)
        }
        let planarCRS: CRS, outputCRS: CRS
        if let (loaded, _) = demand {
            planarCRS = loaded.planarCRS
            outputCRS = loaded.crs
        } else {
            guard let hubs = options.hubs else { throw ParameterError("hubs", "routing without a demand layer needs the hubs") }
            let file = try VectorReader.read(hubs)
            guard let chosen = options.zone ?? file.layer.crs.planeZone else {
                throw DataError(file: hubs, "no demand layer to choose the plane zone from: give it with --zone (Yamaguchi: 3)")
            }
            planarCRS = chosen.crs(file.layer.crs.japaneseDatum ?? .jgd2011)
            outputCRS = file.layer.crs
        }
        let districts = demand?.0.districts ?? []
        var study = TaxiStudy(options: options, districts: districts, outputCRS: outputCRS, planarCRS: planarCRS)
        var stops: [TransitStop] = []
        for (paths, kind) in [(options.busStops, TransitKind.busStop), (options.stations, .station)] {
            for path in paths {
                stops += try TaxiInputs.transitStops(try read(path), kind: kind, nameField: options.stopName,
                                                     planarCRS: planarCRS, measurer: measurer)
            }
        }
        let network = try options.roads.map { try RoadNetwork.read(try read($0), planarCRS: planarCRS, measurer: measurer) }
        if options.walk == .road && network == nil { throw ParameterError("walk", "walking along roads needs the road layer") }
        // Everything the routes need is read before the long work, so bad input fails fast.
        var hubList: [RoutingProblem.Hub] = []
        var given: [RoutingProblem.Stop]?
        if let hubs = options.hubs {
            hubList = try TaxiInputs.hubs(try VectorReader.read(hubs, encoding: options.encoding), nameField: options.stopName,
                                          vehicles: options.vehicles, planarCRS: planarCRS, measurer: measurer)
            given = try options.routeStops.map {
                try TaxiInputs.routeStops(try VectorReader.read($0, encoding: options.encoding), nameField: options.stopName,
                                          ridersField: options.ridersField, planarCRS: planarCRS, measurer: measurer)
            }
        }

        if !districts.isEmpty && !stops.isEmpty {
            var gapOptions = options.gap
            if options.walk == .road { gapOptions.walk = .road(network!, cell: options.cell) }
            progress("transit gap of \(districts.count) districts, \(stops.count) stops (\(gapOptions.walk.description))")
            let gap = try TransitGap.analyse(districts, stops: stops, options: gapOptions, planarCRS: planarCRS)
            study.gap = gap
            if let count = options.propose {
                guard districts.allSatisfy(\.agedKnown) else {
                    throw DataError(file: demand!.source, field: "aged_65_plus",
                                    "proposals need people aged 65+: give an aged field (--aged) or --census")
                }
                var proposalOptions = options.proposal
                proposalOptions.count = count
                proposalOptions.radius = options.gap.busStopRadius
                progress("proposing \(count) stops (cells of \(formatReal(proposalOptions.cell)) m, spacing \(formatReal(proposalOptions.spacing)) m)")
                let found = try StopProposals.propose(gap, districts: districts, existing: stops, options: proposalOptions,
                                                      network: options.walk == .road ? network : nil, measurer: measurer)
                study.proposal = found
                // A stop's riders per run from its aged 65+; more than a vehicle seats is capped, and said.
                let wanted = found.stops.map { max(1, Int(($0.aged * options.tripRate).rounded())) }
                study.proposalRiders = wanted.map { min($0, options.seats) }
                let capped = found.stops.indices.filter { wanted[$0] > options.seats }
                if !capped.isEmpty {
                    study.warnings.append("riders capped at the \(options.seats) seats at \(capped.count) proposed stop(s): "
                                          + capped.map { "\(found.stops[$0].name) (\(wanted[$0]))" }.joined(separator: ", "))
                }
            }
        }

        if options.trips != nil || options.places != nil {
            guard !hubList.isEmpty else { throw ParameterError("hubs", "trips need the hubs the vehicles start from (--hubs)") }
            let trips = try routeTrips(options, hubs: hubList, demand: demand, stops: stops, network: network, planarCRS: planarCRS,
                                       measurer: measurer, progress: progress)
            study.trips = trips
            study.routeSeconds = trips.plan.seconds
            if !trips.plan.unserved.isEmpty {
                study.warnings.append("\(trips.plan.unserved.count) trip(s) unserved (riders.csv says why): "
                                      + trips.plan.unserved.prefix(10).map { trips.problem.requests[$0.request].id }.joined(separator: ", "))
            }
        } else if !hubList.isEmpty {
            guard let routeStops = given ?? study.proposal.map({ p in
                zip(p.stops, study.proposalRiders!).map { RoutingProblem.Stop(name: $0.name, position: $0.position, riders: $1) }
            }) else {
                throw ParameterError("routeStops", "routes need stops: route stops, or proposed stops (with the demand and stops for the gap)")
            }
            if !districts.isEmpty {
                let outside = try PointsOutside.find(routeStops.map(\.position), polygons: try districts.planeShapes(), planarCRS: planarCRS,
                                                     measurer: measurer).map { routeStops[$0.point].name }
                if !outside.isEmpty {
                    study.warnings.append("\(outside.count) route stop(s) outside the study area (routed anyway): "
                                          + outside.prefix(10).joined(separator: ", ") + (outside.count > 10 ? ", …" : ""))
                }
            }
            let driving: Driving = network.map { .road($0) } ?? .straight(detour: options.detour)
            progress("distances between \(hubList.count) hubs and \(routeStops.count) stops (\(driving.description))")
            let table = try driving.table(hubList.map(\.position) + routeStops.map(\.position))
            let problem = try RoutingProblem(hubs: hubList, stops: routeStops, seats: options.seats, speedKmh: options.speedKmh,
                                             maxRideMinutes: options.maxRideMinutes, dwellSeconds: options.dwellSeconds,
                                             distances: table, source: options.routeStops ?? "taxi")
            progress("routing \(routeStops.count) stops from \(hubList.count) hub(s)")
            let started = Date()
            let plan = VehicleRouting.solve(problem, options: options.routing)
            study.routeSeconds = Date().timeIntervalSince(started)
            progress(String(format: "routes found in %.3f s", study.routeSeconds))
            if !plan.unserved.isEmpty {
                study.warnings.append("\(plan.unserved.count) stop(s) no route could take within the seats, ride and vehicles: "
                                      + plan.unserved.prefix(10).map { routeStops[$0].name }.joined(separator: ", "))
            }
            study.routes = RoutingReport(problem: problem, plan: plan, driving: driving, arriveBy: options.arriveBy.seconds)
        }
        if let gap = study.gap, !gap.stopsOutside.isEmpty {
            study.warnings.append("\(gap.stopsOutside.count) stop(s) reach no district and were ignored: "
                                  + gap.stopsOutside.prefix(10).map(\.point.label).joined(separator: ", ")
                                  + (gap.stopsOutside.count > 10 ? ", …" : ""))
        }
        return study
    }

    /// Dial-a-ride: the bookings (read or estimated), their distances, the plan.
    static func routeTrips(_ options: TaxiStudyOptions, hubs: [RoutingProblem.Hub], demand: (PlanningDistricts.Loaded, source: String)?,
                           stops: [TransitStop], network: RoadNetwork?, planarCRS: CRS, measurer: Measurer,
                           progress: (String) -> Void) throws -> DialARideReport {
        var rules = DialARideRules()
        rules.seats = options.seats
        rules.wheelchairSpaces = options.wheelchairSpaces
        rules.speedKmh = options.speedKmh
        rules.maxRideMinutes = options.maxRideMinutes
        rules.maxRideFactor = options.maxRideFactor
        rules.maxDurationMinutes = options.maxDurationMinutes
        rules.shiftStart = options.shiftStart.seconds
        rules.shiftEnd = options.shiftEnd.seconds
        rules.dwellSeconds = options.dwellSeconds
        try rules.check()
        try options.costs.check()
        let places = try options.places.map {
            try TripInputs.places(try VectorReader.read($0, encoding: options.encoding), nameField: options.stopName, planarCRS: planarCRS,
                                  measurer: measurer)
        } ?? []
        let requests: [TripRequest], source: String
        if let path = options.trips {
            progress("reading trips \(path)")
            requests = try TripInputs.read(path, places: places.map(\.point) + stops.map(\.point), planarCRS: planarCRS, measurer: measurer,
                                           encoding: options.encoding)
            source = path
        } else {
            guard let (loaded, file) = demand else { throw ParameterError("trips", "without a trip file, trips are estimated from --demand") }
            requests = try TripInputs.estimate(loaded.districts, places: places, estimate: options.tripEstimate, seats: options.seats,
                                               measurer: measurer, source: file)
            source = "estimated: " + options.tripEstimate.description
        }
        let driving: Driving = network.map { .road($0) } ?? .straight(detour: options.detour)
        progress("distances between \(hubs.count) hubs and \(requests.count) trips' ends (\(driving.description))")
        let table = try driving.table(hubs.map(\.position) + requests.flatMap { [$0.from, $0.to] })
        let problem = try DialARideProblem(hubs: hubs, requests: requests, rules: rules, distances: table, source: options.trips ?? "trips")
        progress("routing \(requests.count) trips from \(hubs.count) hub(s)")
        let plan = DialARideSolver.solve(problem, options: options.dialARide)
        progress(String(format: "trips routed in %.3f s", plan.seconds))
        return DialARideReport(problem: problem, plan: plan, driving: driving, costs: options.costs, requestSource: source)
    }

    /// The files `write(to:)` puts in its folder.
    public var files: [String] {
        var names: [String] = []
        if gap != nil { names += ["gap.geojson", "gap.csv", "gap_summary.json"] }
        if proposal != nil { names += ["proposed_stops.geojson", "proposed_stops.csv"] }
        if routes != nil { names += ["routes.geojson", "route_legs.geojson", "timetable.csv", "routes_summary.json"] }
        if trips != nil { names += ["routes.geojson", "schedule.csv", "riders.csv", "routes_summary.json"] }
        return names
    }

    /// The transit gap, the proposed stops, the routes and their legs as styled layers.
    public func layers() throws -> [Layer] {
        let toOutput = try Measurer().transformer(from: planarCRS, to: outputCRS)
        var layers: [Layer] = []
        if let gap { layers.append(try gap.gapLayer(districts, crs: outputCRS, toOutput: toOutput)) }
        if let proposal {
            layers.append(try proposal.layer(districts, riders: routes == nil || options.routeStops != nil ? nil : proposalRiders,
                                             crs: outputCRS, toOutput: toOutput))
        }
        if let routes {
            layers += [try routes.routeLayer(crs: outputCRS, toOutput: toOutput), try routes.legLayer(crs: outputCRS, toOutput: toOutput)]
        }
        if let trips { layers.append(try trips.routeLayer(crs: outputCRS, toOutput: toOutput)) }
        return layers
    }

    /// Writes every output into `folder` (created if missing; every path checked first) and returns their paths.
    @discardableResult
    public func write(to folder: String, excel: Bool = false, progress: (String) -> Void = { _ in }) throws -> [String] {
        progress("writing \(files.count) files into \(folder)")
        // The layers once, each to its file: the gap, the stops (also as CSV), the routes and legs.
        let layers = Dictionary(uniqueKeysWithValues: try self.layers().map { ($0.name, $0) })
        // Replaced as a set: a gap-only run leaves no routes of an earlier run beside its outputs.
        let every = ["gap.geojson", "gap.csv", "gap_summary.json", "proposed_stops.geojson", "proposed_stops.csv", "routes.geojson",
                     "route_legs.geojson", "timetable.csv", "routes_summary.json", "schedule.csv", "riders.csv"]
        return try OutputFolder.write(folder, files: files, replacing: every.contains) { folder in
            if let gap, let layer = layers["transit_gap"] {
                try VectorWriter.write(layer, to: "\(folder)/gap.geojson")
                try gap.gapTable(districts).write(to: "\(folder)/gap.csv", excel: excel)
                try AtomicOutput.write(try gap.summaryJSON(districts, sources: options.busStops + options.stations), to: "\(folder)/gap_summary.json")
            }
            if let layer = layers["proposed_stops"] {
                try VectorWriter.write(layer, to: "\(folder)/proposed_stops.geojson")
                try VectorWriter.write(layer, to: "\(folder)/proposed_stops.csv", excel: excel)
            }
            if let routes, let routeLayer = layers["routes"], let legLayer = layers["route_legs"] {
                try VectorWriter.write(routeLayer, to: "\(folder)/routes.geojson")
                try VectorWriter.write(legLayer, to: "\(folder)/route_legs.geojson")
                try routes.timetable().write(to: "\(folder)/timetable.csv", excel: excel)
                let settings: [String: Any] = ["seed": Int(options.routing.seed), "trip_rate": options.routeStops == nil ? options.tripRate : NSNull(),
                                               "warnings": warnings]
                try AtomicOutput.write(try routes.summaryJSON(settings: settings), to: "\(folder)/routes_summary.json")
            }
            if let trips, let routeLayer = layers["trip_routes"] {
                try VectorWriter.write(routeLayer, to: "\(folder)/routes.geojson")
                try trips.schedule(toOutput: try Measurer().transformer(from: planarCRS, to: .jgd2011)).write(to: "\(folder)/schedule.csv", excel: excel)
                try trips.riders().write(to: "\(folder)/riders.csv", excel: excel)
                let settings: [String: Any] = ["seed": Int(options.dialARide.seed), "iterations": options.dialARide.iterations ?? NSNull(),
                                               "time_limit_s": options.dialARide.timeLimit ?? NSNull(),
                                               "fewest_vehicles": options.dialARide.fewestVehicles, "warnings": warnings]
                try AtomicOutput.write(try trips.summaryJSON(settings: settings), to: "\(folder)/routes_summary.json")
            }
        }
    }
}
