import GeoCore
import Demography

/// Small SVG charts of aging rates, in the map's colours.
public enum Charts {
    /// Units per 5-point aging-rate bin (0–5 %, …, 95–100 %), bars coloured by the palette at the
    /// bin's lower edge, with the 45 % and 50 % thresholds as dashed lines.
    public static func histogram(_ units: [UnitAging], title: String, width: Int = 480, height: Int = 260) -> String {
        let (w, h) = (Double(max(width, 240)), Double(max(height, 160)))
        let (left, right, top, bottom) = (44.0, 14.0, 44.0, 40.0)
        let plotW = w - left - right, plotH = h - top - bottom
        let rates = units.compactMap { $0.figures?.rate }
        var counts = [Int](repeating: 0, count: 20)
        // The epsilon keeps exactly 50 % (e.g. 532/1064) in the 50–55 bin, as the classes do.
        for r in rates { counts[min(max(Int((r * 20 + 1e-9).rounded(.down)), 0), 19)] += 1 }

        let step = max(1, Int(Fmt.niceFloor(Double(max(counts.max() ?? 0, 1)) / 3)))
        // Always a step of headroom, so the tallest bar's count clears the threshold labels.
        let yMax = ((counts.max() ?? 0) / step + 1) * step
        let binW = plotW / 20
        func x(_ share: Double) -> Double { left + share * plotW }
        func y(_ count: Int) -> Double { top + plotH - Double(count) / Double(yMax) * plotH }

        var s = [SVGMap.header(width: w, height: h, label: title)]
        s.append("<text x='\(Fmt.px(left))' y='20' font-size='15' font-weight='600' fill='#222'>\(Fmt.escape(title))</text>")
        let missing = units.count - rates.count
        s.append("<text x='\(Fmt.px(w - right))' y='20' font-size='11' fill='#666' text-anchor='end'>n = \(TextFormat.grouped(rates.count))\(missing > 0 ? " (\(TextFormat.grouped(missing)) without figures)" : "")</text>")
        // Grid and y ticks.
        s.append("<g font-size='10' fill='#444' text-anchor='end'>")
        for c in stride(from: 0, through: yMax, by: step) {
            s.append("<line x1='\(Fmt.px(left))' x2='\(Fmt.px(w - right))' y1='\(Fmt.px(y(c)))' y2='\(Fmt.px(y(c)))' stroke='#e4e4e4'/><text x='\(Fmt.px(left - 5))' y='\(Fmt.px(y(c) + 3.5))'>\(c)</text>")
        }
        s.append("</g>")
        // Bars, with counts above.
        s.append("<g stroke='#777' stroke-width='0.5'>")
        for (i, n) in counts.enumerated() where n > 0 {
            let lower = Double(i) * 0.05
            s.append("<rect x='\(Fmt.px(left + Double(i) * binW + 1))' y='\(Fmt.px(y(n)))' width='\(Fmt.px(binW - 2))' height='\(Fmt.px(y(0) - y(n)))' fill='\(Palette.agingColour(lower))'><title>\(i * 5)–\(i * 5 + 5)%: \(n)</title></rect>")
            s.append("<text x='\(Fmt.px(left + (Double(i) + 0.5) * binW))' y='\(Fmt.px(y(n) - 3))' font-size='9' fill='#444' stroke='none' text-anchor='middle'>\(n)</text>")
        }
        s.append("</g>")
        // Thresholds: 45 % label left of its line, 50 % right, so they don't collide one bin apart.
        let t = AgingThresholds()
        for (share, anchor, dx) in [(t.support, "end", -3.0), (t.marginal, "start", 3.0)] {
            s.append("<line x1='\(Fmt.px(x(share)))' x2='\(Fmt.px(x(share)))' y1='\(Fmt.px(top - 8))' y2='\(Fmt.px(y(0)))' stroke='#222' stroke-width='1' stroke-dasharray='4 3'/>")
            s.append("<text x='\(Fmt.px(x(share) + dx))' y='\(Fmt.px(top - 2))' font-size='10' font-weight='600' fill='#222' text-anchor='\(anchor)'>\(Fmt.threshold(share))</text>")
        }
        // X axis.
        s.append("<line x1='\(Fmt.px(left))' x2='\(Fmt.px(w - right))' y1='\(Fmt.px(y(0)))' y2='\(Fmt.px(y(0)))' stroke='#444'/>")
        s.append("<g font-size='10' fill='#444' text-anchor='middle'>")
        for p in stride(from: 0, through: 100, by: 10) {
            let px = x(Double(p) / 100)
            s.append("<line x1='\(Fmt.px(px))' x2='\(Fmt.px(px))' y1='\(Fmt.px(y(0)))' y2='\(Fmt.px(y(0) + 4))' stroke='#444'/><text x='\(Fmt.px(px))' y='\(Fmt.px(y(0) + 15))'>\(p)%</text>")
        }
        s.append("</g>")
        s.append("<text x='\(Fmt.px(left + plotW / 2))' y='\(Fmt.px(h - 6))' font-size='11' fill='#444' text-anchor='middle'>aging rate (share aged 65+)</text>")
        s.append("<text transform='translate(12 \(Fmt.px(top + plotH / 2))) rotate(-90)' font-size='11' fill='#444' text-anchor='middle'>count</text>")
        s.append("</svg>")
        return s.joined(separator: "\n")
    }

    /// Each council's computed aging rate as a bar, the plan's published rate as a diamond where
    /// given, and the city's rate as a dashed reference line.
    public static func councilBars(_ councils: [CouncilAging], width: Int = 640, cityRate: Double? = nil,
                                   title: String = "Aging rate by community council") -> String {
        let w = Double(max(width, 320))
        let rowH = 22.0, top = 52.0, bottom = 30.0
        let h = top + Double(max(councils.count, 1)) * rowH + bottom
        let labelW = min(councils.map { Fmt.textWidth($0.council.name, size: 12) }.max() ?? 0, w * 0.35) + 14
        let (left, right) = (labelW, 54.0)
        let plotW = w - left - right
        let shares = councils.compactMap(\.figures.rate) + councils.compactMap { $0.council.published?.rate } + [cityRate ?? 0, 0.1]
        let xMax = min(1, ((shares.max()! * 10) - 1e-9).rounded(.up) / 10)
        func x(_ share: Double) -> Double { left + min(share, xMax) / xMax * plotW }

        var s = [SVGMap.header(width: w, height: h, label: title)]
        s.append("<text x='12' y='20' font-size='15' font-weight='600' fill='#222'>\(Fmt.escape(title))</text>")
        // Key to the marks.
        var key = "<g font-size='11' fill='#444'><rect x='12' y='30' width='12' height='10' fill='\(Palette.agingClasses[2].colour)' stroke='#777' stroke-width='0.5'/><text x='28' y='39'>computed</text>"
        key += "<path d='\(diamond(98, 35))' fill='#fff' stroke='#222' stroke-width='1.2'/><text x='106' y='39'>published in the plan</text>"
        if let cityRate {
            key += "<line x1='240' x2='258' y1='35' y2='35' stroke='#222' stroke-dasharray='4 3'/><text x='262' y='39'>city \(TextFormat.percent(cityRate))</text>"
        }
        s.append(key + "</g>")
        if councils.isEmpty {
            s.append("<text x='\(Fmt.px(w / 2))' y='\(Fmt.px(top + 15))' font-size='12' fill='#666' text-anchor='middle'>no councils</text>")
        }
        // Grid and x ticks, every 10 points.
        let axisY = top + Double(councils.count) * rowH
        s.append("<g font-size='10' fill='#444' text-anchor='middle'>")
        for p in stride(from: 0, through: Int((xMax * 100).rounded()), by: 10) {
            let px = x(Double(p) / 100)
            s.append("<line x1='\(Fmt.px(px))' x2='\(Fmt.px(px))' y1='\(Fmt.px(top - 4))' y2='\(Fmt.px(axisY + 4))' stroke='#e4e4e4'/><text x='\(Fmt.px(px))' y='\(Fmt.px(axisY + 16))'>\(p)%</text>")
        }
        s.append("</g>")
        for (i, c) in councils.enumerated() {
            let y0 = top + Double(i) * rowH, mid = y0 + rowH / 2
            let published = c.council.published?.rate
            var tip = "\(c.council.name): \(TextFormat.percent(c.figures.rate)) computed from \(c.members) \(c.basis)"
            if let published { tip += ", \(TextFormat.percent(published)) published" }
            s.append("<g><title>\(Fmt.escape(tip))</title>")
            s.append("<text x='\(Fmt.px(left - 8))' y='\(Fmt.px(mid + 4))' font-size='12' fill='#222' text-anchor='end'>\(Fmt.escape(c.council.name))</text>")
            if let rate = c.figures.rate {
                s.append("<rect x='\(Fmt.px(left))' y='\(Fmt.px(y0 + 4))' width='\(Fmt.px(x(rate) - left))' height='\(Fmt.px(rowH - 8))' fill='\(Palette.agingColour(rate))' stroke='#777' stroke-width='0.5'/>")
                // The value goes inside the bar's end, clear of the diamond and the city line;
                // outside only when the bar is too short to hold it.
                let inside = x(rate) - left > 48
                let ink = inside && rate >= Palette.agingClasses[3].lower ? "#fff" : "#222"
                s.append("<text x='\(Fmt.px(x(rate) + (inside ? -4 : 4)))' y='\(Fmt.px(mid + 4))' font-size='11' fill='\(ink)' text-anchor='\(inside ? "end" : "start")'>\(TextFormat.percent(rate))</text>")
            } else {
                s.append("<text x='\(Fmt.px(left + 4))' y='\(Fmt.px(mid + 4))' font-size='11' fill='#666'>no figures</text>")
            }
            if let published {
                s.append("<path d='\(diamond(x(published), mid))' fill='#fff' stroke='#222' stroke-width='1.2'/>")
            }
            s.append("</g>")
        }
        if let cityRate {
            s.append("<line x1='\(Fmt.px(x(cityRate)))' x2='\(Fmt.px(x(cityRate)))' y1='\(Fmt.px(top - 4))' y2='\(Fmt.px(axisY))' stroke='#222' stroke-width='1' stroke-dasharray='4 3'/>")
        }
        s.append("<line x1='\(Fmt.px(left))' x2='\(Fmt.px(left))' y1='\(Fmt.px(top - 4))' y2='\(Fmt.px(axisY))' stroke='#444'/>")
        s.append("</svg>")
        return s.joined(separator: "\n")
    }

    static func diamond(_ x: Double, _ y: Double) -> String {
        "M\(Fmt.px(x)),\(Fmt.px(y - 5))L\(Fmt.px(x + 4)),\(Fmt.px(y)) \(Fmt.px(x)),\(Fmt.px(y + 5)) \(Fmt.px(x - 4)),\(Fmt.px(y))Z"
    }
}

/// The frame of a bar chart of shares (0–100 %): the title, a grid line every 25 %, and one
/// slot per bar with the bar in its middle 60 % and a label under it.
struct ShareBars {
    let w: Double, h: Double
    let left = 48.0, right = 16.0, top = 44.0, bottom = 30.0
    let slot: Double

    init(width: Int, height: Int, bars: Int) {
        w = Double(width); h = Double(height)
        slot = (w - left - right) / Double(max(bars, 1))
    }

    func y(_ share: Double) -> Double { top + (1 - min(max(share, 0), 1)) * (h - top - bottom) }
    /// The left edge of bar `i`.
    func x(_ i: Int) -> Double { left + Double(i) * slot + slot * 0.2 }
    var barWidth: Double { slot * 0.6 }

    /// The SVG's opening: header, title and grid.
    func opening(title: String) -> [String] {
        var s = [SVGMap.header(width: w, height: h, label: title)]
        s.append("<text x='12' y='24' font-size='15' font-weight='600' fill='#222'>\(Fmt.escape(title))</text>")
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            s.append("<line x1='\(Fmt.px(left))' x2='\(Fmt.px(w - right))' y1='\(Fmt.px(y(tick)))' y2='\(Fmt.px(y(tick)))' stroke='#e5e5e5'/>"
                     + "<text x='\(Fmt.px(left - 6))' y='\(Fmt.px(y(tick) + 4))' font-size='11' text-anchor='end' fill='#555'>\(Int(tick * 100))%</text>")
        }
        return s
    }

    /// A bar of `share` in slot `i`, with an optional tooltip.
    func bar(_ i: Int, _ share: Double, fill: String, tooltip: String? = nil) -> String {
        let body = tooltip.map { "><title>\($0)</title></rect>" } ?? "/>"
        return "<rect x='\(Fmt.px(x(i)))' y='\(Fmt.px(y(share)))' width='\(Fmt.px(barWidth))' height='\(Fmt.px(y(0) - y(share)))' fill='\(fill)'\(body)"
    }

    /// Text centred over bar `i` at height `y`.
    func text(_ i: Int, y: Double, size: Int, _ text: String) -> String {
        "<text x='\(Fmt.px(x(i) + slot * 0.3))' y='\(Fmt.px(y))' font-size='\(size)' text-anchor='middle' fill='#222'>\(text)</text>"
    }

    /// The label under bar `i`.
    func label(_ i: Int, _ text: String) -> String { self.text(i, y: h - bottom + 18, size: 12, text) }
}
