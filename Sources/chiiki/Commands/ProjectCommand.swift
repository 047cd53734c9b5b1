import ArgumentParser
import Demography
import Foundation
import GeoCore
import GeoIO
import Report

struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Aging projection: which small areas and hamlets cross 50 % aged 65+, and when.",
        discussion: """
        Projects each small area by cohort change ratios (Hamilton–Perry) from two
        e-Stat censuses five years apart (population by sex and 5-year age group,
        0–4 … 70–74 and 75+): each cohort five years on is its ratio times its
        size now, the open group 75+ from 70+, the 0–4 year olds from the child–
        woman ratio times the projected women 15–49. An area with fewer than
        --min-population people, or a ratio above --max-ratio, borrows its
        parent's ratios (the enclosing row, else the municipality); the outputs
        say which. Areas the census counts in another (HTKSYORI 2) go with their
        host. --control scales the areas to municipality totals by year and group
        (e.g. IPSS). Hamlets carry no ages: each follows its small area's change
        in people and in people aged 65+ (households follow people).

        Writes into the -o folder: projection.csv (one row per small area and
        year, the base year included: population, aged 65+, rate, classes, whose
        ratios, the first year at ≥ 50 %), projection_hamlets.csv (the same per
        hamlet, with small-and-aged where households are given) and
        projection_city.csv (by year and age group, against the control).

        Examples:
          chiiki project \\
            --census geodata/nagato/census_age_2015_synthetic.csv --year 2015 \\
            --previous geodata/nagato/census_age_2010_synthetic.csv --to 2045 \\
            --hamlets geodata/nagato/hamlets_2014_synthetic.geojson -o out
          chiiki project --census 2020.csv --year 2020 --previous 2015.csv --to 2040 \\
                         --min-population 0 --control ipss.csv -o out
        """)

    @Option(help: "e-Stat census CSV by small area (population by sex and 5-year age group): the base year.")
    var census: String

    @Option(help: "The census year of --census.")
    var year: Int

    @Option(help: "The census five years before, in the same layout.")
    var previous: String

    @Option(name: .customLong("to"), help: "The last year to project (a multiple of five years after --year).")
    var horizon: Int

    @Option(help: "Hamlet (行政区) polygons with population, aged 65+, households and key_code.")
    var hamlets: String?

    @Option(help: "Areas with fewer people borrow their parent's ratios (0: never for size).")
    var minPopulation = 200.0

    @Option(help: "A cohort change ratio above this is not believed: the area borrows its parent's ratios.")
    var maxRatio = 3.0

    @Option(help: "Municipality totals to scale to: CSV with year, group (0-4 … 75+) and population, or male and female.")
    var control: String?

    @Option(name: .shortAndLong, help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var geopackage: GeoPackageOption
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard minPopulation >= 0 else { throw ValidationError("--min-population must be 0 or more") }
        guard maxRatio > 0 else { throw ValidationError("--max-ratio must be above 0") }
        guard ProjectionOptions.isCensusYear(year) else {
            throw ValidationError("--year must be a census year (1920, 1925, … 2100: every five years); got \(year)")
        }
    }

    func run() throws {
        try reportingErrors {
            let console = Console(quiet: common.quiet)
            var sources = ProjectionSources(census: census, previous: previous)
            sources.hamlets = hamlets
            sources.control = control
            sources.encoding = common.encoding
            var options = ProjectionOptions(baseYear: year, horizon: horizon)
            options.minPopulation = minPopulation
            options.maxRatio = maxRatio
            try OutputFolder.check(output, files: ["projection.csv", "projection_hamlets.csv", "projection_city.csv",
                                                    "projection_hamlets.geojson", "projection.html"])
            try geopackage.check()
            let study = try ProjectionStudy.run(sources, options: options, progress: console.progress)
            let paths = try study.write(to: output, excel: common.excel, progress: console.progress)
                + geopackage.write({ study.hamlets.isEmpty ? [] : [study.hamletLayer()] }, console: console)
            console.progress("done")
            printSummary(study, console: console, wrote: paths)
        }
    }

    func printSummary(_ study: ProjectionStudy, console: Console, wrote: [String]) {
        let p = study.projection
        let t = study.thresholds
        console.line("chiiki project — \(p.years.first!)–\(p.years.last!), cohort change ratios \(year - 5)–\(year)")
        console.line("    year  \(TextFormat.padded("people", 8))  \(TextFormat.padded("65+", 7))  \(TextFormat.padded("rate", 6))  "
                     + "areas ≥\(Int(t.marginal * 100))%" + (study.hamlets.isEmpty ? "" : "  hamlets ≥\(Int(t.marginal * 100))%"))
        for (y, year) in p.years.enumerated() {
            let c = p.city[y]
            let (areas, hamlets) = study.marginalCounts(y)
            console.line("    \(year)  \(TextFormat.padded(TextFormat.grouped(Int(c.population.rounded())), 8))  "
                         + "\(TextFormat.padded(TextFormat.grouped(Int(c.aged.rounded())), 7))  \(TextFormat.padded(TextFormat.percent(c.agingRate), 6))  "
                         + "\(TextFormat.padded(String(areas), 8))" + (study.hamlets.isEmpty ? "" : "  \(TextFormat.padded(String(hamlets), 10))"))
        }
        let borrowed = p.areas.filter { $0.borrowed != nil }
        console.row("ratios", "\(p.areas.count - borrowed.count) small areas their own, \(borrowed.count) borrowed"
                    + (borrowed.isEmpty ? "" : ": " + TextFormat.listed(borrowed.map { "\($0.id) \($0.name) (\($0.borrowed!), from \($0.ratiosFrom))" })))
        if !p.countedIn.isEmpty {
            console.row("counted in", p.countedIn.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
        }
        if let control = p.options.control { console.row("control", "areas scaled to \(control.path) in every year it gives") }
        for w in p.warnings { console.row("warning", w) }
        for path in wrote { console.row("wrote", path) }
    }
}
