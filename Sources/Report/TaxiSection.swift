import Demography
import GeoCore
import GeoEngine
import Planning

/// The community-taxi analyses of one run: the transit gap, new stops and routes, all in the
/// plane zone (metres).
extension HTMLReport {
    /// Transit gaps (交通空白地域) and community-taxi routes: the gap over the districts, the
    /// proposed stops, each route in its own colour from its hub, and the routes' table.
    static func taxiSection(_ t: TaxiStudy, frame: MapFrame, figures: inout Figures) throws -> String {
        let width = 960.0
        var shapes = try districtShapes(t, frame: frame, width: width)
        var legend: [(colour: String, label: String)] = [(Palette.background, "served by a stop or station")]
        var text: [String] = []
        if let gap = t.gap {
            let gaps = try frame.simplified(gap.districts.map(\.gap), widthPixels: width)
            for (d, g) in zip(gap.districts, gaps) where g != nil {
                shapes.append(SVGMap.MapShape(id: "gap-\(t.districts[d.district].id)", geometry: g, fill: Palette.gap,
                                              tooltip: "\(t.districts[d.district].name): \(TextFormat.percent(d.share)) in the gap, ≈\(TextFormat.grouped(Int(d.aged.rounded()))) aged 65+"))
            }
            legend.append((Palette.gap, "transit gap"))
            text.append("The transit gap covers \(TextFormat.percent(gap.area > 0 ? gap.gapArea / gap.area : 0)) of the area, with about "
                        + "\(TextFormat.grouped(Int(gap.populationInGap.rounded()))) people, \(TextFormat.grouped(Int(gap.agedInGap.rounded()))) of them aged 65+ "
                        + "(apportioned by area).")
        }
        if let p = t.proposal {
            for s in p.stops {
                shapes.append(SVGMap.MapShape(id: "stop-\(s.name)", geometry: try frame.buffer(.point(s.position), 150), fill: Palette.proposedStop,
                                              tooltip: "new stop \(s.name): ≈\(TextFormat.grouped(Int(s.aged.rounded()))) aged 65+ in the gap", emphasised: true))
            }
            legend.append((Palette.proposedStop, "proposed stop"))
            text.append("\(p.stops.count) new stops reach \(TextFormat.percent(p.gapAged > 0 ? p.coveredAged / p.gapAged : 0)) of the aged 65+ in the gap"
                        + (p.provenOptimal ? " (proven the most possible)." : "."))
        }
        var table = ""
        if let r = t.routes {
            let layer = try r.routeLayer(crs: t.planarCRS, toOutput: try Measurer().transformer(from: t.planarCRS, to: t.planarCRS))
            try drawRoutes(layer, id: "", frame: frame, shapes: &shapes, legend: &legend) { k, f in "route \(k + 1): \(f.values[1])" }
            try drawHubs(r.problem.hubs, id: "", frame: frame, shapes: &shapes, legend: &legend)
            var rows = ["<tr><th>Vehicle</th><th>Stops</th><th class='num'>Riders</th><th class='num'>Length</th><th class='num'>Ride</th><th>Leaves</th><th>Arrives</th></tr>"]
            for f in layer.features {
                let v = f.values
                rows.append("<tr><td>\(Fmt.escape("\(v[1])"))</td><td>\(Fmt.escape("\(v[3])"))</td><td class='num'>\(v[5])</td>"
                            + "<td class='num'>\(Fmt.px((v[6].doubleValue ?? 0) / 1000)) km</td><td class='num'>\(Fmt.px(v[9].doubleValue ?? 0)) min</td>"
                            + "<td>\(v[10])</td><td>\(v[12])</td></tr>")
            }
            table = "<table>" + rows.joined() + "</table>"
            text.append("\(r.plan.routes.count) route(s) carry \(TextFormat.grouped(r.plan.routes.reduce(0) { $0 + $1.riders })) riders over "
                        + "\(Fmt.px(r.plan.length / 1000)) km (\(r.plan.method))"
                        + (r.plan.unserved.isEmpty ? "." : "; \(r.plan.unserved.count) stop(s) could not be served."))
        }
        let map = SVGMap.map(shapes, width: Int(width), title: "Transit gap, new stops and community-taxi routes", legendTitle: "Map",
                             legend: legend)
        return section("Community taxis (コミュニティタクシー)",
                       "<p>\(Fmt.escape(text.joined(separator: " ")))</p>" + figures.add("map_taxi", map) + table)
    }

    /// The districts as the grey ground of a taxi map.
    static func districtShapes(_ t: TaxiStudy, frame: MapFrame, width: Double) throws -> [SVGMap.MapShape] {
        try frame.simplified(t.districts.map(\.planar), widthPixels: width).enumerated().map { i, g in
            SVGMap.MapShape(id: t.districts[i].id, geometry: g, fill: Palette.background, tooltip: t.districts[i].name)
        }
    }

    /// A route layer's lines in their style's colours, each named in the legend (field 1 is the
    /// vehicle); `id` prefixes the shapes' ids.
    static func drawRoutes(_ layer: Layer, id: String, frame: MapFrame, shapes: inout [SVGMap.MapShape],
                           legend: inout [(colour: String, label: String)], tooltip: (Int, Feature) -> String) throws {
        for (k, f) in layer.features.enumerated() {
            guard let line = f.geometry else { continue }
            let colour = layer.style?.colour(.integer(k + 1)) ?? Palette.routes[0]
            shapes.append(SVGMap.MapShape(id: "\(id)route-\(k + 1)", geometry: try frame.buffer(line, 60), fill: colour,
                                          tooltip: tooltip(k, f), emphasised: true))
            legend.append((colour, "\(f.values[1])"))
        }
    }

    /// The hubs vehicles start from, in the legend once.
    static func drawHubs(_ hubs: [RoutingProblem.Hub], id: String, frame: MapFrame, shapes: inout [SVGMap.MapShape],
                         legend: inout [(colour: String, label: String)]) throws {
        for h in hubs {
            shapes.append(SVGMap.MapShape(id: "\(id)hub-\(h.name)", geometry: try frame.buffer(.point(h.position), 220), fill: Palette.taxiHub,
                                          tooltip: "hub \(h.name)", emphasised: true))
        }
        legend.append((Palette.taxiHub, "hub"))
    }
}
