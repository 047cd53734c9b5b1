import ArgumentParser
import Foundation

@main
struct Chiiki: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chiiki",
        abstract: "地域 — boundaries, census, aging rates and council coverage for Japanese municipal planning.",
        discussion: """
        Loads e-Stat census small-area boundaries (Shapefile, CP932), census tables
        and hamlet layers, and computes areas in an explicit metric and aging rates
        (高齢化率) with the classes municipal plans use, and the share of a city's
        area covered by community councils (地域協働体) with the fewest districts to
        add to reach a target.

        Examples:
          chiiki demo
          chiiki info geodata/nagato/h27ka35211.shp
          chiiki districts geodata/tottori/h27ka31.shp -o tottori.geojson
          chiiki aging --boundaries geodata/nagato/h27ka35211.shp \\
                       --census geodata/nagato/census_age_2015_synthetic.csv \\
                       --hamlets geodata/nagato/hamlets_2014_synthetic.geojson \\
                       --councils geodata/nagato/councils_2017.json \\
                       -o out/aging.geojson
          chiiki coverage --districts geodata/nagato/h27ka35211.shp \\
                          --councils geodata/nagato/councils_2017.json -o out
          chiiki project --census census_2015.csv --year 2015 \\
                         --previous census_2010.csv --to 2045 -o out
        """,
        subcommands: [Demo.self, Info.self, DistrictsCommand.self, AgingCommand.self, CoverageCommand.self, MergeCommand.self,
                      HubsCommand.self, TaxiCommand.self, ProjectCommand.self, ReportCommand.self])

    /// As ArgumentParser's, but a wrong option is one line on stderr, like every other error
    /// (its own message adds the usage and a pointer to --help over several lines).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let text = message(for: error)
            guard code != .success, !text.isEmpty else { exit(withError: error) }
            FileHandle.standardError.write(Data("chiiki: error: \(oneLine(text)) (see chiiki help)\n".utf8))
            exit(withError: ExitCode(code.rawValue))
        }
    }
}
