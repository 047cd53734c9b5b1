import Foundation
import GeoCore
import GeoIO

/// What `ProjectionStudy` reads.
public struct ProjectionSources: Sendable {
    /// The newer census (the base year) and the one five years before, by small area (e-Stat T001082).
    public var census: String
    public var previous: String
    /// Hamlet (行政区) polygons with their own counts: projected by their small area's change.
    public var hamlets: String?
    /// Municipality totals by year and age group to scale the areas to.
    public var control: String?
    public var encoding: TextEncoding?

    public init(census: String, previous: String) {
        self.census = census
        self.previous = previous
    }
}

/// A hamlet through the years: its count times its small area's projected change.
public struct HamletProjection: Sendable {
    public var hamlet: Hamlet
    /// Per year: people, aged 65+, households (where the layer gives them).
    public var population: [Double]
    public var aged: [Double]
    public var households: [Double]?
}

/// Which small areas and hamlets cross 50 % aged 65+, and when: the Hamilton–Perry projection of
/// the small areas, and the hamlets following their small area.
public struct ProjectionStudy: Sendable {
    public var projection: Projection
    public var hamlets: [HamletProjection]
    /// The hamlets' CRS and the plane zone they are drawn in, when there are hamlets.
    public var hamletFrame: (source: CRS, plane: CRS)?
    public var thresholds = AgingThresholds()

    public static func run(_ sources: ProjectionSources, options: ProjectionOptions,
                           progress: (String) -> Void = { _ in }) throws -> ProjectionStudy {
        var options = options
        progress("reading \(sources.census) and \(sources.previous)")
        let current = try AgeTable(try CensusCSV.read(sources.census, encoding: sources.encoding))
        let previous = try AgeTable(try CensusCSV.read(sources.previous, encoding: sources.encoding))
        options.control = try sources.control.map(ControlTotals.read)
        var hamlets: [Hamlet] = []
        var frame: (source: CRS, plane: CRS)?
        if let path = sources.hamlets {
            progress("reading \(path)")
            let file = try VectorReader.read(path, encoding: sources.encoding)
            hamlets = try Hamlets.load(file)
            let loaded = try PlanningDistricts.load(file)
            frame = (loaded.crs, loaded.planarCRS)
        }
        progress("projecting \(current.rows.count) census rows to \(options.horizon)")
        let projection = try Projection.run(previous: previous, current: current, options: options)
        return ProjectionStudy(projection: projection, hamlets: try project(hamlets, with: projection), hamletFrame: frame)
    }

    /// Each hamlet's people and aged 65+ change as its small area's do (an assumption: hamlets
    /// carry no age groups); households follow its people. A hamlet in an area the census counts
    /// elsewhere follows the host.
    static func project(_ hamlets: [Hamlet], with projection: Projection) throws -> [HamletProjection] {
        let byID = Dictionary(projection.areas.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try hamlets.map { h in
            let key = projection.countedIn[h.keyCode] ?? h.keyCode
            guard let area = byID[key] else {
                throw DataError(file: "hamlets", field: "key_code", "hamlet \(h.id) \(h.name) lies in small area '\(h.keyCode)', which the census does not project")
            }
            let base = area.structures[0]
            func change(_ value: (AgeStructure) -> Double) -> [Double] {
                area.structures.map { value(base) > 0 ? value($0) / value(base) : 1 }
            }
            let people = change(\.population), aged = change(\.aged)
            let f = h.figures
            return HamletProjection(hamlet: h, population: people.map { Double(f.population) * $0 },
                                    aged: aged.map { Double(f.aged) * $0 },
                                    households: f.households.map { hh in people.map { Double(hh) * $0 } })
        }
    }

    /// The figures of `layer`'s units in `year` (its hamlets when it is a hamlet layer, with a
    /// `hamlet_id` field; else the census's small areas), projected from `census` and `previous`,
    /// with what they are, for planning hubs and mergers for a projected year.
    public static func figures(of layer: String, in year: Int, census: String, previous: String, baseYear: Int,
                               encoding: TextEncoding? = nil) throws -> (byID: [String: AgingFigures], source: String) {
        var sources = ProjectionSources(census: census, previous: previous)
        sources.encoding = encoding
        if try VectorReader.read(layer, encoding: encoding).layer.fieldIndex("hamlet_id") != nil { sources.hamlets = layer }
        let study = try run(sources, options: ProjectionOptions(baseYear: baseYear, horizon: max(year, baseYear + 5)))
        return (try study.figures(in: year), "the projection to \(year) (cohort change ratios \(baseYear - 5)–\(baseYear))")
    }

    /// Every unit's projected figures in `year` in whole people: small areas by KEY_CODE (no
    /// households), hamlets by id (households following their people). The people are rounded and
    /// the aged are the projected rate of the rounded people, moved by one where the rounding would
    /// carry the rate across 45 % or 50 %, so the classes stay those of projection_hamlets.csv where
    /// whole people allow it (18 people cannot be 45–50 % aged).
    public func figures(in year: Int) throws -> [String: AgingFigures] {
        guard let y = projection.years.firstIndex(of: year) else {
            throw ParameterError("year", "\(year) is not a projected year (\(projection.years.map(String.init).joined(separator: ", ")))")
        }
        var out: [String: AgingFigures] = [:]
        for a in projection.areas {
            out[a.id] = whole(a.structures[y].population, a.structures[y].aged, households: nil)
        }
        for h in hamlets {
            out[h.hamlet.id] = whole(h.population[y], h.aged[y], households: h.households.map { Int($0[y].rounded()) })
        }
        return out
    }

    private func whole(_ people: Double, _ aged: Double, households: Int?) -> AgingFigures {
        let n = Int(people.rounded())
        guard people > 0, n > 0 else { return AgingFigures(population: n, aged: 0, households: households) }
        let rate = aged / people
        func band(_ r: Double) -> Int { (r >= thresholds.marginal ? 2 : 0) + (r >= thresholds.support ? 1 : 0) }
        let nearest = Int((rate * Double(n)).rounded())
        let a = [nearest, nearest - 1, nearest + 1].first { (0...n).contains($0) && band(Double($0) / Double(n)) == band(rate) } ?? nearest
        return AgingFigures(population: n, aged: a, households: households)
    }

    // MARK: outputs

    /// One row per small area and year.
    public func areaTable() -> Table {
        let years = projection.years
        let rows = projection.areas.flatMap { a -> [[String]] in
            let rates = a.structures.map(\.agingRate)
            let first = Projection.firstYear(years, rates: rates, reaching: thresholds.marginal)
            return years.indices.map { y in
                let s = a.structures[y]
                return [a.id, a.name, String(years[y]), number(s.population), number(s.aged), rate(s.agingRate),
                        flag(s.agingRate, thresholds.support), flag(s.agingRate, thresholds.marginal),
                        a.ratiosFrom, a.borrowed ?? "", first.map(String.init) ?? ""]
            }
        }
        return Table(columns: ["id", "name", "year", "population", "aged_65_plus", "aging_rate", "aged_45", "aged_50",
                               "ratios_from", "borrowed_because", "first_year_50"], rows: rows)
    }

    /// A hamlet's aging rate in each year.
    public func rates(_ h: HamletProjection) -> [Double?] {
        projection.years.indices.map { h.population[$0] > 0 ? h.aged[$0] / h.population[$0] : nil }
    }

    /// How many small areas and hamlets are at ≥ 50 % in the `y`-th projected year.
    public func marginalCounts(_ y: Int) -> (areas: Int, hamlets: Int) {
        (projection.areas.filter { ($0.structures[y].agingRate ?? 0) >= thresholds.marginal }.count,
         hamlets.filter { (rates($0)[y] ?? 0) >= thresholds.marginal }.count)
    }

    /// Whether a hamlet is small and aged (≥ 50 % and ≤ 19 households) in each year; false without households.
    public func smallAndAged(_ h: HamletProjection) -> [Bool] {
        let r = rates(h)
        return projection.years.indices.map { y in (r[y] ?? 0) >= thresholds.marginal
            && (h.households.map { $0[y].rounded() <= Double(thresholds.smallHouseholds) } ?? false) }
    }

    /// The first year a hamlet is at ≥ 50 %, and the first year it is small and aged.
    public func firstYears(_ h: HamletProjection) -> (aged50: Int?, smallAndAged: Int?) {
        let years = projection.years
        return (Projection.firstYear(years, rates: rates(h), reaching: thresholds.marginal),
                smallAndAged(h).firstIndex(of: true).map { years[$0] })
    }

    /// One row per hamlet and year, with the small-and-aged class where households are given.
    public func hamletTable() -> Table {
        let years = projection.years
        let rows = hamlets.flatMap { h -> [[String]] in
            let rates = self.rates(h), small = smallAndAged(h)
            let (first50, firstSmall) = firstYears(h)
            return years.indices.map { y in
                [h.hamlet.id, h.hamlet.name, h.hamlet.keyCode, String(years[y]), number(h.population[y]), number(h.aged[y]),
                 h.households.map { number($0[y]) } ?? "", rate(rates[y]), flag(rates[y], thresholds.support),
                 flag(rates[y], thresholds.marginal), h.households == nil ? "" : (small[y] ? "1" : "0"),
                 first50.map(String.init) ?? "", firstSmall.map(String.init) ?? ""]
            }
        }
        return Table(columns: ["id", "name", "key_code", "year", "population", "aged_65_plus", "households", "aging_rate",
                               "aged_45", "aged_50", "small_and_aged", "first_year_50", "first_year_small_and_aged"], rows: rows)
    }

    /// The city (the sum of the areas) by year and age group, against the control where given.
    public func cityTable() -> Table {
        let control = projection.options.control
        var rows: [[String]] = []
        for (y, year) in projection.years.enumerated() {
            let s = projection.city[y]
            for g in 0..<AgeStructure.groupCount {
                let target = control.flatMap { c in c.male[year].map { m in m[g] + (c.female?[year]?[g] ?? 0) } }
                rows.append([String(year), AgeStructure.groupLabels[g], number(s.male[g]), number(s.female[g]),
                             number(s.male[g] + s.female[g]), target.map(number) ?? ""])
            }
        }
        return Table(columns: ["year", "group", "male", "female", "population", "control"], rows: rows)
    }
}

private func number(_ x: Double) -> String { formatReal(rounded(x, 2)) }
private func rate(_ r: Double?) -> String { r.map { formatReal(rounded($0, 4)) } ?? "" }
private func flag(_ r: Double?, _ threshold: Double) -> String { r.map { $0 >= threshold ? "1" : "0" } ?? "" }
