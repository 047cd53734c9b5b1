import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning

struct TaxiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxi",
        abstract: "Community taxis: transit gaps, new stops and routes from hubs.",
        discussion: """
        Transit gap (交通空白地域): the parts of each district (small areas,
        hamlets or mesh squares with population and aged 65+) farther than
        --bus-radius from every bus stop and --station-radius from every station,
        by straight line or (--walk road) along the --roads layer. People in the
        gap are apportioned by area: a district's count times its gap's share of
        its area. Bus stops and stations are point layers (国土数値情報 P11, any
        points) or N02 station lines (their middle is the station).

        --propose N places N new stops covering the most aged 65+ in the gap
        (the hub models' maximal covering problem on --proposal-cell cells), no
        two closer than --spacing, nor closer to an existing stop.

        --hubs FILE routes vehicles (--vehicles per hub, or a hub's vehicles
        field) from the hubs to --route-stops (riders in --riders-field) or to the
        proposed stops (riders: --trip-rate of the aged 65+ each covers, at least
        1, at most the seats): at most --seats riders a vehicle, the first rider
        on board at most --max-ride minutes at --speed km/h with --dwell seconds
        at each stop, the least total distance (savings, local search, ruin and
        recreate). Distances follow --roads when given, else the straight line
        times --detour (1.3: road distances run about 1.2–1.4 times the straight
        line). Stops beyond any hub's reach, stops with more riders than seats and
        zero vehicles are errors naming the stops; stops no route can take are
        listed as unserved.

        Writes into the -o folder: gap.geojson, gap.csv, gap_summary.json;
        proposed_stops.geojson and .csv; routes.geojson (one line per route),
        route_legs.geojson, timetable.csv (runs arriving at the hub at --arrive)
        and routes_summary.json.

        Examples:
          chiiki taxi --demand geodata/nagato/hamlets_2014_synthetic.geojson \\
                --bus-stops geodata/nagato/bus_stops_p11_synthetic.geojson \\
                --stations geodata/nagato/stations_n02_synthetic.geojson -o out
          chiiki taxi --demand geodata/nagato/hamlets_2014_synthetic.geojson \\
                --bus-stops geodata/nagato/bus_stops_p11_synthetic.geojson \\
                --stations geodata/nagato/stations_n02_synthetic.geojson \\
                --propose 12 --hubs geodata/nagato/taxi_hubs_synthetic.geojson \\
                --roads geodata/nagato/main_roads_synthetic.geojson -o out
          chiiki taxi --hubs hubs.geojson --route-stops stops.geojson \\
                --zone 3 --vehicles 3 --seats 4 --max-ride 40 -o out
          chiiki taxi --demand h27ka35211.shp --census census.csv \\
                --bus-stops P11-22_35.geojson --stations N02-22_Station.geojson \\
                --walk road --roads roads.gpkg -o out
        """)

    @Option(help: "Districts, hamlets or mesh squares with population (and aged 65+).")
    var demand: String?

    @Option(help: "e-Stat census CSV by small area, for people aged 65+.")
    var census: String?

    @Option(help: "Bus stop layer (repeatable).")
    var busStops: [String] = []

    @Option(help: "Station layer (repeatable).")
    var stations: [String] = []

    @Option(help: "Name field of the stop, station, hub and route-stop layers (default: P11_001, N02_005, name).")
    var stopName: String?

    @Option(help: "Walking distance to a bus stop (m).")
    var busRadius = 300.0

    @Option(help: "Walking distance to a station (m).")
    var stationRadius = 800.0

    @Option(help: "Road lines: driving distances for routes, and walking with --walk road.")
    var roads: String?

    @Option(help: "Walking distance measured as the straight line or along the roads.")
    var walk: WalkMode = .straight

    @Option(help: "With --walk road: the gap is found on square cells of this size (m).")
    var cell = 50.0

    @Option(help: "Propose this many new stops in the gap.")
    var propose: Int?

    @Option(help: "Proposals: the least distance between stops (m).")
    var spacing = 500.0

    @Option(help: "Proposals: the gap's people gathered on square cells of this size (m).")
    var proposalCell = 200.0

    @Flag(help: "Proposals: prove the best choice with CBC.")
    var exact = false

    @Option(help: "Hubs the routes start and end at (points; optional vehicles field).")
    var hubs: String?

    @Option(help: "Stops to route (points with a riders field); default: the proposed stops.")
    var routeStops: String?

    @Option(help: "Riders field of --route-stops.")
    var ridersField = "riders"

    @Option(help: "Riders at a proposed stop per run: this share of the aged 65+ it covers (at least 1, at most --seats).")
    var tripRate = 0.02

    @Option(help: "Vehicles per hub (unless the hub layer has a vehicles field).")
    var vehicles = 2

    @Option(help: "Seats for riders per vehicle (9: a jumbo taxi).")
    var seats = 9

    @Option(help: "Average driving speed (km/h).")
    var speed = 30.0

    @Option(help: "Longest ride of any rider (minutes).")
    var maxRide = 45.0

    @Option(help: "Time at each stop (seconds).")
    var dwell = 30.0

    @Option(help: "Without --roads: driving distance = straight line × this factor.")
    var detour = Driving.defaultDetour

    @Option(help: "Time the runs reach their hub (HH:MM), for the timetable.")
    var arrive = "09:00"

    @Option(help: "Seed of the route search.")
    var seed: UInt64 = 0

    @Option(help: "Route search iterations (default: 100 per stop, at least 2,000).")
    var iterations: Int?

    @Option(help: "Id field of --demand (default: KEY_CODE, else hamlet_id, else id).")
    var id: String?

    @Option(help: "Population field of --demand (default: JINKO, else population).")
    var population: String?

    @Option(help: "Aged 65+ field of --demand (default: aged_65_plus).")
    var aged: String?

    @Option(help: "Plane zone 1–19 (default: from the demand layer's codes; needed without --demand).")
    var zone: PlaneZone?

    @Option(name: .shortAndLong, help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    enum WalkMode: String, ExpressibleByArgument, CaseIterable {
        case straight, road
    }

    func validate() throws {
        let gap = demand != nil && !(busStops.isEmpty && stations.isEmpty)
        guard gap || hubs != nil else {
            throw ValidationError("nothing to do: give --demand with --bus-stops/--stations (transit gap), and/or --hubs (routes)")
        }
        if propose != nil && !gap { throw ValidationError("--propose needs --demand and --bus-stops or --stations") }
        if hubs != nil && routeStops == nil && propose == nil { throw ValidationError("--hubs needs --route-stops FILE or --propose N") }
        if walk == .road && roads == nil { throw ValidationError("--walk road needs --roads FILE") }
        if parseClockTime(arrive) == nil { throw ValidationError("--arrive must be HH:MM; got \(arrive)") }
        if busRadius <= 0 || stationRadius <= 0 || cell <= 0 { throw ValidationError("radii and --cell must be above 0 m") }
        if !(tripRate > 0) { throw ValidationError("--trip-rate must be above 0") }
        if detour < 1 { throw ValidationError("--detour must be at least 1 (a road is never shorter than the straight line)") }
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var job = TaxiJob()
            job.demand = demand; job.census = census; job.busStops = busStops; job.stations = stations; job.stopName = stopName
            job.gapOptions.busStopRadius = busRadius; job.gapOptions.stationRadius = stationRadius
            job.roads = roads; job.walkByRoad = walk == .road; job.cell = cell
            job.propose = propose; job.proposal.spacing = spacing; job.proposal.cell = proposalCell; job.proposal.exact = exact
            job.hubs = hubs; job.routeStops = routeStops; job.ridersField = ridersField; job.tripRate = tripRate
            job.vehicles = vehicles; job.seats = seats; job.speed = speed; job.maxRide = maxRide; job.dwell = dwell
            job.detour = detour; job.arriveBy = parseClockTime(arrive)!; job.routing.seed = seed; job.routing.iterations = iterations
            job.fields.id = id; job.fields.population = population; job.fields.aged = aged
            job.zone = zone; job.encoding = common.encoding
            let result = try job.run(console: console)
            let paths = try result.write(to: output, excel: common.excel, console: console)
            console.progress("done")
            result.printSummary(console: console, wrote: paths)
        }
    }
}

/// The taxi pipeline shared by `taxi` and `demo`: read and check everything, then the gap,
/// proposals and routes that were asked for.
struct TaxiJob {
    var demand: String?
    var census: String?
    var fields = PlanningDistricts.Fields()
    var busStops: [String] = []
    var stations: [String] = []
    var stopName: String?
    var gapOptions = GapOptions()
    var roads: String?
    var walkByRoad = false
    var cell = 50.0
    var propose: Int?
    var proposal = StopProposalOptions()
    var hubs: String?
    var routeStops: String?
    var ridersField = "riders"
    var tripRate = 0.02
    var vehicles = 2
    var seats = 9
    var speed = 30.0
    var maxRide = 45.0
    var dwell = 30.0
    var detour = Driving.defaultDetour
    var arriveBy = 9.0 * 3600
    var routing = RoutingOptions()
    var zone: PlaneZone?
    var encoding: TextEncoding?

    struct Result {
        var job: TaxiJob
        var districts: [PlanningDistrict] = []
        var outputCRS: CRS
        var planarCRS: CRS
        var toOutput: Transformer
        var gap: TransitGapResult?
        var proposal: StopProposal?
        var proposalRiders: [Int]?
        var report: RoutingReport?
        var routeSeconds = 0.0
        var warnings: [String] = []
    }

    func run(console: Console) throws -> Result {
        let measurer = Measurer()
        var districts: [PlanningDistrict] = []
        let planarCRS: CRS, outputCRS: CRS
        if let demand {
            console.progress("reading \(demand)")
            var loaded = try PlanningDistricts.load(try VectorReader.read(demand, encoding: encoding), fields: fields,
                                                    zone: zone, measurer: measurer)
            if let census {
                console.progress("reading \(census)")
                let table = try CensusCSV.read(census, encoding: encoding)
                let join = try CensusJoin.join(table, columns: try CensusColumns.find(in: table), boundaryKeys: loaded.districts.map(\.id))
                PlanningDistricts.addCensus(join, to: &loaded.districts)
            }
            districts = loaded.districts
            planarCRS = loaded.planarCRS
            outputCRS = loaded.crs
        } else {
            let file = try VectorReader.read(hubs!)
            guard let chosen = zone ?? file.layer.crs.planeZone else {
                throw DataError(file: hubs!, "no demand layer to choose the plane zone from: give it with --zone (Yamaguchi: 3)")
            }
            planarCRS = chosen.crs(file.layer.crs.japaneseDatum ?? .jgd2011)
            outputCRS = file.layer.crs
        }
        var result = Result(job: self, districts: districts, outputCRS: outputCRS, planarCRS: planarCRS,
                            toOutput: try measurer.transformer(from: planarCRS, to: outputCRS))
        var stops: [TransitStop] = []
        for (paths, kind) in [(busStops, TransitKind.busStop), (stations, .station)] {
            for path in paths {
                console.progress("reading \(path)")
                stops += try TaxiInputs.transitStops(try VectorReader.read(path, encoding: encoding), kind: kind, nameField: stopName,
                                                     planarCRS: planarCRS, measurer: measurer)
            }
        }
        let network = try roads.map { path -> RoadNetwork in
            console.progress("reading \(path)")
            return try TaxiInputs.roads(try VectorReader.read(path, encoding: encoding), planarCRS: planarCRS, measurer: measurer)
        }
        // Everything the routes need is read before the long work, so bad input fails fast.
        var hubList: [RoutingProblem.Hub] = []
        var given: [RoutingProblem.Stop]?
        if let hubs {
            hubList = try TaxiInputs.hubs(try VectorReader.read(hubs, encoding: encoding), nameField: stopName, vehicles: vehicles,
                                          planarCRS: planarCRS, measurer: measurer)
            given = try routeStops.map {
                try TaxiInputs.routeStops(try VectorReader.read($0, encoding: encoding), nameField: stopName, ridersField: ridersField,
                                          planarCRS: planarCRS, measurer: measurer)
            }
        }

        if !districts.isEmpty && !stops.isEmpty {
            var options = gapOptions
            if walkByRoad { options.walk = .road(network!, cell: cell) }
            console.progress("transit gap of \(districts.count) districts, \(stops.count) stops (\(options.walk.description))")
            let gap = try TransitGap.analyse(districts, stops: stops, options: options, planarCRS: planarCRS)
            result.gap = gap
            if let propose {
                guard districts.allSatisfy(\.agedKnown) else {
                    throw DataError(file: demand!, field: fields.aged ?? "aged_65_plus",
                                    "proposals need people aged 65+: give an aged field (--aged) or --census")
                }
                var options = proposal
                options.count = propose
                options.radius = gapOptions.busStopRadius
                console.progress("proposing \(propose) stops (cells of \(formatReal(options.cell)) m, spacing \(formatReal(options.spacing)) m)")
                let found = try StopProposals.propose(gap, districts: districts, existing: stops, options: options,
                                                      network: walkByRoad ? network : nil, measurer: measurer)
                result.proposal = found
                // A stop's riders per run from its aged 65+; more than a vehicle seats is capped, and said.
                let wanted = found.stops.map { max(1, Int(($0.aged * tripRate).rounded())) }
                result.proposalRiders = wanted.map { min($0, seats) }
                let capped = found.stops.indices.filter { wanted[$0] > seats }
                if !capped.isEmpty {
                    result.warnings.append("riders capped at the \(seats) seats at \(capped.count) proposed stop(s): "
                                           + capped.map { "\(found.stops[$0].name) (\(wanted[$0]))" }.joined(separator: ", "))
                }
            }
        }

        if !hubList.isEmpty {
            let routeStops = given ?? zip(result.proposal!.stops, result.proposalRiders!).map {
                RoutingProblem.Stop(name: $0.name, position: $0.position, riders: $1)
            }
            if !districts.isEmpty {
                let outside = try TaxiInputs.outside(routeStops.map { ($0.name, $0.position) }, districts: districts,
                                                     planarCRS: planarCRS, engine: measurer.engine)
                if !outside.isEmpty {
                    result.warnings.append("\(outside.count) route stop(s) outside the study area (routed anyway): "
                                           + outside.prefix(10).joined(separator: ", ") + (outside.count > 10 ? ", …" : ""))
                }
            }
            let driving: Driving = network.map { .road($0) } ?? .straight(detour: detour)
            console.progress("distances between \(hubList.count) hubs and \(routeStops.count) stops (\(driving.description))")
            let table = try driving.table(hubList.map(\.position) + routeStops.map(\.position))
            let problem = try RoutingProblem(hubs: hubList, stops: routeStops, seats: seats, speedKmh: speed, maxRideMinutes: maxRide,
                                             dwellSeconds: dwell, distances: table, source: self.routeStops ?? "taxi")
            console.progress("routing \(routeStops.count) stops from \(hubList.count) hub(s)")
            let started = Date()
            let plan = VehicleRouting.solve(problem, options: routing)
            result.routeSeconds = Date().timeIntervalSince(started)
            console.progress(String(format: "routes found in %.3f s", result.routeSeconds))
            if !plan.unserved.isEmpty {
                result.warnings.append("\(plan.unserved.count) stop(s) no route could take within the seats, ride and vehicles: "
                                       + plan.unserved.prefix(10).map { routeStops[$0].name }.joined(separator: ", "))
            }
            result.report = RoutingReport(problem: problem, plan: plan, driving: driving, arriveBy: arriveBy)
        }
        if let gap = result.gap, !gap.stopsOutside.isEmpty {
            result.warnings.append("\(gap.stopsOutside.count) stop(s) reach no district and were ignored: "
                                   + gap.stopsOutside.prefix(10).map(\.point.label).joined(separator: ", ")
                                   + (gap.stopsOutside.count > 10 ? ", …" : ""))
        }
        return result
    }
}

extension TaxiJob.Result {
    /// Writes every output into `folder` (created if missing, all paths checked first).
    func write(to folder: String, excel: Bool, console: Console) throws -> [String] {
        if !FileManager.default.fileExists(atPath: folder) {
            try AtomicOutput.checkWritable(folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        }
        var names: [String] = []
        if gap != nil { names += ["gap.geojson", "gap.csv", "gap_summary.json"] }
        if proposal != nil { names += ["proposed_stops.geojson", "proposed_stops.csv"] }
        if report != nil { names += ["routes.geojson", "route_legs.geojson", "timetable.csv", "routes_summary.json"] }
        let paths = names.map { "\(folder)/\($0)" }
        try paths.forEach { try AtomicOutput.checkWritable($0) }
        console.progress("writing \(paths.count) files into \(folder)")
        if let gap {
            try VectorWriter.write(try gap.gapLayer(districts, crs: outputCRS, toOutput: toOutput), to: "\(folder)/gap.geojson")
            try gap.gapTable(districts).write(to: "\(folder)/gap.csv", excel: excel)
            try AtomicOutput.write(try gap.summaryJSON(districts, sources: job.busStops + job.stations), to: "\(folder)/gap_summary.json")
        }
        if let proposal {
            let layer = try proposal.layer(districts, riders: report == nil || job.routeStops != nil ? nil : proposalRiders,
                                           crs: outputCRS, toOutput: toOutput)
            try VectorWriter.write(layer, to: "\(folder)/proposed_stops.geojson")
            try VectorWriter.write(layer, to: "\(folder)/proposed_stops.csv", excel: excel)
        }
        if let report {
            try VectorWriter.write(try report.routeLayer(crs: outputCRS, toOutput: toOutput), to: "\(folder)/routes.geojson")
            try VectorWriter.write(try report.legLayer(crs: outputCRS, toOutput: toOutput), to: "\(folder)/route_legs.geojson")
            try report.timetable().write(to: "\(folder)/timetable.csv", excel: excel)
            let settings: [String: Any] = ["seed": Int(job.routing.seed), "trip_rate": job.routeStops == nil ? job.tripRate : NSNull(),
                                           "warnings": warnings]
            try AtomicOutput.write(try report.summaryJSON(settings: settings), to: "\(folder)/routes_summary.json")
        }
        return paths
    }

    func printSummary(console: Console, wrote: [String]) {
        console.line("chiiki taxi")
        if let gap {
            let t = gap.totals(districts)
            let o = gap.options
            console.row("stops", "\(gap.stopsUsed) used (bus stops within \(formatReal(o.busStopRadius)) m, stations within "
                        + "\(formatReal(o.stationRadius)) m, \(o.walk.description)), \(gap.stopsOutside.count) outside the area")
            console.row("gap", "\(km2(gap.gapArea)) of \(km2(gap.area)) (\(percentText(gap.gapArea, gap.area))) in "
                        + "\(gap.districts.filter { $0.gap != nil }.count) of \(districts.count) districts")
            console.row("people", "\(thousands(Int(gap.populationInGap.rounded()))) of \(thousands(t.population)) "
                        + "(\(percentText(gap.populationInGap, Double(t.population)))) live in the gap, apportioned by area")
            if t.agedKnown {
                console.row("aged 65+", "\(thousands(Int(gap.agedInGap.rounded()))) of \(thousands(t.aged)) "
                            + "(\(percentText(gap.agedInGap, Double(t.aged)))) in the gap")
            }
        }
        if let proposal {
            console.row("proposal", "\(proposal.stops.count) new stops cover \(thousands(Int(proposal.coveredAged.rounded()))) of "
                        + "\(thousands(Int(proposal.gapAged.rounded()))) aged 65+ in the gap (bound \(thousands(Int(proposal.bound.rounded())))"
                        + (proposal.provenOptimal ? ", optimal" : "") + ")")
            for s in proposal.stops.prefix(5) { console.line("    \(s.name): \(Int(s.aged.rounded())) aged 65+") }
        }
        if let report {
            let plan = report.plan
            console.row("routes", "\(plan.routes.count) routes, \(String(format: "%.1f", plan.length / 1000)) km in all, "
                        + "\(report.problem.stops.count) stops, \(report.problem.stops.reduce(0) { $0 + $1.riders }) riders, "
                        + "arriving \(clockTime(report.arriveBy)) (\(report.driving.description))")
            for (r, vehicle) in zip(plan.routes, report.vehicles) {
                console.line("    \(vehicle): \(r.stops.count) stops, \(r.riders) riders, \(String(format: "%.1f", r.length / 1000)) km, "
                             + "longest ride \(Int((r.ride / 60).rounded())) min")
            }
        }
        for w in warnings { console.row("warning", w) }
        for path in wrote { console.row("wrote", path) }
    }
}

func percentText(_ part: Double, _ whole: Double) -> String {
    whole > 0 ? String(format: "%.1f %%", 100 * part / whole) : "–"
}
