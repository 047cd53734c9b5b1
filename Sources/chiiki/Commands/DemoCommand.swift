import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoIO
import Planning
import Report

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the aging study on the bundled Nagato (長門市) sample and write a report.",
        discussion: """
        Reads geodata/nagato (boundaries, synthetic census ages, synthetic hamlets,
        the 2017 councils) and writes into notebooks-out/: the small areas and
        hamlets with aging rates (GeoJSON and CSV), the councils (CSV), council
        coverage with the plan to reach 85% (GeoJSON, JSON, CSV), hamlet merger
        scenarios, proposals and regions (merge/), the transit gap with proposed
        community-taxi stops and routes on the synthetic stop layers (taxi/),
        dial-a-ride routes for a weekday of synthetic bookings (trips/), five
        small hubs for the aged 65+ within 3 km (hubs/), the aging projection to
        2045 from a synthetic 2010 table (projection/), the report:
        nagato/index.html with an interactive map, maps and charts, each also as an
        SVG, and nagato.gpkg: every layer of the report, styled for QGIS.

        Examples:
          chiiki demo
          chiiki demo --data geodata/nagato --out /tmp/nagato
        """)

    @Option(help: "Folder with the sample data.")
    var data = "geodata/nagato"

    @Option(help: "Folder to write into (created if missing).")
    var out = "notebooks-out"

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let sources = StudyAreaSources(boundaries: "\(data)/h27ka35211.shp", census: "\(data)/census_age_2015_synthetic.csv",
                                           hamlets: "\(data)/hamlets_2014_synthetic.geojson", councils: "\(data)/councils_2017.json",
                                           outline: "\(data)/outline_n03.geojson")
            let files = AgingFiles(beside: "\(out)/aging.geojson", hamlets: true, councils: true)
            let tables = AgingFiles(areas: "\(out)/aging.csv", hamlets: "\(out)/aging_hamlets.csv")
            try (files.all + tables.all).forEach { try AtomicOutput.checkWritable($0) }
            try OutputFolder.check(out, files: CoverageStudy.files)
            let gpkg = "\(out)/nagato.gpkg"
            try GeoPackage.checkWritable(gpkg)

            // One study area for every analysis: read, repaired, dissolved and joined once.
            let area = try StudyArea.load(sources, progress: console.progress)
            let aging = try AgingStudy.run(area, progress: console.progress)
            try aging.write(files, area: area, excel: common.excel, progress: console.progress)
            try aging.write(tables, area: area, excel: common.excel, progress: console.progress)

            // Council coverage of the small areas; the denominator is their AREA total, as the plan's KPI.
            let coverage = try CoverageStudy.run(area, progress: console.progress)
            let coveragePaths = try coverage.write(to: out, excel: common.excel, progress: console.progress)

            // Hamlet mergers: the example scenarios, proposals for the small-and-aged hamlets, and max-p regions.
            let merge = try MergeStudy.run(area, options: ReportStudy.mergeOptions(scenarios: "\(data)/merge_scenarios_example.yaml"),
                                           progress: console.progress)
            let mergePaths = try merge.write(to: "\(out)/merge", excel: common.excel, progress: console.progress)

            // Community taxis: the transit gap under the synthetic stops, 12 new stops, routes from the hubs.
            var taxiOptions = ReportOptions().taxi
            taxiOptions.busStops = ["\(data)/bus_stops_p11_synthetic.geojson"]
            taxiOptions.stations = ["\(data)/stations_n02_synthetic.geojson"]
            taxiOptions.hubs = "\(data)/taxi_hubs_synthetic.geojson"
            taxiOptions.roads = "\(data)/main_roads_synthetic.geojson"
            let taxi = try TaxiStudy.run(area, options: taxiOptions, progress: console.progress)
            let taxiPaths = try taxi.write(to: "\(out)/taxi", excel: common.excel, progress: console.progress)

            // Dial-a-ride: a weekday's synthetic bookings to clinics, shops and the station, with illustrative costs.
            var tripOptions = taxiOptions
            tripOptions.trips = "\(data)/taxi_trips_synthetic.csv"
            tripOptions.places = "\(data)/taxi_places_synthetic.geojson"
            tripOptions.costs.perHour = 3_500
            tripOptions.costs.fare = 300
            let trips = try ReportStudy.runTrips(area, options: tripOptions, progress: console.progress)
            let tripPaths = try trips.write(to: "\(out)/trips", excel: common.excel, progress: console.progress)

            // The aging projection to 2045 from the 2010 and 2015 tables (2010 synthetic).
            let projection = try ReportStudy.project(area, census: sources.census!, previous: "\(data)/census_age_2010_synthetic.csv",
                                                     baseYear: 2015, horizon: 2045, progress: console.progress)
            let projectionPaths = try projection.write(to: "\(out)/projection", excel: common.excel, progress: console.progress)

            // Five small hubs (小さな拠点) for the most people aged 65+ within 3 km.
            let hubs = try ReportStudy.siteHubs(area, count: 5, radius: 3_000, progress: console.progress)
            let hubPaths = try hubs.write(to: "\(out)/hubs", excel: common.excel, progress: console.progress)
            let content = ReportContent(area, title: "長門市 (Nagato City): aging, councils, hamlets and small hubs", notes: Demo.notes,
                                        aging: aging, coverage: coverage, merge: merge, hubs: hubs, taxi: taxi,
                                        trips: trips, projection: projection)
            let reportPaths = try ReportStudy.write(content, to: "\(out)/nagato", progress: console.progress)
            // Every layer of the report in one GeoPackage, styled as the report draws it, for QGIS.
            console.progress("writing \(gpkg)")
            try GeoPackage.write(try content.layers(), to: gpkg)
            printAgingSummary(aging, area: area, console: console, wrote: [])
            console.line()
            printCoverageSummary(coverage, console: console, wrote: [])
            console.line()
            printMergeSummary(merge, console: console, wrote: [])
            console.line()
            printTaxiSummary(taxi, console: console, wrote: [])
            console.line()
            printTaxiSummary(trips, console: console, wrote: files.all + tables.all + coveragePaths + mergePaths + taxiPaths + tripPaths + hubPaths
                             + projectionPaths + reportPaths + [gpkg])
        }
    }

    static let notes = [
        "Small-area boundaries: e-Stat 2015 census attributes (real) with approximate shapes; see geodata/nagato/README.md.",
        "Ages by small area: synthetic split calibrated to the published 2015 totals (35,439 people, aging rate 39.7%).",
        "Hamlets (行政区): synthetic, calibrated to the plan's October 2014 counts (56 at ≥50%, 16 small and aged).",
        "Councils: the ten of March 2017 from the 2nd Nagato Collaboration Action Plan; membership approximate.",
        "Bus stops, roads and taxi hubs: synthetic; stations at approximate real positions (taxi/).",
        "Dial-a-ride bookings and places (clinics, shops): synthetic; costs illustrative (¥3,500 per vehicle-hour, ¥300 fare) (trips/).",
        "Not for real planning decisions about Nagato.",
    ]
}
