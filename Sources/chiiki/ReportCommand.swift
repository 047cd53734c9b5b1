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
        no scripts or network; prints on A4) and each map and chart as its own
        SVG beside it. An analysis without its inputs is left out, and the report
        says why: aging needs --census, coverage --councils, mergers --hamlets
        (plus --scenarios for named scenarios). Small hubs (小さな拠点): --hubs
        sites covering the most people aged 65+ within --hub-radius metres
        (MCLP), demand from the hamlets, else from the small areas and census.
        Community taxis: the transit gap under --bus-stops and --stations, 12 new
        stops, and routes to --taxi-hubs (along --roads when given).

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

    @Option(help: "Report title (default: the city's name from the boundaries).")
    var title: String?

    @Option(name: .shortAndLong, help: "Output folder for index.html and the SVGs (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var omitted: [ReportContent.Omission] = []
            let aging = try census.map { census in
                try AgingJob(boundaries: boundaries, census: census, hamlets: hamlets, councils: councils, encoding: common.encoding)
                    .run(console: console)
            }
            if aging == nil { omitted.append(.init(section: "Aging rates (高齢化率)", reason: "no census table given (--census)")) }
            let coverage = try councils.map { councils in
                try CoverageJob(districts: boundaries, councils: councils, census: census, encoding: common.encoding).run(console: console)
            }
            if coverage == nil { omitted.append(.init(section: "Council coverage (地域協働体のカバー率)", reason: "no council mapping given (--councils)")) }
            let merge = try hamlets.map { hamlets in
                var job = MergeJob(layer: hamlets, scenarios: scenarios, propose: true, regions: true)
                job.encoding = common.encoding
                return try job.run(console: console)
            }
            if merge == nil { omitted.append(.init(section: "Hamlet mergers (行政区の再編)", reason: "no hamlet layer given (--hamlets)")) }
            var hubStudy: HubStudy?
            if hubs > 0, let demand = hamlets ?? (census != nil ? boundaries : nil) {
                hubStudy = try ReportJob.hubs(demand: demand, census: hamlets == nil ? census : nil, count: hubs, radius: hubRadius,
                                              encoding: common.encoding, console: console)
            } else {
                omitted.append(.init(section: "小さな拠点 (small hubs)", reason: hubs > 0 ? "no hamlet layer (--hamlets) or census (--census) for the demand" : "--hubs 0"))
            }
            var taxi: TaxiJob.Result?
            if !busStops.isEmpty || !stations.isEmpty {
                var job = TaxiJob()
                job.demand = hamlets ?? boundaries; job.busStops = busStops; job.stations = stations
                job.propose = 12; job.hubs = taxiHubs; job.roads = roads; job.encoding = common.encoding
                taxi = try job.run(console: console)
            } else {
                omitted.append(.init(section: "Community taxis (コミュニティタクシー)", reason: "no bus stops or stations given (--bus-stops, --stations)"))
            }
            let content = try ReportJob.content(title: title, aging: aging, coverage: coverage, merge: merge, hubs: hubStudy, taxi: taxi, outline: outline,
                                                encoding: common.encoding, notes: [], omitted: omitted)
            let paths = try ReportJob.write(content, to: output, console: console)
            console.progress("done")
            console.line("chiiki report — \(content.title)")
            for path in paths { console.row("wrote", path) }
        }
    }
}

/// Builds and writes a report from the jobs' results; shared by `report` and `demo`.
enum ReportJob {
    /// Sites `count` hubs covering the most people aged 65+ within `radius` (MCLP, heuristic
    /// with a proven bound), with the coverage curve up to twice as many hubs.
    static func hubs(demand: String, census: String?, count: Int, radius: Double, encoding: TextEncoding?,
                     console: Console) throws -> HubStudy {
        console.progress("siting \(count) small hubs within \(Int(radius)) m")
        var options = HubStudyOptions(demand: demand, model: .mclp(radius: radius, p: count))
        options.census = census
        options.curve = count * 2
        options.encoding = encoding
        return try HubStudy.run(options, progress: console.progress)
    }

    static func content(title: String?, aging: AgingJob.Result?, coverage: CoverageJob.Result?, merge: MergeJob.Result?,
                        hubs: HubStudy? = nil, taxi: TaxiJob.Result? = nil, outline: String?, encoding: TextEncoding?, notes: [String], omitted: [ReportContent.Omission]) throws -> ReportContent {
        // The frame: the boundaries' CRS and the plane zone most of them are in.
        var frame: (source: CRS, plane: CRS)?
        if let load = aging?.load, let zone = PlaneZone.mostCommon(load.districts.compactMap(\.zone)) {
            frame = (load.crs, zone.crs(load.crs.japaneseDatum ?? .jgd2011))
        } else if let c = coverage {
            frame = (c.crs, c.planarCRS)
        }
        let city = aging?.load.districts.first.map { $0.cityName }
        return ReportContent(
            title: title ?? city.map { "\($0): aging, councils and hamlets" } ?? "chiiki report",
            notes: notes, aging: aging?.study, coverage: coverage?.report,
            merge: merge.map { MergeResults(layer: $0.units, results: $0.files.map(\.result)) }, hubs: hubs,
            taxi: taxi.map { TaxiResults(districts: $0.districts, gap: $0.gap, proposal: $0.proposal, routes: $0.report, planarCRS: $0.planarCRS) },
            outline: try outline.map { try VectorReader.read($0, encoding: encoding).layer.features.compactMap(\.geometry) } ?? [],
            frame: frame, omitted: omitted)
    }

    /// Writes index.html and each figure's SVG into `folder` (created if missing); returns the paths.
    static func write(_ content: ReportContent, to folder: String, console: Console) throws -> [String] {
        console.progress("drawing the report")
        let report = try HTMLReport.document(content)
        if !FileManager.default.fileExists(atPath: folder) {
            try AtomicOutput.checkWritable(folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let files = [("index.html", report.html)] + report.figures.map { ($0.name, $0.svg) }
        let paths = files.map { "\(folder)/\($0.0)" }
        try paths.forEach { try AtomicOutput.checkWritable($0) }
        console.progress("writing \(folder)/index.html and \(report.figures.count) SVG figures")
        for (path, (_, text)) in zip(paths, files) { try AtomicOutput.write(Array(text.utf8), to: path) }
        return paths
    }
}
