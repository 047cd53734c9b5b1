import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoIO
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
        community-taxi stops and routes on the synthetic stop layers (taxi/), and
        the report: nagato/index.html with maps and charts, each also as an SVG.

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
            let job = AgingJob(boundaries: "\(data)/h27ka35211.shp", census: "\(data)/census_age_2015_synthetic.csv",
                               hamlets: "\(data)/hamlets_2014_synthetic.geojson", councils: "\(data)/councils_2017.json")
            let outputs = AgingJob.outputs(for: "\(out)/aging.geojson", hamlets: true, councils: true)
            let tables = ["\(out)/aging.csv", "\(out)/aging_hamlets.csv"]
            try (outputs.all + tables).forEach { try AtomicOutput.checkWritable($0) }
            let coveragePaths = try CoverageJob.outputs(in: out)
            let result = try job.run(console: console)
            try result.write(outputs, excel: common.excel, console: console)
            try result.write(AgingJob.Outputs(areas: tables[0], hamlets: tables[1]), excel: common.excel, console: console)

            // Council coverage of the small areas; the denominator is their AREA total, as the plan's KPI.
            let coverage = try CoverageJob(districts: job.boundaries, councils: job.councils!, census: job.census)
                .run(console: console)
            try coverage.write(coveragePaths, excel: common.excel, console: console)

            // Hamlet mergers: the example scenarios, proposals for the small-and-aged hamlets, and max-p regions.
            let merge = try MergeJob(layer: job.hamlets!, scenarios: "\(data)/merge_scenarios_example.yaml",
                                     propose: true, regions: true).run(console: console)
            let mergePaths = try merge.write(to: "\(out)/merge", excel: common.excel, console: console)

            // Community taxis: the transit gap under the synthetic stops, 12 new stops, routes from the hubs.
            var taxiJob = TaxiJob()
            taxiJob.demand = job.hamlets; taxiJob.busStops = ["\(data)/bus_stops_p11_synthetic.geojson"]
            taxiJob.stations = ["\(data)/stations_n02_synthetic.geojson"]; taxiJob.propose = 12
            taxiJob.hubs = "\(data)/taxi_hubs_synthetic.geojson"; taxiJob.roads = "\(data)/main_roads_synthetic.geojson"
            let taxi = try taxiJob.run(console: console)
            let taxiPaths = try taxi.write(to: "\(out)/taxi", excel: common.excel, console: console)

            // Five small hubs (小さな拠点) for the most people aged 65+ within 3 km.
            let hubs = try ReportJob.hubs(demand: job.hamlets!, census: nil, count: 5, radius: 3_000, encoding: nil, console: console)
            let content = try ReportJob.content(title: "長門市 (Nagato City): aging, councils, hamlets and small hubs", aging: result,
                                                coverage: coverage, merge: merge, hubs: hubs, taxi: taxi, outline: "\(data)/outline_n03.geojson",
                                                encoding: nil, notes: Demo.notes, omitted: [])
            let reportPaths = try ReportJob.write(content, to: "\(out)/nagato", console: console)
            result.printSummary(console: console, wrote: [])
            console.line()
            coverage.printSummary(source: job.boundaries, console: console, wrote: [])
            console.line()
            merge.printSummary(console: console, wrote: [])
            console.line()
            taxi.printSummary(console: console, wrote: outputs.all + tables + coveragePaths + mergePaths + taxiPaths + reportPaths)
        }
    }

    static let notes = [
        "Small-area boundaries: e-Stat 2015 census attributes (real) with approximate shapes; see geodata/nagato/README.md.",
        "Ages by small area: synthetic split calibrated to the published 2015 totals (35,439 people, aging rate 39.7%).",
        "Hamlets (行政区): synthetic, calibrated to the plan's October 2014 counts (56 at ≥50%, 16 small and aged).",
        "Councils: the ten of March 2017 from the 2nd Nagato Collaboration Action Plan; membership approximate.",
        "Bus stops, roads and taxi hubs: synthetic; stations at approximate real positions (taxi/).",
        "Not for real planning decisions about Nagato.",
    ]
}
