import ArgumentParser
import Demography
import GeoCore
import GeoEngine
import GeoIO

struct DistrictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "districts",
        abstract: "Load census small-area boundaries, repair them, dissolve by KEY_CODE and measure their areas.",
        discussion: """
        Writes one feature per KEY_CODE with its name, city, population (JINKO),
        households (SETAI) and area_m2 in the chosen metric; prints per-city totals
        and a coverage check (the union's area against the sum of the parts).

        Examples:
          chiiki districts geodata/tottori/h27ka31.shp -o tottori.geojson
          chiiki districts geodata/nagato/h27ka35211.shp -o nagato.gpkg \\
                           --metric geodesic
          chiiki districts h27ka35211.shp -o nagato.csv --excel
          chiiki districts 'postgresql://planner@localhost/chiiki#public.h27ka31' \\
                           -o 'postgresql://planner@localhost/chiiki#public.districts'
        """)

    @Argument(help: "Boundary file (e-Stat Shapefile, GeoJSON or GeoPackage) or PostGIS table, with a KEY_CODE field.")
    var boundaries: String

    @Option(name: .shortAndLong, help: "Output: .geojson, .gpkg, .csv (attributes only) or a PostGIS table (postgresql://…#schema.table).")
    var output: String

    @Option(help: "Key field (default KEY_CODE).")
    var key = "KEY_CODE"

    @OptionGroup var metric: MetricOptions
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            _ = try OutputFormat(path: output)
            try AtomicOutput.checkWritable(output, overwrite: common.overwrite)
            console.progress("reading \(PostGISLocation.display(boundaries))")
            var fields = BoundaryFields()
            fields.key = key
            let file = try VectorReader.read(boundaries, encoding: common.encoding, fields: fields.read)
            let measurer = Measurer()
            let load = try Districts.load(file, metric: metric.metric, zone: metric.zone, fields: fields,
                                          measurer: measurer, progress: console.progress)
            console.progress("taking the union of the districts (coverage check)")
            let cities = Set(load.districts.map(\.cityCode)).sorted()
            let unionArea = try Districts.unionArea(load, progress: console.progress)
            console.progress("writing \(PostGISLocation.display(output))")
            try VectorWriter.write(Districts.layer(load), to: output, excel: common.excel, overwrite: common.overwrite)
            console.progress("done")
            printSummary(load, cities: cities, unionArea: unionArea, console: console)
        }
    }

    func printSummary(_ load: DistrictLoad, cities: [String], unionArea: Double, console: Console) {
        console.line("chiiki districts — \(load.source)")
        console.row("read", "\(load.records) records, \(load.encoding), \(load.crs)")
        console.row("repaired", load.repaired.isEmpty ? "none invalid" : "\(load.repaired.count) invalid polygon(s) made valid: record \(load.repaired.prefix(10).map(String.init).joined(separator: ", "))\(load.repaired.count > 10 ? ", …" : "")")
        console.row("districts", "\(load.districts.count) KEY_CODEs in \(cities.count) municipalities")
        console.row("metric", load.metric.description + (load.zones.isEmpty ? "" : ", " + load.zones.map(\.description).joined(separator: ", ")))
        let difference = load.totalArea - unionArea
        // Below the last digit shown, a difference is 0.0, not "-0.0".
        console.row("area", "\(km2(load.totalArea)) (union \(km2(unionArea)); difference \(String(format: "%.1f", abs(difference) < 0.05 ? 0 : difference)) m²)")
        if let p = load.totalPopulation {
            let households = load.districts.compactMap(\.figures?.households).reduce(0, +)
            console.row("population", "\(TextFormat.grouped(p)) (JINKO), households \(TextFormat.grouped(households)) (SETAI)")
        }
        console.row("wrote", PostGISLocation.display(output))
    }
}
