import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import GeoCore
// @testable for the memberwise initialisers of UnitAging, CouncilAging and AgingStudy,
// which are internal (AgingStudy.run needs files).
@testable import Demography
import Report

/// A unit whose polygon is the unit square at (lon, lat) = (135 + col·0.01, 34 + row·0.01).
func unit(_ id: String, _ name: String, col: Double, row: Double, population: Int, aged: Int, households: Int?,
          council: String? = nil) -> UnitAging {
    let (x, y, s) = (135 + col * 0.01, 34 + row * 0.01, 0.01)
    let square = Polygon(exterior: [Coordinate(x, y), Coordinate(x + s, y), Coordinate(x + s, y + s), Coordinate(x, y + s), Coordinate(x, y)])
    let f = AgingFigures(population: population, aged: aged, households: households)
    return UnitAging(id: id, name: name, keyCode: "3521100" + id, figures: f, classes: AgingThresholds().classes(f),
                     status: "counted", council: council, geometry: .polygon(square), areaM2: nil)
}

func sampleStudy() -> AgingStudy {
    let areas = [
        unit("010", "東深川", col: 0, row: 0, population: 1200, aged: 300, households: 500, council: "深川地区"),
        unit("020", "仙崎", col: 1, row: 0, population: 800, aged: 360, households: 350),
        unit("030", "俵山", col: 0, row: 1, population: 400, aged: 210, households: 180, council: "深川地区"),
        unit("040", "R&D <park>", col: 1, row: 1, population: 100, aged: 20, households: 40),
    ]
    var hamlets = [
        unit("H1", "大坊", col: 0, row: 0, population: 30, aged: 18, households: 12, council: "深川地区"),
        unit("H2", "湯本", col: 1, row: 0, population: 200, aged: 70, households: 90),
        unit("H3", "上ノ原", col: 0, row: 1, population: 25, aged: 14, households: 11),
        unit("H4", "中村", col: 1, row: 1, population: 60, aged: 28, households: 30),
    ]
    // A hamlet with a hole, to check subpaths.
    hamlets[3].geometry = .polygon(Polygon(
        exterior: hamlets[3].geometry!.polygons[0].exterior,
        holes: [[Coordinate(135.013, 34.013), Coordinate(135.017, 34.013), Coordinate(135.017, 34.017), Coordinate(135.013, 34.013)]]))
    let council = Council(name: "深川地区", area: "長門", fiscalYear: 2024, keyCodes: ["010", "030"],
                          published: AgingFigures(population: 1610, aged: 500, households: nil))
    let figures = areas[0].figures! + areas[2].figures!
    let councils = [CouncilAging(council: council, figures: figures, classes: AgingThresholds().classes(figures),
                                 basis: "small areas", members: 2)]
    let city = areas.compactMap(\.figures).reduce(AgingFigures.zero, +)
    return AgingStudy(thresholds: AgingThresholds(), city: city, areas: areas, hamlets: hamlets, councils: councils,
                      join: CensusJoin(table: "test.csv", areas: [:]))
}

/// Parses with Foundation's XMLParser and collects each element's attributes.
final class Collector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        elements.append((name, attributes))
    }
}

func parse(_ xml: String) -> Collector? {
    let parser = XMLParser(data: Data(xml.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector : nil
}

/// The first y of a path's first "M x,y".
func firstY(_ d: String) -> Double? {
    guard let comma = d.firstIndex(of: ",") else { return nil }
    return Double(d[d.index(after: comma)...].prefix { "0123456789.-".contains($0) })
}

@Test func mapIsWellFormedWithOnePathPerUnitInPaletteColours() throws {
    let study = sampleStudy()
    let svg = SVGMap.choropleth(study.areas, title: "Small areas & hamlets", outline: [study.areas[0].geometry!])
    let xml = try #require(parse(svg))
    let paths = xml.elements.filter { $0.name == "path" && $0.attributes["class"] == "unit" }
    #expect(paths.count == study.areas.count)
    for u in study.areas {
        let p = paths.first { $0.attributes["data-id"] == u.id }
        #expect(p?.attributes["fill"] == Palette.agingColour(u.figures?.rate))
    }
    #expect(paths.first { $0.attributes["data-id"] == "030" }?.attributes["fill"] == "#b30000")  // 52.5 %
    #expect(svg.contains("Small areas &amp; hamlets"))
    #expect(svg.contains("R&amp;D &lt;park&gt;"))
    #expect(!svg.contains("R&D"))
}

@Test func mapIsDeterministic() {
    let study = sampleStudy()
    #expect(SVGMap.choropleth(study.hamlets, title: "x", highlightCouncils: true)
        == SVGMap.choropleth(study.hamlets, title: "x", highlightCouncils: true))
}

@Test func mapKeepsNorthUp() throws {
    let study = sampleStudy()
    let xml = try #require(parse(SVGMap.choropleth(study.areas, title: "north")))
    func y(_ id: String) -> Double? { firstY(xml.elements.first { $0.attributes["data-id"] == id }?.attributes["d"] ?? "") }
    // 030 lies north of 010 (row 1 vs row 0).
    let north = try #require(y("030")), south = try #require(y("010"))
    #expect(north < south)
}

@Test func mapHolesAreSubpathsAndCouncilsHighlighted() throws {
    let study = sampleStudy()
    let xml = try #require(parse(SVGMap.choropleth(study.hamlets, title: "h", highlightCouncils: true)))
    let paths = xml.elements.filter { $0.attributes["class"] == "unit" }
    let holed = try #require(paths.first { $0.attributes["data-id"] == "H4" })
    #expect(holed.attributes["d"]?.filter { $0 == "M" }.count == 2)
    #expect(xml.elements.contains { $0.name == "g" && $0.attributes["fill-rule"] == "evenodd" })
    #expect(paths.first { $0.attributes["data-id"] == "H1" }?.attributes["stroke-width"] == "1.5")
    #expect(paths.first { $0.attributes["data-id"] == "H2" }?.attributes["stroke-width"] == nil)
}

@Test func mapWithoutGeometryStillParses() {
    #expect(parse(SVGMap.choropleth([], title: "empty")) != nil)
}

@Test func chartsAreWellFormed() throws {
    let study = sampleStudy()
    let histogram = try #require(parse(Charts.histogram(study.hamlets, title: "Hamlets <&>")))
    let bars = histogram.elements.filter { $0.name == "rect" && $0.attributes["fill"] != "#fff" }
    #expect(bars.count == 4)  // 35, 46.7, 56, 60 % fall in four bins
    let councils = try #require(parse(Charts.councilBars(study.councils, cityRate: study.city.rate)))
    #expect(councils.elements.contains { $0.name == "path" })  // the published diamond
}

@Test func htmlHasKeyFiguresAndJapaneseNames() throws {
    let study = sampleStudy()
    let html = try HTMLReport.document(ReportContent(title: "長門市 高齢化率", notes: ["令和2年国勢調査 & 行政区データ"], aging: study)).html
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<meta charset=\"utf-8\">"))
    #expect(html.contains("長門市 高齢化率"))
    #expect(html.contains("2,500"))   // city population
    #expect(html.contains("890"))     // aged 65+
    #expect(html.contains("35.6%"))   // 890 / 2500
    for name in ["東深川", "仙崎", "俵山", "大坊", "上ノ原", "深川地区"] { #expect(html.contains(name)) }
    #expect(html.contains("令和2年国勢調査 &amp; 行政区データ"))
    #expect(!loadsRemoteResources(html))
    #expect(html.contains("Generated by chiiki"))
    // Small and aged: H1 (60 %, 12 households) and H3 (56 %, 11), highest first.
    let h1 = html.range(of: "<td>H1</td>"), h3 = html.range(of: "<td>H3</td>")
    #expect(h1 != nil && h3 != nil && h1!.lowerBound < h3!.lowerBound)
    #expect(!html.contains("<td>H4</td>"))
}

/// Writes a city-sized synthetic report to look at (CHIIKI_WRITE_SAMPLE=path or 1 for
/// /tmp/report-sample.html): a jittered lattice clipped to an ellipse, so the shapes tile
/// like real boundaries, with rates rising towards the edges as in a rural city.
@Test func writeSampleReport() throws {
    guard let target = ProcessInfo.processInfo.environment["CHIIKI_WRITE_SAMPLE"] else { return }
    let names = ["東深川", "西深川", "仙崎", "通", "俵山", "三隅上", "三隅中", "三隅下", "日置上", "日置中", "日置下", "油谷新別名",
                 "油谷伊上", "油谷向津具上", "油谷向津具下", "渋木", "境川", "宗頭", "大日比", "青海島"]
    var seed: UInt64 = 42
    func random() -> Double { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Double(seed >> 11) / Double(1 << 53) }
    let (cols, rows, cell) = (24, 16, 0.012)
    var jitter: [[Coordinate]] = []
    for r in 0...rows {
        jitter.append((0...cols).map { c in Coordinate(131.05 + (Double(c) + (random() - 0.5) * 0.5) * cell,
                                                       34.30 + (Double(r) + (random() - 0.5) * 0.5) * cell) })
    }
    var areas: [UnitAging] = [], hamlets: [UnitAging] = []
    for r in 0..<rows { for c in 0..<cols {
        let (dx, dy) = ((Double(c) + 0.5) / Double(cols) - 0.5, (Double(r) + 0.5) / Double(rows) - 0.5)
        let edge = (dx * dx + dy * dy * 1.6) * 4
        guard edge < 1 else { continue }
        let ring = [jitter[r][c], jitter[r][c + 1], jitter[r + 1][c + 1], jitter[r + 1][c], jitter[r][c]]
        let population = Int(40 + random() * 400 * (1.2 - edge))
        let aged = Int(Double(population) * min(0.85, 0.22 + edge * 0.4 + random() * 0.15))
        let f = AgingFigures(population: population, aged: aged, households: population / 2 - Int(random() * Double(population) / 3))
        let id = "H\(String(format: "%03d", hamlets.count + 1))"
        let name = names[hamlets.count % names.count] + (hamlets.count >= names.count ? "\(hamlets.count / names.count + 1)区" : "")
        let council = c < cols / 2 && r < rows / 2 ? "深川地区まちづくり協議会" : (c >= cols / 2 && r < rows / 3 ? "仙崎地区" : nil)
        hamlets.append(UnitAging(id: id, name: name, keyCode: "", figures: f, classes: AgingThresholds().classes(f), status: "counted",
                                 council: council, geometry: .polygon(Polygon(exterior: ring)), areaM2: nil))
        if r % 2 == 0, c % 2 == 0, r + 1 < rows, c + 1 < cols {
            let big = [jitter[r][c], jitter[r][c + 2], jitter[r + 2][c + 2], jitter[r + 2][c], jitter[r][c]]
            let g = AgingFigures(population: population * 4, aged: aged * 4 + Int(random() * 50), households: population * 2)
            let key = String(format: "35211%04d", areas.count * 10)
            areas.append(UnitAging(id: key, name: names[areas.count % names.count] + "町", keyCode: key,
                                   figures: areas.count % 17 == 5 ? nil : g, classes: AgingThresholds().classes(g),
                                   status: areas.count % 17 == 5 ? "suppressed" : "counted", council: council,
                                   geometry: .polygon(Polygon(exterior: big)), areaM2: nil))
        }
    } }
    func council(_ name: String, _ area: String, published: Bool) -> CouncilAging {
        let members = hamlets.filter { $0.council == name }
        let f = members.compactMap(\.figures).reduce(.zero, +)
        return CouncilAging(council: Council(name: name, area: area, fiscalYear: 2024,
                                             published: published ? AgingFigures(population: f.population, aged: f.aged * 103 / 100, households: nil) : nil),
                            figures: f, classes: AgingThresholds().classes(f), basis: "hamlets", members: members.count)
    }
    let study = AgingStudy(thresholds: AgingThresholds(), city: areas.compactMap(\.figures).reduce(.zero, +), areas: areas,
                           hamlets: hamlets, councils: [council("深川地区まちづくり協議会", "長門", published: true), council("仙崎地区", "長門", published: false)],
                           join: CensusJoin(table: "sample.csv", areas: [:]))
    // An ellipse round the lattice stands in for the city boundary.
    let boundary = (0...64).map { i -> Coordinate in
        let a = Double(i % 64) / 64 * 2 * Double.pi
        return Coordinate(131.05 + cell * (Double(cols) / 2 + Double(cols) / 2 * cos(a)), 34.30 + cell * (Double(rows) / 2 + Double(rows) / 2 / 1.26 * sin(a)))
    }
    let html = try HTMLReport.document(ReportContent(title: "長門市（試作）高齢化率レポート", notes: [
        "Small areas: synthetic lattice for a visual check, not real boundaries.",
        "Hamlets: synthetic counts; R&D <test> of escaping.",
    ], aging: study, outline: [.polygon(Polygon(exterior: boundary))])).html
    let path = target == "1" ? "/tmp/report-sample.html" : target
    try html.write(toFile: path, atomically: true, encoding: .utf8)
    // And the small-areas-only variant (no hamlet layer, no councils).
    var areasOnly = study
    areasOnly.hamlets = []
    areasOnly.councils = []
    try HTMLReport.document(ReportContent(title: "長門市 小地域のみ", aging: areasOnly)).html.write(
        toFile: path.replacingOccurrences(of: ".html", with: "-areas.html"), atomically: true, encoding: .utf8)
}

@Test func everyFigureIsWellFormedAndInlineAndMissingAnalysesAreExplained() throws {
    let content = ReportContent(title: "長門市", aging: sampleStudy(),
                                omitted: [.init(section: "Hamlet mergers", reason: "no hamlet layer given (--hamlets)")])
    let report = try HTMLReport.document(content)
    #expect(report.figures.map(\.name) == ["map_aging_hamlets.svg", "map_aging_small_areas.svg", "chart_aging_histogram.svg", "chart_councils.svg"])
    for figure in report.figures {
        #expect(parse(figure.svg) != nil, "\(figure.name) is not well-formed XML")
        #expect(report.html.contains(figure.svg), "\(figure.name) is not inline in the page")
    }
    #expect(report.html.contains("<h2>Hamlet mergers</h2>"))
    #expect(report.html.contains("Not in this report: no hamlet layer given (--hamlets)."))
    #expect(!loadsRemoteResources(report.html))
    #expect(try HTMLReport.document(content).html == report.html)
}

/// Whether a page loads anything from the network: a script with a src, or, outside the inlined
/// scripts (Leaflet's source names its home page in a string, which loads nothing), a remote src,
/// href, url() or @import.
func loadsRemoteResources(_ html: String) -> Bool {
    if html.range(of: #"<script[^>]*\ssrc="#, options: .regularExpression) != nil { return true }
    let outside = html.replacingOccurrences(of: #"(?s)<script>.*?</script>"#, with: "", options: .regularExpression)
    return outside.range(of: #"(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?(https?:)?//|@import"#,
                         options: .regularExpression) != nil
}
