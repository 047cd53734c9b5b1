import Foundation
import GeoCore
import Demography

/// Choropleth maps of aging rates as standalone SVG, for the HTML report or to open on their own.
public enum SVGMap {
    /// Units' polygons (lon/lat degrees) filled by their aging class (`LayerStyle.agingRate`, as
    /// the GeoPackage's style and the GeoJSON), with its legend, a scale bar and a north arrow.
    /// `outline` (e.g. the city boundary) is drawn on top without fill.
    /// With `highlightCouncils`, units in a council get a dark outline.
    public static func choropleth(_ units: [UnitAging], width: Int = 720, title: String,
                                  outline: [Geometry] = [], highlightCouncils: Bool = false) -> String {
        let shapes = units.map { u in
            MapShape(id: u.id, geometry: u.geometry, fill: Palette.agingColour(u.figures?.rate), tooltip: tooltip(u),
                     emphasised: highlightCouncils && u.council != nil)
        }
        return map(shapes, width: width, title: title, legendTitle: "Aging rate", legend: LayerStyle.agingRate().legend, outline: outline)
    }

    /// One shape of a map: its fill, its hover text, and whether to outline it boldly.
    public struct MapShape: Sendable {
        public var id: String
        public var geometry: Geometry?
        public var fill: String
        public var tooltip: String
        public var emphasised: Bool
        public init(id: String, geometry: Geometry?, fill: String, tooltip: String, emphasised: Bool = false) {
            self.id = id; self.geometry = geometry; self.fill = fill; self.tooltip = tooltip; self.emphasised = emphasised
        }
    }

    /// A map of filled shapes with a legend, north arrow and scale bar.
    public static func map(_ all: [MapShape], width: Int = 720, title: String, legendTitle: String,
                           legend items: [(colour: String, label: String)], outline: [Geometry] = []) -> String {
        let w = Double(max(width, 240))
        let margin = 12.0, titleBand = 40.0
        let mapWidth = w - 2 * margin
        let shapes = all.filter { !($0.geometry?.polygons.isEmpty ?? true) }
        let box = BoundingBox.union((shapes.compactMap(\.geometry) + outline).compactMap(\.boundingBox))
        // A tall city is shrunk to at most 1.4 × the width, so one map never fills several pages.
        let projection = box.map { Projection($0, left: margin, top: titleBand, maxWidth: mapWidth, maxHeight: mapWidth * 1.4) }
        let mapHeight = projection?.height ?? 60

        let legend = Legend(title: legendTitle, items: items, maxWidth: mapWidth - 170)
        let legendTop = titleBand + mapHeight + 14
        let height = legendTop + legend.height + margin

        var svg = [header(width: w, height: height, label: title)]
        svg.append("<text x='\(Fmt.px(margin))' y='26' font-size='17' font-weight='600' fill='#222'>\(Fmt.escape(title))</text>")
        guard let projection else {
            svg.append("<text x='\(Fmt.px(w / 2))' y='\(Fmt.px(titleBand + 34))' font-size='13' fill='#666' text-anchor='middle'>no geometry to map</text>")
            svg.append("</svg>")
            return svg.joined(separator: "\n")
        }

        // Emphasised shapes last, so their thick outlines are not half-covered by neighbours' fills.
        let ordered = shapes.filter { !$0.emphasised } + shapes.filter(\.emphasised)
        svg.append("<g fill-rule='evenodd' stroke='#777' stroke-width='0.4' stroke-linejoin='round'>")
        for unit in ordered {
            let d = projection.pathData(unit.geometry!.polygons.flatMap(\.rings))
            let stroke = unit.emphasised ? " stroke='#222' stroke-width='1.5'" : ""
            svg.append("<path class='unit' data-id='\(Fmt.escape(unit.id))' fill='\(unit.fill)'\(stroke) d='\(d)'><title>\(Fmt.escape(unit.tooltip))</title></path>")
        }
        svg.append("</g>")
        if !outline.isEmpty {
            // Polygon rings are closed subpaths (clean joins); lines stay open.
            let rings = outline.flatMap { $0.polygons.flatMap(\.rings) }
            let lines = outline.flatMap { g -> [[Coordinate]] in
                switch g {
                case .lineString(let cs): return [cs]
                case .multiLineString(let ls): return ls
                default: return []
                }
            }
            let d = projection.pathData(rings) + projection.pathData(lines, close: false)
            svg.append("<path class='outline' fill='none' stroke='#333' stroke-width='1.2' stroke-linejoin='round' d='\(d)'/>")
        }
        svg.append(northArrow(x: w - margin - 10, top: 6))
        svg.append(legend.svg(left: margin, top: legendTop))
        svg.append(scaleBar(projection, right: w - margin - 16, top: legendTop))
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    static func header(width: Double, height: Double, label: String) -> String {
        let (w, h) = (Fmt.px(width), Fmt.px(height))
        return "<svg xmlns='http://www.w3.org/2000/svg' width='\(w)' height='\(h)' viewBox='0 0 \(w) \(h)' font-family=\"\(Fmt.fontFamily)\" role='img' aria-label='\(Fmt.escape(label))'>"
            + "<rect width='100%' height='100%' fill='#fff'/>"
    }

    static func tooltip(_ u: UnitAging) -> String {
        let head = u.name == u.id ? u.name : "\(u.name) (\(u.id))"
        guard let f = u.figures else { return "\(head)\nno figures: \(u.status)" }
        var lines = [head, "population \(TextFormat.grouped(f.population)) · 65+ \(TextFormat.grouped(f.aged)) · aging rate \(TextFormat.percent(f.rate))"]
        if let h = f.households { lines.append("households \(TextFormat.grouped(h))") }
        if let c = u.council { lines.append("council \(c)") }
        return lines.joined(separator: "\n")
    }

    static func northArrow(x: Double, top: Double) -> String {
        let (l, r, mid) = (Fmt.px(x - 6), Fmt.px(x + 6), Fmt.px(x))
        return "<g class='north'><path d='M\(mid),\(Fmt.px(top + 12))L\(l),\(Fmt.px(top + 30)) \(mid),\(Fmt.px(top + 25)) \(r),\(Fmt.px(top + 30))Z' fill='#222'/>"
            + "<text x='\(mid)' y='\(Fmt.px(top + 10))' font-size='11' font-weight='600' text-anchor='middle' fill='#222'>N</text></g>"
    }

    /// A two-segment bar of a round length, about a fifth of the map wide.
    static func scaleBar(_ p: Projection, right: Double, top: Double) -> String {
        let kmPerPixel = p.kmPerPixel
        guard kmPerPixel > 0, kmPerPixel.isFinite else { return "" }
        let km = Fmt.niceFloor(min(p.width * 0.22, 150) * kmPerPixel)
        let length = km / kmPerPixel
        let label = km >= 1 ? "\(Fmt.px(km)) km" : "\(Fmt.px(km * 1000)) m"
        let (x0, half, y) = (right - length, length / 2, top + 16)
        return "<g class='scale' font-size='11' fill='#222'>"
            + "<rect x='\(Fmt.px(x0))' y='\(Fmt.px(y))' width='\(Fmt.px(half))' height='5' fill='#222' stroke='#222' stroke-width='0.8'/>"
            + "<rect x='\(Fmt.px(x0 + half))' y='\(Fmt.px(y))' width='\(Fmt.px(half))' height='5' fill='#fff' stroke='#222' stroke-width='0.8'/>"
            + "<text x='\(Fmt.px(x0))' y='\(Fmt.px(y - 4))' text-anchor='middle'>0</text>"
            + "<text x='\(Fmt.px(right))' y='\(Fmt.px(y - 4))' text-anchor='middle'>\(label)</text></g>"
    }
}

/// Equirectangular projection with longitude scaled by cos(mid-latitude), so shapes keep their
/// proportions at the city's latitude; y grows southwards (north up).
struct Projection {
    let box: BoundingBox
    let xFactor: Double
    /// Pixels per degree of latitude (per coordinate unit for projected data).
    let scale: Double
    let left: Double, top: Double
    let width: Double, height: Double
    let kmPerUnit: Double

    init(_ box: BoundingBox, left: Double, top: Double, maxWidth: Double, maxHeight: Double) {
        // Coordinates outside lon/lat range are taken as metres (a projected CRS) rather than
        // drawing a nonsense scale bar.
        let geographic = box.minX >= -180 && box.maxX <= 180 && box.minY >= -90 && box.maxY <= 90
        xFactor = geographic ? cos(box.center.y * .pi / 180) : 1
        kmPerUnit = geographic ? 111.32 : 0.001
        let spanX = box.width * xFactor, spanY = box.height
        let fit = min(spanX > 0 ? maxWidth / spanX : .infinity, spanY > 0 ? maxHeight / spanY : .infinity)
        scale = fit.isFinite ? fit : 1  // a single point: any scale will do
        self.box = box
        width = spanX * scale
        height = max(spanY * scale, 20)
        // Centred horizontally when the height limit made the map narrower than the space.
        self.left = left + (maxWidth - width) / 2
        self.top = top
    }

    var kmPerPixel: Double { kmPerUnit / scale }

    func point(_ c: Coordinate) -> (x: Double, y: Double) {
        (left + (c.x - box.minX) * xFactor * scale, top + (box.maxY - c.y) * scale)
    }

    /// Rings as SVG subpaths, rounded to 0.1 px with repeated points dropped (they are common
    /// after rounding and only add bytes).
    func pathData(_ rings: [[Coordinate]], close: Bool = true) -> String {
        var d = ""
        for ring in rings {
            var points: [String] = []
            for c in ring {
                let (x, y) = point(c)
                let s = "\(Fmt.px(x)),\(Fmt.px(y))"
                if s != points.last { points.append(s) }
            }
            if close, points.count > 1, points.first == points.last { points.removeLast() }
            guard let first = points.first else { continue }
            d += "M" + first
            if points.count > 1 { d += "L" + points.dropFirst().joined(separator: " ") }
            if close { d += "Z" }
        }
        return d
    }
}

/// The palette's bands and "no data" as swatches, wrapping into rows to fit `maxWidth`.
struct Legend {
    let title: String
    let items: [(colour: String, label: String)]
    let positions: [(x: Double, row: Int)]
    let rowHeight = 18.0

    init(title: String, items: [(colour: String, label: String)], maxWidth: Double) {
        self.title = title
        self.items = items
        var x = 0.0, row = 0
        var out: [(Double, Int)] = []
        let labelWidth = Fmt.textWidth(title, size: 11) + 10
        x = labelWidth
        for item in items {
            let w = 18 + Fmt.textWidth(item.label, size: 11) + 12
            if x + w > max(maxWidth, 120), x > labelWidth { x = labelWidth; row += 1 }
            out.append((x, row))
            x += w
        }
        positions = out
    }

    var height: Double { Double((positions.last?.row ?? 0) + 1) * rowHeight + 4 }

    func svg(left: Double, top: Double) -> String {
        var s = "<g class='legend' font-size='11' fill='#222'><text x='\(Fmt.px(left))' y='\(Fmt.px(top + 12))' font-weight='600'>\(Fmt.escape(title))</text>"
        for (item, pos) in zip(items, positions) {
            let x = left + pos.x, y = top + Double(pos.row) * rowHeight
            s += "<rect x='\(Fmt.px(x))' y='\(Fmt.px(y + 2))' width='13' height='13' fill='\(item.colour)' stroke='#777' stroke-width='0.5'/>"
            s += "<text x='\(Fmt.px(x + 18))' y='\(Fmt.px(y + 12))'>\(Fmt.escape(item.label))</text>"
        }
        return s + "</g>"
    }
}
