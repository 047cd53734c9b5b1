import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoIO
import TestSupport
import Testing

/// `chiiki report` and the demo's report: files, well-formed SVG, missing analyses, and a
/// render in headless Chromium.
@Suite("chiiki report")
struct ReportCLITests {
    static let inputs = ["--boundaries", CLITests.boundaries, "--census", CLITests.census,
                         "--hamlets", CLI.nagato("hamlets_2014_synthetic.geojson"), "--councils", CLITests.councils,
                         "--outline", CLI.nagato("outline_n03.geojson"), "--scenarios", CLI.nagato("merge_scenarios_example.yaml"),
                         "--bus-stops", CLI.nagato("bus_stops_p11_synthetic.geojson"), "--stations", CLI.nagato("stations_n02_synthetic.geojson"),
                         "--taxi-hubs", CLI.nagato("taxi_hubs_synthetic.geojson")]
    static let figures = ["map_aging_hamlets.svg", "map_aging_small_areas.svg", "chart_aging_histogram.svg", "chart_councils.svg",
                          "map_coverage.svg", "chart_coverage_share.svg", "map_merge_01.svg", "map_merge_02.svg",
                          "map_merge_03.svg", "map_merge_04.svg", "map_hubs.svg", "chart_hub_coverage_curve.svg", "map_taxi.svg"]

    func text(_ dir: TemporaryDirectory, _ name: String) throws -> String {
        String(decoding: try CLI.contents(URL(fileURLWithPath: dir.file(name))), as: UTF8.self)
    }

    @Test func sameRunTwiceIsByteIdentical() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory()
        #expect(try CLI.run(["report"] + Self.inputs + ["-o", a.path, "-q"]).status == 0)
        #expect(try CLI.run(["report"] + Self.inputs + ["-o", b.path, "-q"]).status == 0)
        for name in ["index.html"] + Self.figures {
            #expect(try CLI.contents(URL(fileURLWithPath: a.file(name))) == CLI.contents(URL(fileURLWithPath: b.file(name))), "\(name)")
        }
    }

    /// The demo's report, rendered as a planner would see it: a PNG of the page's top with
    /// content in it (`make test` and `.ci/run` install Chromium and CJK fonts).
    @Test(.enabled(if: Chromium.path != nil, "chromium is not installed (make test and .ci/run install it)"))
    func demoReportRendersInChromium() throws {
        let dir = try TemporaryDirectory()
        let demo = try CLI.run(["demo", "--out", dir.path, "-q"])
        #expect(demo.status == 0, "\(demo)")
        let png = dir.file("page.png")
        let render = try CLI.run(Chromium.arguments(page: dir.file("nagato/index.html"), png: png, width: 1100, height: 3000),
                                 executable: Chromium.path!)
        #expect(FileManager.default.fileExists(atPath: png), "\(render)")
        let image = try RasterImage.read(png)
        #expect(image.width == 1100 && image.height == 3000)
        let share = Double(image.nonWhitePixels) / Double(image.width * image.height)
        #expect(share > 0.1, "only \(share) of the page is not white")

        // The interactive map, as a reader uses it: a link to the page naming a hamlet zooms to
        // it and clicks it (a DOM click event on its polygon); the popup gives its figures.
        let hamlet = "油谷向津具下8区"
        let link = "nagato/index.html#show=" + hamlet.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let dom = try CLI.run(Chromium.dumpDOM(page: dir.file(link)), executable: Chromium.path!)
        let popup = dom.stdout.components(separatedBy: "leaflet-popup-content\"").dropFirst().first ?? ""
        for text in [hamlet, "aging rate (高齢化率)</th><td>59.1 %", "≥ 50 % (限界集落)", "council (地域協働体)</th><td>むかつく地域協議会",
                     "council since FY</th><td>2016", "hub (小さな拠点)</th><td>", "in the transit gap"] {
            #expect(popup.contains(text), "the popup lacks \(text)")
        }
        let mapPNG = ProcessInfo.processInfo.environment["CHIIKI_RECORD_DOCS"] != nil ? Repository.path("docs/interactive-map.png") : dir.file("map.png")
        _ = try CLI.run(Chromium.arguments(page: dir.file(link), png: mapPNG, width: 1100, height: 800), executable: Chromium.path!)
        #expect(try RasterImage.read(mapPNG).nonWhitePixels > 100_000, "the map with its popup is drawn")
    }
}

enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func arguments(page: String, png: String, width: Int, height: Int) -> [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),\(height)",
         "--virtual-time-budget=3000", "--screenshot=\(png)", "file://\(page)"]
    }

    /// The page's DOM after its scripts ran.
    static func dumpDOM(page: String) -> [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000", "--dump-dom", "file://\(page)"]
    }
}
