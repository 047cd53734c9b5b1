/// Population, aged 65+ and households of a unit (small area, hamlet, council) and its
/// aging rate (高齢化率).
public struct AgingFigures: Sendable, Hashable {
    public var population: Int
    public var aged: Int
    public var households: Int?
    /// People whose age is unknown (年齢「不詳」); left out of the rate's denominator, as the
    /// Statistics Bureau does.
    public var unknownAge: Int

    public init(population: Int, aged: Int, households: Int?, unknownAge: Int = 0) {
        self.population = population
        self.aged = aged
        self.households = households
        self.unknownAge = unknownAge
    }

    /// Share aged 65+ among people of known age; nil for an empty unit.
    public var rate: Double? {
        let denominator = population - unknownAge
        return denominator > 0 ? Double(aged) / Double(denominator) : nil
    }

    public static func + (a: AgingFigures, b: AgingFigures) -> AgingFigures {
        AgingFigures(population: a.population + b.population, aged: a.aged + b.aged,
                     households: a.households.flatMap { x in b.households.map { x + $0 } },
                     unknownAge: a.unknownAge + b.unknownAge)
    }

    public static let zero = AgingFigures(population: 0, aged: 0, households: 0)
}

/// The thresholds the plans use. Defaults: 限界 (marginal) at 50 %, hamlet support workers
/// (集落支援員) at 45 %, "small and aged" at 50 % with 19 households or fewer.
public struct AgingThresholds: Sendable, Hashable {
    public var marginal = 0.50
    public var support = 0.45
    public var smallHouseholds = 19
    public init() {}
}

public struct AgingClasses: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// ≥ 50 %: 限界集落 in the plans' sense.
    public static let marginal = AgingClasses(rawValue: 1)
    /// ≥ 45 %: where hamlet support workers are assigned.
    public static let support = AgingClasses(rawValue: 2)
    /// ≥ 50 % and ≤ 19 households: 小規模高齢化集落.
    public static let smallAndAged = AgingClasses(rawValue: 4)

    public var labels: [String] {
        var out: [String] = []
        if contains(.marginal) { out.append("aged≥50%") }
        if contains(.support) { out.append("aged≥45%") }
        if contains(.smallAndAged) { out.append("small-and-aged") }
        return out
    }
}

extension AgingThresholds {
    public func classes(_ f: AgingFigures) -> AgingClasses {
        guard let rate = f.rate else { return [] }
        var c: AgingClasses = []
        // Compare in whole per-mille-free form: 0.5 exactly (e.g. 532/1064) is in the class.
        if rate >= marginal - 1e-12 { c.insert(.marginal) }
        if rate >= support - 1e-12 { c.insert(.support) }
        if c.contains(.marginal), let h = f.households, h <= smallHouseholds { c.insert(.smallAndAged) }
        return c
    }
}
