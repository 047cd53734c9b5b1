import Demography
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Planning
import Report
import TestSupport
import Testing

/// The report composed from studies run once on one study area.
@Suite struct ReportStudyTests {
    static func nagato(_ name: String) -> String { Repository.nagato(name) }

    /// Every analysis of the report on the Nagato sample, as the demo runs them.
    static func nagatoContent() throws -> ReportContent {
        let area = try StudyArea.load(StudyAreaSources(
            boundaries: Self.nagato("h27ka35211.shp"), census: Self.nagato("census_age_2015_synthetic.csv"),
            hamlets: Self.nagato("hamlets_2014_synthetic.geojson"), councils: Self.nagato("councils_2017.json"),
            outline: Self.nagato("outline_n03.geojson")))
        var options = ReportOptions()
        options.scenarios = Self.nagato("merge_scenarios_example.yaml")
        options.taxi.busStops = [Self.nagato("bus_stops_p11_synthetic.geojson")]
        options.taxi.stations = [Self.nagato("stations_n02_synthetic.geojson")]
        options.taxi.hubs = Self.nagato("taxi_hubs_synthetic.geojson")
        options.projection = (Self.nagato("census_age_2010_synthetic.csv"), 2015, 2045)
        return try ReportStudy.run(area, options: options)
    }

    /// Dial-a-ride beside the gap: its own section with the routes, the vehicles' timeline and the costs.
    @Test func tripsSectionWithTimelineAndCosts() throws {
        let area = try StudyArea.load(StudyAreaSources(boundaries: Self.nagato("h27ka35211.shp"),
                                                       hamlets: Self.nagato("hamlets_2014_synthetic.geojson")))
        var options = ReportOptions()
        options.hubs = 0
        options.taxi.busStops = [Self.nagato("bus_stops_p11_synthetic.geojson")]
        options.taxi.hubs = Self.nagato("taxi_hubs_synthetic.geojson")
        options.taxi.trips = Self.nagato("taxi_trips_synthetic.csv")
        options.taxi.places = Self.nagato("taxi_places_synthetic.geojson")
        options.taxi.costs.perHour = 3_500
        options.taxi.costs.fare = 300
        options.taxi.dialARide.iterations = 500
        let content = try ReportStudy.run(area, options: options)
        let trips = try #require(content.trips?.trips)
        #expect(trips.plan.unserved.isEmpty)
        #expect(content.taxi?.routes == nil, "the gap's study routes nothing when trips are booked")
        let report = try HTMLReport.document(content)
        #expect(report.html.contains("Dial-a-ride trips (デマンド型乗合タクシー)"))
        #expect(report.html.contains("48 of 48 bookings served"))
        #expect(report.html.contains("Public cost per rider"))
        let timeline = try #require(report.figures.first { $0.name == "chart_trip_timeline.svg" }?.svg)
        #expect(XMLParser(data: Data(timeline.utf8)).parse())
        // One pick-up and one drop-off mark per booking.
        #expect(timeline.components(separatedBy: "pick-up 0").count - 1 + timeline.components(separatedBy: "pick-up 1").count - 1 == 48)
        #expect(try content.layers().contains { $0.name == "trip_routes" })
    }

    @Test func everyAnalysisWithItsFigures() throws {
        let content = try Self.nagatoContent()
        #expect(content.omitted.isEmpty)
        #expect(content.title == "長門市: aging, councils and hamlets")
        #expect(content.merge?.results.count == 4)
        #expect(content.hubs?.solution.open.count == 5)
        #expect(content.taxi?.proposal?.stops.count == 12)
        let report = try HTMLReport.document(content)
        for heading in ["Key figures", "Aging rate maps", "Council coverage", "Hamlet mergers", "Small and aged hamlets",
                        "小さな拠点 (small hubs)", "Community taxis", "Aging projection (将来推計)"] {
            #expect(report.html.contains(heading), "missing section \(heading)")
        }
        #expect(report.html.contains("35,439 residents"))
        #expect(report.html.contains("油谷向津具下8区"))
        #expect(report.figures.map(\.name) == ["map_aging_hamlets.svg", "map_aging_small_areas.svg", "chart_aging_histogram.svg",
                                               "chart_councils.svg", "map_coverage.svg", "chart_coverage_share.svg", "map_merge_01.svg",
                                               "map_merge_02.svg", "map_merge_03.svg", "map_merge_04.svg", "map_hubs.svg",
                                               "chart_hub_coverage_curve.svg", "map_taxi.svg", "map_projection_hamlets.svg",
                                               "chart_projection_pyramid.svg"])
        #expect(report.html.contains("By 2045 (projected) the aging rate reaches 56.8%"))
        // The interactive map: Leaflet inlined with the layers (make test and .ci/run install libjs-leaflet).
        #expect(report.html.contains("L.map('chiiki-map'"))
        #expect(report.html.contains("Hamlets: aging rate (行政区)"))
        #expect(!loadsRemoteResources(report.html), "no network: no tiles, no remote script")
        for figure in report.figures {
            #expect(XMLParser(data: Data(figure.svg.utf8)).parse(), "\(figure.name) is not well-formed")
        }
        let dir = try TemporaryDirectory()
        let paths = try ReportStudy.write(content, to: dir.file("report"))
        #expect(paths.count == 1 + report.figures.count)
    }

    @Test func missingAnalysesAreLeftOutWithAReason() throws {
        let area = try StudyArea.load(StudyAreaSources(boundaries: Self.nagato("h27ka35211.shp")))
        let content = try ReportStudy.run(area)
        #expect(content.omitted.map(\.reason) == [
            "no census table given (--census)", "no council mapping given (--councils)", "no hamlet layer given (--hamlets)",
            "no hamlet layer (--hamlets) or census (--census) for the demand",
            "no bus stops or stations given (--bus-stops, --stations)",
            "no earlier census given (--previous, with --census)",
        ])
        #expect(try HTMLReport.document(content).html.contains("Not in this report: no census table given (--census)."))
    }
}
