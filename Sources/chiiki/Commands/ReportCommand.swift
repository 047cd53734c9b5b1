import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning
import Report

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "An offline HTML report with maps and charts: aging, council coverage and hamlet mergers.",
        discussion: """
        Runs every analysis its inputs allow and writes OUT/index.html (one file,
        no network: an interactive Leaflet map inlined, static SVG maps for print
        and without JavaScript) and each map and chart as its own SVG beside it. An analysis without its inputs is left out, and the report
        says why: aging needs --census, coverage --councils, mergers --hamlets
        (plus --scenarios for named scenarios). Small hubs (小さな拠点): --hubs
        sites covering the most people aged 65+ within --hub-radius metres
        (MCLP), demand from the hamlets, else from the small areas and census.
        Community taxis: the transit gap under --bus-stops and --stations, 12 new
        stops, and routes to --taxi-hubs (along --roads when given); with --trips
        (or --places to estimate them) dial-a-ride routes from --taxi-hubs, a
        vehicle timeline and the day's costs (--cost-per-hour, --fare). The aging
        projection: --previous (the census five years before --census),
        --base-year and --to, as chiiki project.

        Examples:
          chiiki report --boundaries geodata/nagato/h27ka35211.shp \\
                        --census geodata/nagato/census_age_2015_synthetic.csv \\
                        --hamlets geodata/nagato/hamlets_2014_synthetic.geojson \\
                        --councils geodata/nagato/councils_2017.json \\
                        --outline geodata/nagato/outline_n03.geojson \\
                        --scenarios geodata/nagato/merge_scenarios_example.yaml \\
                        --bus-stops geodata/nagato/bus_stops_p11_synthetic.geojson \\
                        --stations geodata/nagato/stations_n02_synthetic.geojson \\
                        --taxi-hubs geodata/nagato/taxi_hubs_synthetic.geojson \\
                        -o notebooks-out/nagato
          chiiki report --boundaries h27ka31.shp --census census.csv -o out/tottori
        """)

    @Option(help: "Census small-area boundaries (e-Stat Shapefile, GeoJSON or GeoPackage).")
    var boundaries: String

    @Option(help: "e-Stat census CSV by small area (ages), for aging rates.")
    var census: String?

    @Option(help: "Hamlet (行政区) polygons, for hamlet aging rates and mergers.")
    var hamlets: String?

    @Option(help: "Council mapping (JSON/CSV), for council figures and coverage.")
    var councils: String?

    @Option(help: "City outline drawn over the maps (e.g. N03).")
    var outline: String?

    @Option(help: "Merge scenarios (YAML or JSON).")
    var scenarios: String?

    @Option(help: "Number of small hubs (小さな拠点) to site (0: none).")
    var hubs = 5

    @Option(help: "Service radius of a hub, in metres.")
    var hubRadius = 3_000.0

    @Option(help: "Bus stops (points, e.g. 国土数値情報 P11), for the transit gap and community taxis.")
    var busStops: [String] = []

    @Option(help: "Railway stations (points or N02 station lines), for the transit gap.")
    var stations: [String] = []

    @Option(help: "Community-taxi hubs (points with name and vehicles), for routes to them.")
    var taxiHubs: String?

    @Option(help: "Road lines, for road-network distances of the taxi routes.")
    var roads: String?

    @Option(help: "Dial-a-ride bookings (CSV, as chiiki taxi --trips), routed from --taxi-hubs.")
    var trips: String?

    @Option(help: "Places people travel to (points: name, kind), named by --trips or for estimated trips.")
    var places: String?

    @Option(help: "Dial-a-ride: operating cost per vehicle-hour (yen).")
    var costPerHour = 0.0

    @Option(help: "Dial-a-ride: fare per rider (yen).")
    var fare = 0.0

    @Option(help: "The census five years before --census, for the aging projection.")
    var previous: String?

    @Option(help: "With --previous: the census year of --census.")
    var baseYear: Int?

    @Option(name: .customLong("to"), help: "With --previous: the last year to project.")
    var horizon: Int?

    @Option(help: "Report title (default: the city's name from the boundaries).")
    var title: String?

    @Option(name: .shortAndLong, help: "Output folder for index.html and the SVGs (created if missing).")
    var output: String

    @OptionGroup var geopackage: GeoPackageOption

    @Option(help: "Background of the interactive map: plain (offline) or gsi (地理院タイル, needs the network when viewed).")
    var basemap: ReportContent.Basemap = .plain

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var sources = StudyAreaSources(boundaries: boundaries, census: census, hamlets: hamlets, councils: councils, outline: outline)
            sources.encoding = common.encoding
            var options = ReportOptions()
            options.title = title
            options.basemap = basemap
            options.scenarios = scenarios
            options.hubs = hubs
            options.hubRadius = hubRadius
            options.taxi.busStops = busStops; options.taxi.stations = stations
            options.taxi.hubs = taxiHubs; options.taxi.roads = roads; options.taxi.encoding = common.encoding
            options.taxi.trips = trips; options.taxi.places = places
            options.taxi.costs.perHour = costPerHour; options.taxi.costs.fare = fare
            if (trips != nil || places != nil) && taxiHubs == nil { throw ValidationError("--trips and --places need --taxi-hubs") }
            if let previous {
                guard census != nil, let baseYear, let horizon else {
                    throw ValidationError("--previous needs --census, --base-year and --to")
                }
                options.projection = (previous, baseYear, horizon)
            }
            try geopackage.check()
            let area = try StudyArea.load(sources, progress: console.progress)
            let content = try ReportStudy.run(area, options: options, progress: console.progress)
            let paths = try ReportStudy.write(content, to: output, progress: console.progress)
                + geopackage.write({ try content.layers() }, console: console)
            console.progress("done")
            console.line("chiiki report — \(content.title)")
            for path in paths { console.row("wrote", path) }
        }
    }
}

extension ReportContent.Basemap: ExpressibleByArgument {}
