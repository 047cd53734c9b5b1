import ArgumentParser
import Demography
import GeoIO

/// `--year`: plan for a projected year (hubs, mergers), with the model of `chiiki project`.
struct ProjectionYearOptions: ParsableArguments {
    @Option(help: "Plan for this projected year (people and aged 65+ from `chiiki project`'s model; needs --census, --previous and --base-year).")
    var year: Int?

    @Option(help: "With --year: the census five years before --census, in the same layout.")
    var previous: String?

    @Option(help: "With --year: the census year of --census (e.g. 2015).")
    var baseYear: Int?

    func check(census: String?) throws {
        guard year != nil else { return }
        guard census != nil, previous != nil, baseYear != nil else {
            throw ValidationError("--year needs --census (the base census), --previous (five years before) and --base-year")
        }
    }

    /// Every unit's projected figures in `year` (nil without --year): the small areas of the census,
    /// and the layer's hamlets when it is a hamlet layer (a `hamlet_id` field).
    func figures(census: String?, layer: String, encoding: TextEncoding?) throws -> (byID: [String: AgingFigures], source: String)? {
        guard let year, let census, let previous, let baseYear else { return nil }
        return try ProjectionStudy.figures(of: layer, in: year, census: census, previous: previous, baseYear: baseYear, encoding: encoding)
    }
}
