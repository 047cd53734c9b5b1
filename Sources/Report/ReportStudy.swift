import Demography
import GeoCore
import GeoIO
import Planning

/// What the report runs beyond what the study area's layers imply.
public struct ReportOptions: Sendable {
    /// Default: the city's name from the boundaries.
    public var title: String?
    /// Lines under the title (data sources, caveats).
    public var notes: [String] = []
    /// Merge scenarios (YAML or JSON) shown beside the proposal and the regions.
    public var scenarios: String?
    /// Small hubs (小さな拠点) to site for the aged 65+ within `hubRadius` metres (MCLP); 0: none.
    public var hubs = 5
    public var hubRadius = 3_000.0
    /// Community taxis: the transit gap under `busStops` and `stations`, 12 new stops, and routes
    /// to `hubs` along `roads` when given. No stops: no taxi section.
    public var taxi = TaxiStudyOptions()
    /// The aging projection: the census five years before the area's, its year and the horizon.
    public var projection: (previous: String, baseYear: Int, horizon: Int)?
    /// Under the interactive map: plain (offline) or GSI tiles.
    public var basemap = ReportContent.Basemap.plain

    public init() {
        taxi.propose = 12
    }
}

/// The studies a report shows, each run once on one study area.
public enum ReportStudy {
    /// Runs every analysis the area's layers allow and composes the report; an analysis without
    /// its inputs is left out with the reason.
    public static func run(_ area: StudyArea, options: ReportOptions = ReportOptions(),
                           progress: (String) -> Void = { _ in }) throws -> ReportContent {
        var omitted: [ReportContent.Omission] = []
        var aging: AgingStudy?
        if area.census != nil {
            aging = try AgingStudy.run(area, progress: progress)
        } else {
            omitted.append(.init(section: "Aging rates (高齢化率)", reason: "no census table given (--census)"))
        }
        let coverage = try area.councils.map { _ in try CoverageStudy.run(area, progress: progress) }
        if coverage == nil { omitted.append(.init(section: "Council coverage (地域協働体のカバー率)", reason: "no council mapping given (--councils)")) }
        var merge: MergeStudy?
        if area.hamlets != nil {
            merge = try MergeStudy.run(area, options: mergeOptions(scenarios: options.scenarios), progress: progress)
        } else {
            omitted.append(.init(section: "Hamlet mergers (行政区の再編)", reason: "no hamlet layer given (--hamlets)"))
        }
        var hubs: HubStudy?
        if options.hubs > 0, area.hamlets != nil || area.census != nil {
            hubs = try siteHubs(area, count: options.hubs, radius: options.hubRadius, progress: progress)
        } else {
            omitted.append(.init(section: "小さな拠点 (small hubs)",
                                 reason: options.hubs > 0 ? "no hamlet layer (--hamlets) or census (--census) for the demand" : "--hubs 0"))
        }
        var taxi: TaxiStudy?, trips: TaxiStudy?
        let booked = options.taxi.trips != nil || options.taxi.places != nil
        if booked { trips = try runTrips(area, options: options.taxi, progress: progress) }
        if !options.taxi.busStops.isEmpty || !options.taxi.stations.isEmpty {
            var gap = options.taxi
            gap.trips = nil
            gap.places = nil
            if booked { gap.hubs = nil }
            taxi = try TaxiStudy.run(area, options: gap, progress: progress)
        } else {
            omitted.append(.init(section: "Community taxis (コミュニティタクシー)", reason: "no bus stops or stations given (--bus-stops, --stations)"))
        }
        var projection: ProjectionStudy?
        if let p = options.projection, let census = area.sources.census {
            projection = try project(area, census: census, previous: p.previous, baseYear: p.baseYear, horizon: p.horizon, progress: progress)
        } else {
            omitted.append(.init(section: "Aging projection (将来推計)", reason: "no earlier census given (--previous, with --census)"))
        }
        var content = ReportContent(area, title: options.title, notes: options.notes, aging: aging, coverage: coverage, merge: merge,
                                    hubs: hubs, taxi: taxi, trips: trips, projection: projection, omitted: omitted)
        content.basemap = options.basemap
        return content
    }

    /// Dial-a-ride trips from `options.trips` (or estimated to `options.places`) and the hubs,
    /// without the transit gap (a taxi study of its own).
    public static func runTrips(_ area: StudyArea, options: TaxiStudyOptions, progress: (String) -> Void = { _ in }) throws -> TaxiStudy {
        var trips = options
        trips.busStops = []
        trips.stations = []
        trips.propose = nil
        return try TaxiStudy.run(area, options: trips, progress: progress)
    }

    /// The mergers a report shows: the scenarios, proposals for the small-and-aged hamlets and
    /// max-p regions of at least 20 households.
    public static func mergeOptions(scenarios: String?) -> MergeStudyOptions {
        var options = MergeStudyOptions()
        options.scenarios = scenarios
        options.propose = true
        options.regions = RegionFloor(attribute: .households, value: 20)
        return options
    }

    /// Sites `count` hubs covering the most people aged 65+ within `radius` (MCLP, heuristic
    /// with a proven bound), with the coverage curve up to twice as many hubs.
    public static func siteHubs(_ area: StudyArea, count: Int, radius: Double,
                                progress: (String) -> Void = { _ in }) throws -> HubStudy {
        progress("siting \(count) small hubs within \(Int(radius)) m")
        var options = HubStudyOptions(model: .mclp(radius: radius, p: count))
        options.curve = count * 2
        options.encoding = area.sources.encoding
        return try HubStudy.run(area, options: options, progress: progress)
    }

    /// The area's small areas (and hamlets) projected from its census and the one five years before.
    public static func project(_ area: StudyArea, census: String, previous: String, baseYear: Int, horizon: Int,
                               progress: (String) -> Void = { _ in }) throws -> ProjectionStudy {
        var sources = ProjectionSources(census: census, previous: previous)
        sources.hamlets = area.sources.hamlets
        sources.encoding = area.sources.encoding
        return try ProjectionStudy.run(sources, options: ProjectionOptions(baseYear: baseYear, horizon: horizon), progress: progress)
    }

    /// Writes index.html and each figure's SVG into `folder` (created if missing); returns the paths.
    @discardableResult
    public static func write(_ content: ReportContent, to folder: String, progress: (String) -> Void = { _ in }) throws -> [String] {
        progress("drawing the report")
        let report = try HTMLReport.document(content)
        let files = [("index.html", report.html)] + report.figures.map { ($0.name, $0.svg) }
        progress("writing \(folder)/index.html and \(report.figures.count) SVG figures")
        // The figures are replaced as a set: a report with fewer analyses keeps no stale maps.
        let isFigure = { (name: String) in name.hasSuffix(".svg") && (name.hasPrefix("map_") || name.hasPrefix("chart_")) }
        return try OutputFolder.write(folder, files: files.map(\.0), replacing: isFigure) { folder in
            for (name, text) in files { try AtomicOutput.write(Array(text.utf8), to: "\(folder)/\(name)") }
        }
    }
}

extension ReportContent {
    /// A report of studies run on `area`: its outline, its frame (the boundaries' CRS and plane zone).
    public init(_ area: StudyArea, title: String? = nil, notes: [String] = [], aging: AgingStudy? = nil,
                coverage: CoverageStudy? = nil, merge: MergeStudy? = nil, hubs: HubStudy? = nil, taxi: TaxiStudy? = nil,
                trips: TaxiStudy? = nil, projection: ProjectionStudy? = nil, omitted: [Omission] = []) {
        let city = aging != nil ? area.boundaries.districts.first?.cityName : nil
        self.init(title: title ?? city.map { "\($0): aging, councils and hamlets" } ?? "chiiki report",
                  notes: notes, aging: aging, coverage: coverage?.report, merge: merge, hubs: hubs, taxi: taxi, trips: trips, projection: projection,
                  outline: area.outline?.layer.features.compactMap(\.geometry) ?? [],
                  frame: (area.boundaries.crs, area.planarCRS), omitted: omitted)
    }
}
