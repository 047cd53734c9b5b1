import GeoCore
import GeoEngine
import Planning

/// Dial-a-ride trips (デマンド型乗合タクシー): the vehicles' routes on the map, a timeline of
/// their calls, and what the day costs.
extension HTMLReport {
    static func tripsSection(_ t: TaxiStudy, frame: MapFrame, figures: inout Figures) throws -> String {
        guard let d = t.trips else { return "" }
        let width = 960.0
        var shapes = try districtShapes(t, frame: frame, width: width)
        var legend: [(colour: String, label: String)] = []
        let layer = try d.routeLayer(crs: t.planarCRS, toOutput: try Measurer().transformer(from: t.planarCRS, to: t.planarCRS))
        try drawRoutes(layer, id: "trip-", frame: frame, shapes: &shapes, legend: &legend) { _, f in
            "\(f.values[1]): \(f.values[3]) trips, \(f.values[4]) riders"
        }
        for q in d.problem.requests {
            for (end, name) in [(q.from, q.fromName), (q.to, q.toName)] {
                shapes.append(SVGMap.MapShape(id: "trip-\(q.id)-\(name)", geometry: try frame.buffer(.point(end), 90), fill: Palette.proposedStop,
                                              tooltip: name.isEmpty ? "trip \(q.id)" : "trip \(q.id): \(name)", emphasised: true))
            }
        }
        legend.append((Palette.proposedStop, "pick-up or drop-off"))
        try drawHubs(d.problem.hubs, id: "trip-", frame: frame, shapes: &shapes, legend: &legend)
        let map = SVGMap.map(shapes, width: Int(width), title: "Dial-a-ride routes of the day", legendTitle: "Map", legend: legend)

        let day = d.figures(hub: nil)
        var text = ["\(day.trips) of \(d.problem.requests.count) bookings served (\(TextFormat.grouped(day.riders)) riders) by \(day.vehicles) "
                    + "vehicle(s): \(Fmt.px(day.km)) km and \(Fmt.px(day.vehicleHours)) vehicle-hours. Requests: \(d.requestSource)."]
        if !d.plan.unserved.isEmpty {
            text.append("Unserved: " + d.plan.unserved.map { "\(d.problem.requests[$0.request].id) (\($0.reason))" }.joined(separator: "; ") + ".")
        }
        var rows = ["<tr><th>Hub</th><th class='num'>Vehicles</th><th class='num'>Vehicle-hours</th><th class='num'>km</th><th class='num'>Riders</th>"
                    + "<th class='num'>Cost</th><th class='num'>Fares</th><th class='num'>Public cost per rider</th><th class='num'>Cost recovery</th></tr>"]
        for f in d.problem.hubs.indices.map({ d.figures(hub: $0) }) + [day] {
            rows.append("<tr><td>\(Fmt.escape(f.hub))</td><td class='num'>\(f.vehicles)</td><td class='num'>\(Fmt.px(f.vehicleHours))</td>"
                        + "<td class='num'>\(Fmt.px(f.km))</td><td class='num'>\(f.riders)</td><td class='num'>¥\(TextFormat.grouped(Int(f.cost.rounded())))</td>"
                        + "<td class='num'>¥\(TextFormat.grouped(Int(f.revenue.rounded())))</td>"
                        + "<td class='num'>\(f.publicCostPerRider.map { "¥" + TextFormat.grouped(Int($0.rounded())) } ?? "–")</td>"
                        + "<td class='num'>\(f.recoveryRatio.map { TextFormat.percent($0) } ?? "–")</td></tr>")
        }
        let costs = "<table>" + rows.joined() + "</table><p class='note'>Cost: vehicle-hours × ¥\(TextFormat.grouped(Int(d.costs.perHour))) + km × ¥"
            + "\(Fmt.px(d.costs.perKm)); fares: riders × ¥\(TextFormat.grouped(Int(d.costs.fare))). Public cost per rider (1人当たり公費負担額) = "
            + "(cost − fares) ÷ riders; cost recovery (収支率) = fares ÷ cost.</p>"
        return section("Dial-a-ride trips (デマンド型乗合タクシー)", "<p>\(Fmt.escape(text.joined(separator: " ")))</p>"
                       + figures.add("map_trips", map) + figures.add("chart_trip_timeline", tripTimeline(d), chart: true) + costs)
    }

    /// One row per vehicle along the day: legs with riders on board in the vehicle's colour,
    /// empty legs grey, a mark at each pick-up (▲) and drop-off (▼).
    static func tripTimeline(_ d: DialARideReport) -> String {
        let names = d.vehicleNames
        let routes = d.plan.routes
        let first = ((routes.map(\.start).min() ?? d.problem.rules.shiftStart) / 3600).rounded(.down) * 3600
        let last = ((routes.map(\.end).max() ?? d.problem.rules.shiftEnd) / 3600).rounded(.up) * 3600
        let (left, right, top, rowH) = (150.0, 30.0, 44.0, 30.0)
        let w = 960.0, h = top + rowH * Double(max(routes.count, 1)) + 46
        func x(_ t: Double) -> Double { left + (t - first) / max(last - first, 1) * (w - left - right) }
        var s = [SVGMap.header(width: w, height: h, label: "Vehicle timeline")]
        s.append("<text x='\(Fmt.px(left))' y='20' font-size='15' font-weight='600' fill='#222'>Vehicle timeline: calls by time of day</text>")
        s.append("<g font-size='10' fill='#444' text-anchor='middle'>")
        for hour in stride(from: first, through: last, by: 3600) {
            s.append("<line x1='\(Fmt.px(x(hour)))' x2='\(Fmt.px(x(hour)))' y1='\(Fmt.px(top - 6))' y2='\(Fmt.px(h - 40))' stroke='#e4e4e4'/>"
                     + "<text x='\(Fmt.px(x(hour)))' y='\(Fmt.px(h - 26))'>\(clockTime(hour))</text>")
        }
        s.append("</g>")
        for (k, route) in routes.enumerated() {
            let y = top + rowH * Double(k) + rowH / 2
            let colour = Palette.routes[k % Palette.routes.count]
            s.append("<text x='\(Fmt.px(left - 8))' y='\(Fmt.px(y + 4))' font-size='11' fill='#222' text-anchor='end'>\(Fmt.escape(names[k]))</text>")
            var leave = route.start, load = 0
            for call in route.calls + [nil] {
                let arrive = call?.time ?? route.end
                s.append("<rect x='\(Fmt.px(x(leave)))' y='\(Fmt.px(y - (load > 0 ? 7 : 2)))' width='\(Fmt.px(max(x(arrive) - x(leave), 0.5)))' "
                         + "height='\(load > 0 ? 14 : 4)' fill='\(load > 0 ? colour : Palette.notReached)'><title>\(clockTime(leave))–\(clockTime(arrive)): "
                         + "\(load) on board</title></rect>")
                guard let call else { break }
                let q = d.problem.requests[call.request]
                let (tip, dy) = call.isPickup ? ("M0 -6 L5 3 L-5 3 Z", -10.0) : ("M0 6 L5 -3 L-5 -3 Z", 10.0)
                s.append("<path transform='translate(\(Fmt.px(x(call.time))) \(Fmt.px(y + dy)))' d='\(tip)' fill='#222'><title>\(Fmt.escape(q.id)) "
                         + "\(call.isPickup ? "pick-up" : "drop-off") \(clockTimeSeconds(call.time)) (\(q.riders) rider\(q.riders == 1 ? "" : "s"))</title></path>")
                load = call.load
                leave = call.time + d.problem.dwell(atNode: call.node)
            }
        }
        s.append("<text x='\(Fmt.px(left))' y='\(Fmt.px(h - 8))' font-size='11' fill='#444'>▲ pick-up · ▼ drop-off · thick: riders on board · thin grey: empty</text>")
        s.append("</svg>")
        return s.joined(separator: "\n")
    }
}
