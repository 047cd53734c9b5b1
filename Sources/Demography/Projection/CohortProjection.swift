import GeoCore
import GeoIO

/// Hamilton–Perry cohort change ratios of one area, by sex, from two censuses five years apart.
public struct CohortRatios: Sendable, Hashable {
    /// Index g = 0…13: P(g+1, t) / P(g, t−5), the people five years older now over the group five
    /// years ago; index 14, the open group: P(75+, t) / P(70+, t−5).
    public var male: [Double]
    public var female: [Double]
    /// Child–woman ratios: the 0–4 year olds of each sex over the women 15–49, both at t.
    public var childWomanMale: Double
    public var childWomanFemale: Double

    /// nil where a ratio has no denominator (nobody in some group five years before).
    public init?(previous: AgeStructure, current: AgeStructure) {
        func ratios(_ old: [Double], _ new: [Double]) -> [Double]? {
            var out: [Double] = []
            for g in 0..<14 {
                guard old[g] > 0 else { return nil }
                out.append(new[g + 1] / old[g])
            }
            let open = old[14] + old[15]
            guard open > 0 else { return nil }
            out.append(new[15] / open)
            return out
        }
        guard let m = ratios(previous.male, current.male), let f = ratios(previous.female, current.female),
              current.mothers > 0 else { return nil }
        male = m
        female = f
        childWomanMale = current.male[0] / current.mothers
        childWomanFemale = current.female[0] / current.mothers
    }

    /// The largest ratio, for the sanity limit.
    public var largest: Double { (male + female).max() ?? 0 }

    /// Five years on: each cohort times its ratio, the open group from 70+, the 0–4 year olds
    /// from the projected women 15–49.
    public func project(_ p: AgeStructure) -> AgeStructure {
        func step(_ people: [Double], _ r: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: AgeStructure.groupCount)
            for g in 0..<14 { out[g + 1] = r[g] * people[g] }
            out[15] = r[14] * (people[14] + people[15])
            return out
        }
        var next = AgeStructure(male: step(p.male, male), female: step(p.female, female))
        let mothers = next.mothers
        next.male[0] = childWomanMale * mothers
        next.female[0] = childWomanFemale * mothers
        return next
    }
}

/// Municipality totals by year and age group (e.g. IPSS's projection) that the small areas are
/// scaled to: a CSV with columns `year`, `group` (0-4 … 70-74, 75+) and either `population` or
/// `male` and `female`.
public struct ControlTotals: Sendable {
    public var path: String
    /// By year, 16 groups; `female` nil when the file gives both sexes together.
    public var male: [Int: [Double]]
    public var female: [Int: [Double]]?

    public static func read(_ path: String) throws -> ControlTotals {
        let records = try CSVFile.nonBlankRecords(path)
        guard let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
              let year = header.firstIndex(of: "year"), let group = header.firstIndex(of: "group") else {
            throw DataError(file: path, record: 1, "expected a header with year, group and population (or male and female)")
        }
        let both = header.firstIndex(of: "population")
        let (m, f) = (header.firstIndex(of: "male"), header.firstIndex(of: "female"))
        guard both != nil || (m != nil && f != nil) else {
            throw DataError(file: path, record: 1, "expected a population column, or male and female columns")
        }
        var male: [Int: [Double]] = [:], female: [Int: [Double]] = [:]
        for (k, record) in records.enumerated().dropFirst() {
            let line = k + 1
            func cell(_ i: Int) -> String { i < record.count ? record[i].trimmingCharacters(in: .whitespaces) : "" }
            guard let y = Int(cell(year)) else { throw DataError(file: path, record: line, field: "year", "expected a year, found '\(cell(year))'") }
            let label = cell(group).replacingOccurrences(of: "～", with: "-").replacingOccurrences(of: "〜", with: "-")
            guard let g = AgeStructure.groupLabels.firstIndex(of: label) else {
                throw DataError(file: path, record: line, field: "group",
                                "expected one of \(AgeStructure.groupLabels.joined(separator: ", ")), found '\(cell(group))'")
            }
            func count(_ i: Int, _ name: String) throws -> Double {
                guard let v = Double(cell(i)), v.isFinite, v >= 0 else {
                    throw DataError(file: path, record: line, field: name, "expected a count ≥ 0, found '\(cell(i))'")
                }
                return v
            }
            if let both {
                male[y, default: Array(repeating: 0, count: 16)][g] = try count(both, "population")
            } else {
                male[y, default: Array(repeating: 0, count: 16)][g] = try count(m!, "male")
                female[y, default: Array(repeating: 0, count: 16)][g] = try count(f!, "female")
            }
        }
        return ControlTotals(path: path, male: male, female: both == nil ? female : nil)
    }
}

/// What a projection is asked.
public struct ProjectionOptions: Sendable {
    /// Japan's census runs every five years (1920, 1925, …); a year outside is a typo.
    public static func isCensusYear(_ year: Int) -> Bool { (1920...2100).contains(year) && year % 5 == 0 }

    /// The year of the newer census (the base); the older one is five years before.
    public var baseYear: Int
    /// The last year projected, a multiple of five years after the base.
    public var horizon: Int
    /// An area with fewer people (of known age) than this borrows its parent's ratios; 0: never for size.
    public var minPopulation = 200.0
    /// A cohort change ratio above this, or a child–woman ratio above `maxChildWomanRatio`, is not
    /// believed either: the area borrows.
    public var maxRatio = 3.0
    public var maxChildWomanRatio = 1.0
    public var control: ControlTotals?

    public init(baseYear: Int, horizon: Int) {
        self.baseYear = baseYear
        self.horizon = horizon
    }

    public var years: [Int] { Array(stride(from: baseYear, through: horizon, by: 5)) }
}

/// One small area through the years.
public struct AreaProjection: Sendable {
    public var id: String
    public var name: String
    /// The KEY_CODE whose ratios it was projected with: its own, or its parent's.
    public var ratiosFrom: String
    /// Why it borrowed, if it did.
    public var borrowed: String?
    /// One per year of `ProjectionOptions.years`, the base year's the census counts.
    public var structures: [AgeStructure]
}

/// Small areas projected by cohort change ratios (Hamilton–Perry), five years at a time.
public struct Projection: Sendable {
    public var options: ProjectionOptions
    public var years: [Int]
    public var areas: [AreaProjection]
    /// The sum of the areas, by year.
    public var city: [AgeStructure]
    /// Areas the census counts in another (HTKSYORI 2 → HTKSAKI): projected with their host.
    public var countedIn: [String: String]
    public var warnings: [String]

    public static func run(previous: AgeTable, current: AgeTable, options: ProjectionOptions) throws -> Projection {
        guard ProjectionOptions.isCensusYear(options.baseYear) else {
            throw ParameterError("baseYear", "a census year (1920, 1925, … 2100: every five years); got \(options.baseYear)")
        }
        guard options.horizon > options.baseYear, (options.horizon - options.baseYear) % 5 == 0 else {
            throw ParameterError("horizon", "the horizon must be a multiple of five years after the base year \(options.baseYear); got \(options.horizon)")
        }
        let keys = Set(current.rows.map(\.keyCode))
        let sortedKeys = keys.sorted()
        func hasChildren(_ key: String) -> Bool {
            sortedKeys.contains { $0 != key && $0.hasPrefix(key) }
        }
        let areaRows = current.rows.filter { $0.level > 1 && !hasChildren($0.keyCode) && $0.suppression != 2 }
        var countedIn: [String: String] = [:]
        for row in current.rows where row.suppression == 2 { countedIn[row.keyCode] = row.countedIn ?? "" }
        let matched = areaRows.filter { previous.structures[$0.keyCode] != nil }
        guard !matched.isEmpty else {
            throw DataError(file: previous.path, field: "KEY_CODE", "no small area of \(current.path) is in this table: the two censuses do not match")
        }
        if current.structures.allSatisfy({ previous.structures[$0.key] == $0.value }) {
            throw DataError(file: previous.path, "holds the same counts as \(current.path): give the census five years before \(options.baseYear)")
        }
        var warnings: [String] = []
        let missing = areaRows.filter { previous.structures[$0.keyCode] == nil }.map(\.keyCode)
        if !missing.isEmpty {
            warnings.append("\(missing.count) small area(s) not in the previous census borrow their parent's ratios: \(TextFormat.listed(missing))")
        }
        let gone = Set(previous.rows.map(\.keyCode)).subtracting(keys).sorted()
        if !gone.isEmpty { warnings.append("\(gone.count) area(s) of the previous census are not in the current one: \(TextFormat.listed(gone))") }

        // Ratios where both censuses count the area and they are believable.
        func ratios(_ key: String) -> CohortRatios? {
            guard let old = previous.structures[key], let new = current.structures[key],
                  let r = CohortRatios(previous: old, current: new),
                  r.largest <= options.maxRatio, max(r.childWomanMale, r.childWomanFemale) <= options.maxChildWomanRatio else { return nil }
            return r
        }
        // The nearest ancestor with ratios: the longest other key that prefixes it, up to the municipality.
        func ancestor(_ key: String) -> (key: String, ratios: CohortRatios)? {
            let parents = sortedKeys.filter { $0 != key && key.hasPrefix($0) }.sorted { $0.count > $1.count }
            for p in parents { if let r = ratios(p) { return (p, r) } }
            let municipality = String(key.prefix(5))
            return ratios(municipality).map { (municipality, $0) }
        }
        var areas: [(row: CensusRow, from: String, reason: String?, ratios: CohortRatios)] = []
        for row in areaRows {
            guard let base = current.structures[row.keyCode] else {
                warnings.append("\(row.keyCode) \(row.name): ages suppressed in the census, left out")
                continue
            }
            var reason: String?
            if previous.structures[row.keyCode] == nil { reason = "not in the previous census" }
            else if base.population < options.minPopulation {
                reason = "fewer than \(formatReal(options.minPopulation)) people"
            } else if ratios(row.keyCode) == nil { reason = "ratios out of bounds or undefined" }
            if let own = ratios(row.keyCode), reason == nil {
                areas.append((row, row.keyCode, nil, own))
            } else if let (key, r) = ancestor(row.keyCode) {
                areas.append((row, key, reason, r))
            } else {
                throw DataError(file: current.path, record: row.line, field: "KEY_CODE",
                                "\(row.keyCode) \(row.name) has no ratios of its own (\(reason ?? "")) and no parent or municipality row to borrow from")
            }
        }

        let years = options.years
        var structures = areas.map { [current.structures[$0.row.keyCode]!] }
        for (step, year) in years.enumerated().dropFirst() {
            var next = areas.indices.map { areas[$0].ratios.project(structures[$0][step - 1]) }
            if let control = options.control { try scale(&next, to: control, year: year) }
            for k in areas.indices { structures[k].append(next[k]) }
        }
        let projected = areas.indices.map { k in
            AreaProjection(id: areas[k].row.keyCode, name: areas[k].row.name, ratiosFrom: areas[k].from, borrowed: areas[k].reason,
                           structures: structures[k])
        }
        let city = years.indices.map { y in projected.reduce(AgeStructure.zero) { $0 + $1.structures[y] } }
        return Projection(options: options, years: years, areas: projected, city: city, countedIn: countedIn, warnings: warnings)
    }

    /// Scales every area's groups so that they add up to the control in `year` (both sexes by the
    /// same factor when the control has no sexes).
    static func scale(_ areas: inout [AgeStructure], to control: ControlTotals, year: Int) throws {
        guard let male = control.male[year] else { return }
        for g in 0..<AgeStructure.groupCount {
            if let female = control.female?[year] {
                let (m, f) = (areas.reduce(0) { $0 + $1.male[g] }, areas.reduce(0) { $0 + $1.female[g] })
                guard (m > 0 || male[g] == 0), (f > 0 || female[g] == 0) else {
                    throw DataError(file: control.path, field: AgeStructure.groupLabels[g],
                                    "\(year): the control has people where the projection has none; it cannot be scaled")
                }
                for k in areas.indices {
                    if m > 0 { areas[k].male[g] *= male[g] / m }
                    if f > 0 { areas[k].female[g] *= female[g] / f }
                }
            } else {
                let total = areas.reduce(0) { $0 + $1.male[g] + $1.female[g] }
                guard total > 0 || male[g] == 0 else {
                    throw DataError(file: control.path, field: AgeStructure.groupLabels[g],
                                    "\(year): the control has people where the projection has none; it cannot be scaled")
                }
                let factor = total > 0 ? male[g] / total : 0
                for k in areas.indices { areas[k].male[g] *= factor; areas[k].female[g] *= factor }
            }
        }
    }

    /// The first year a unit's aging rate reaches `share`, or nil.
    public static func firstYear(_ years: [Int], rates: [Double?], reaching share: Double) -> Int? {
        zip(years, rates).first { ($0.1 ?? 0) >= share }?.0
    }
}
