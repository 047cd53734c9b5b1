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

        Dial-a-ride (デマンド型乗合タクシー): --trips FILE routes bookings from
        their pick-up to their drop-off (CSV: id, riders, earliest, latest,
        window_at pickup|dropoff, from_lon/from_lat or from naming a --places
        place or a stop, to_lon/to_lat or to; optional wheelchairs, and
        pickup_dwell/dropoff_dwell: seconds at that end instead of --dwell). Without
        --trips, --places (points with name and kind: clinic, shop, station…)
        estimates them: --trip-rate of each district's aged 65+ go to the
        nearest place of each kind, arriving 9:00–10:00 and picked up for the
        way back 11:30–12:30. Each rider's ride is at most --max-ride minutes
        (and --max-ride-factor times the direct ride), each vehicle's day at
        most --max-duration minutes inside --shift; the least distance, or
        --fewest-vehicles first. Costs: --cost-per-hour, --cost-per-km, --fare
        give the public cost per rider (1人当たり公費負担額) and the cost-recovery
        ratio (収支率) per hub and for the day.

        Writes into the -o folder: gap.geojson, gap.csv, gap_summary.json;
        proposed_stops.geojson and .csv; routes.geojson (one line per route),
        route_legs.geojson, timetable.csv (runs arriving at the hub at --arrive)
        and routes_summary.json; with trips: routes.geojson, schedule.csv (one
        row per call), riders.csv (ride, wait, unserved with the reason) and
        routes_summary.json (costs).

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
          chiiki taxi --hubs geodata/nagato/taxi_hubs_synthetic.geojson \\
                --trips geodata/nagato/taxi_trips_synthetic.csv \\
                --places geodata/nagato/taxi_places_synthetic.geojson \\
                --cost-per-hour 3500 --fare 300 -o out
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

    @Option(help: "Time the runs reach their hub (HH:MM), for the timetable.", transform: { text in
        guard let time = ClockTime(text) else { throw ValidationError("--arrive: expected a time of day HH:MM (00:00–23:59), found '\(text)'") }
        return time
    })
    var arrive = ClockTime(seconds: 9 * 3600)

    @Option(help: "Dial-a-ride bookings (CSV), routed from pick-up to drop-off.")
    var trips: String?

    @Option(help: "Places people travel to (points: name, kind), named by --trips or for estimated trips.")
    var places: String?

    @Option(help: "Wheelchair spaces per vehicle (trips: wheelchairs column).")
    var wheelchairSpaces = 0

    @Option(help: "Trips: a ride at most this factor of the direct ride (and --max-ride).")
    var maxRideFactor: Double?

    @Option(help: "Trips: a vehicle's day from leaving its hub to coming back at most this (minutes).")
    var maxDuration = 480.0

    @Option(help: "Trips: vehicles leave and are back within HH:MM-HH:MM.")
    var shift = "08:00-17:00"

    @Option(help: "Trips: operating cost per vehicle-hour (yen).")
    var costPerHour = 0.0

    @Option(help: "Trips: operating cost per km (yen).")
    var costPerKm = 0.0

    @Option(help: "Trips: fare per rider (yen).")
    var fare = 0.0

    @Flag(help: "Trips: use as few vehicles as possible, then the least distance.")
    var fewestVehicles = false

    @Option(help: "Trips: stop the search after this many seconds (the answer then depends on the machine).")
    var timeLimit: Double?

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

    @OptionGroup var geopackage: GeoPackageOption
    @OptionGroup var common: CommonOptions

    func validate() throws {
        let gap = demand != nil && !(busStops.isEmpty && stations.isEmpty)
        guard gap || hubs != nil else {
            throw ValidationError("nothing to do: give --demand with --bus-stops/--stations (transit gap), and/or --hubs (routes)")
        }
        if propose != nil && !gap { throw ValidationError("--propose needs --demand and --bus-stops or --stations") }
        let dialARide = trips != nil || places != nil
        if hubs != nil && routeStops == nil && propose == nil && !dialARide {
            throw ValidationError("--hubs needs --route-stops FILE, --propose N, or --trips/--places")
        }
        if dialARide && hubs == nil { throw ValidationError("--trips and --places need --hubs FILE (where the vehicles start)") }
        if trips == nil && places != nil && demand == nil { throw ValidationError("--places without --trips estimates trips from --demand: give it") }
        _ = try shiftTimes()
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be above 0 seconds") }
        if walk == .road && roads == nil { throw ValidationError("--walk road needs --roads FILE") }
        if busRadius <= 0 || stationRadius <= 0 || cell <= 0 { throw ValidationError("radii and --cell must be above 0 m") }
        if !(tripRate > 0) { throw ValidationError("--trip-rate must be above 0") }
        if detour < 1 { throw ValidationError("--detour must be at least 1 (a road is never shorter than the straight line)") }
    }

    func shiftTimes() throws -> (ClockTime, ClockTime) {
        let parts = shift.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let start = ClockTime(parts[0]), let end = ClockTime(parts[1]) else {
            throw ValidationError("--shift: expected HH:MM-HH:MM, found '\(shift)'")
        }
        guard end.seconds > start.seconds else { throw ValidationError("--shift: it ends (\(end)) before it starts (\(start))") }
        return (start, end)
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var options = TaxiStudyOptions()
            options.busStops = busStops; options.stations = stations; options.stopName = stopName
            options.gap.busStopRadius = busRadius; options.gap.stationRadius = stationRadius
            options.roads = roads; options.walk = walk; options.cell = cell
            options.propose = propose; options.proposal.spacing = spacing; options.proposal.cell = proposalCell; options.proposal.exact = exact
            options.hubs = hubs; options.routeStops = routeStops; options.ridersField = ridersField; options.tripRate = tripRate
            options.vehicles = vehicles; options.seats = seats; options.speedKmh = speed; options.maxRideMinutes = maxRide
            options.dwellSeconds = dwell; options.detour = detour; options.arriveBy = arrive
            options.routing.seed = seed; options.routing.iterations = iterations
            options.trips = trips; options.places = places; options.wheelchairSpaces = wheelchairSpaces
            options.maxRideFactor = maxRideFactor; options.maxDurationMinutes = maxDuration
            (options.shiftStart, options.shiftEnd) = try shiftTimes()
            options.costs.perHour = costPerHour; options.costs.perKm = costPerKm; options.costs.fare = fare
            options.tripEstimate.rate = tripRate
            options.dialARide.seed = seed; options.dialARide.iterations = iterations
            options.dialARide.timeLimit = timeLimit; options.dialARide.fewestVehicles = fewestVehicles
            options.zone = zone; options.encoding = common.encoding
            try geopackage.check()
            var study: TaxiStudy
            if let demand {
                var sources = StudyAreaSources(boundaries: demand, census: census)
                sources.fields.id = id; sources.fields.population = population; sources.fields.aged = aged
                sources.zone = zone; sources.encoding = common.encoding
                study = try TaxiStudy.run(try StudyArea.load(sources, progress: console.progress), options: options, progress: console.progress)
            } else {
                study = try TaxiStudy.run(options, demand: nil, progress: console.progress)
            }
            let paths = try study.write(to: output, excel: common.excel, progress: console.progress)
                + geopackage.write({ try study.layers() }, console: console)
            console.progress("done")
            printTaxiSummary(study, console: console, wrote: paths)
        }
    }
}

/// The taxi summary, shared by `taxi` and `demo`.
func printTaxiSummary(_ study: TaxiStudy, console: Console, wrote: [String]) {
    let districts = study.districts
    console.line("chiiki taxi")
    if let gap = study.gap {
        let t = gap.totals(districts)
        let o = gap.options
        console.row("stops", "\(gap.stopsUsed) used (bus stops within \(formatReal(o.busStopRadius)) m, stations within "
                    + "\(formatReal(o.stationRadius)) m, \(o.walk.description)), \(gap.stopsOutside.count) outside the area")
        console.row("gap", "\(km2(gap.gapArea)) of \(km2(gap.area)) (\(TextFormat.percent(gap.gapArea, of: gap.area))) in "
                    + "\(gap.districts.filter { $0.gap != nil }.count) of \(districts.count) districts")
        console.row("people", "\(TextFormat.grouped(Int(gap.populationInGap.rounded()))) of \(TextFormat.grouped(t.population)) "
                    + "(\(TextFormat.percent(gap.populationInGap, of: Double(t.population)))) live in the gap, apportioned by area")
        if t.agedKnown {
            console.row("aged 65+", "\(TextFormat.grouped(Int(gap.agedInGap.rounded()))) of \(TextFormat.grouped(t.aged)) "
                        + "(\(TextFormat.percent(gap.agedInGap, of: Double(t.aged)))) in the gap")
        }
    }
    if let proposal = study.proposal {
        console.row("proposal", "\(proposal.stops.count) new stops cover \(TextFormat.grouped(Int(proposal.coveredAged.rounded()))) of "
                    + "\(TextFormat.grouped(Int(proposal.gapAged.rounded()))) aged 65+ in the gap (bound \(TextFormat.grouped(Int(proposal.bound.rounded())))"
                    + (proposal.provenOptimal ? ", optimal" : "") + ")")
        for s in proposal.stops.prefix(5) { console.line("    \(s.name): \(Int(s.aged.rounded())) aged 65+") }
    }
    if let report = study.routes {
        let plan = report.plan
        console.row("routes", "\(plan.routes.count) routes, \(String(format: "%.1f", plan.length / 1000)) km in all, "
                    + "\(report.problem.stops.count) stops, \(report.problem.stops.reduce(0) { $0 + $1.riders }) riders, "
                    + "arriving \(clockTime(report.arriveBy)) (\(report.driving.description))")
        for (r, vehicle) in zip(plan.routes, report.vehicles) {
            console.line("    \(vehicle): \(r.stops.count) stops, \(r.riders) riders, \(String(format: "%.1f", r.length / 1000)) km, "
                         + "longest ride \(Int((r.ride / 60).rounded())) min")
        }
    }
    if let trips = study.trips {
        let day = trips.figures(hub: nil)
        console.row("trips", "\(day.trips) of \(trips.problem.requests.count) trips served (\(day.riders) riders) by \(day.vehicles) vehicle(s), "
                    + "\(String(format: "%.1f", day.km)) km, \(String(format: "%.1f", day.vehicleHours)) vehicle-hours (\(trips.driving.description))")
        console.row("requests", trips.requestSource)
        if day.cost > 0 {
            console.row("cost", "¥\(TextFormat.grouped(Int(day.cost.rounded()))), fares ¥\(TextFormat.grouped(Int(day.revenue.rounded())))"
                        + (day.publicCostPerRider.map { ", public cost ¥\(TextFormat.grouped(Int($0.rounded()))) per rider" } ?? "")
                        + (day.recoveryRatio.map { String(format: ", cost recovery %.1f %%", $0 * 100) } ?? ""))
        }
        console.row("solver", trips.plan.method)
    }
    for w in study.warnings { console.row("warning", w) }
    for path in wrote { console.row("wrote", path) }
}

extension WalkMode: ExpressibleByArgument {}

extension ClockTime: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
}
