import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning

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
