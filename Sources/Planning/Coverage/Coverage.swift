import Demography
import GeoCore

public struct CoverageOptions: Sendable {
    /// Share of the denominator the councils should cover, in (0, 1].
    public var target = 0.85
    public var minimumSharedLength = 1.0
    public var islandLinkDistance = 5_000.0
    /// Whether a single district may form a new council on its own. When false, every new
    /// council in the plan has at least two contiguous districts.
    public var singleDistrictCouncils = true
    public var timeLimit = 60.0
    public init() {}
}

/// One council's part of the coverage.
public struct CouncilCoverage: Sendable {
    public var name: String
    public var fiscalYear: Int?
    public var members: [Int]
    public var areaM2: Double
    public var share: Double
    public var figures: AgingFigures
    /// Whether every member's aged 65+ was counted; otherwise `figures.aged` means nothing.
    public var agedKnown: Bool
    /// Proposed by the plan rather than established.
    public var proposed: Bool
}

public struct CoverageReport: Sendable {
    public var districts: [District]
    /// Council of each district (nil: uncovered).
    public var councilOf: [String?]
    public var fiscalYearOf: [Int?]
    public var denominator: Double
    public var denominatorSource: String
    public var target: Double
    public var coveredArea: Double
    public var councils: [CouncilCoverage]
    public var timeline: [(fiscalYear: Int, area: Double, share: Double)]
    public var graph: ContiguityGraph
    public var plan: CoveragePlan
    public var warnings: [String]

    public var share: Double { coveredArea / denominator }
    /// Area still to cover to reach the target (0 when reached).
    public var gapArea: Double { max(0, target * denominator - coveredArea) }
    public var uncovered: [Int] { councilOf.indices.filter { councilOf[$0] == nil } }
}

public enum Coverage {
    /// Covered share, per-council figures, timeline, contiguity graph and the plan.
    /// `membership` maps district ids to council names; councils give names and years.
    public static func run(_ districts: [District], planarCRS: CRS, membership: [String: String],
                           councils: [Council], denominator: Double, denominatorSource: String,
                           options: CoverageOptions = CoverageOptions()) throws -> CoverageReport {
        guard options.target > 0, options.target <= 1 else {
            throw ParameterError("target", "target share must be in (0, 1]; got \(options.target)")
        }
        guard denominator > 0 else { throw DataError(file: denominatorSource, "the denominator area is 0") }
        var warnings: [String] = []
        let councilOf = districts.map { membership[$0.id] }
        let yearOf = Dictionary(councils.map { ($0.name, $0.fiscalYear) }, uniquingKeysWith: { a, _ in a })
        let fiscalYearOf = councilOf.map { $0.flatMap { yearOf[$0] ?? nil } }
        var councilRows: [CouncilCoverage] = []
        for c in councils {
            let members = districts.indices.filter { councilOf[$0] == c.name }
            if members.isEmpty { warnings.append("council \(c.name) has no district in this layer (area 0)") }
            if c.fiscalYear == nil { warnings.append("council \(c.name) has no fiscal year: left out of the timeline") }
            councilRows.append(row(c.name, c.fiscalYear, members, districts, denominator, proposed: false))
        }
        let covered = districts.indices.filter { councilOf[$0] != nil }.reduce(0) { $0 + districts[$1].areaM2 }
        let years = Set(councils.compactMap(\.fiscalYear)).sorted()
        let timeline = years.map { y -> (Int, Double, Double) in
            let area = districts.indices.filter { (fiscalYearOf[$0] ?? Int.max) <= y }.reduce(0) { $0 + districts[$1].areaM2 }
            return (y, area, area / denominator)
        }
        let graph = try ContiguityGraph(try districts.planeShapes(), crs: planarCRS,
                                        minimumSharedLength: options.minimumSharedLength,
                                        islandLinkDistance: options.islandLinkDistance)
        let plan = try CoveragePlanner(districts: districts, councilOf: councilOf, graph: graph,
                                       need: options.target * denominator - covered, options: options).solve()
        for (name, members) in plan.proposedCouncils {
            councilRows.append(row(name, nil, members, districts, denominator, proposed: true))
        }
        return CoverageReport(districts: districts, councilOf: councilOf, fiscalYearOf: fiscalYearOf,
                              denominator: denominator, denominatorSource: denominatorSource, target: options.target,
                              coveredArea: covered, councils: councilRows, timeline: timeline, graph: graph, plan: plan,
                              warnings: warnings)
    }

    static func row(_ name: String, _ year: Int?, _ members: [Int], _ districts: [District],
                    _ denominator: Double, proposed: Bool) -> CouncilCoverage {
        let area = members.reduce(0) { $0 + districts[$1].areaM2 }
        let figures = members.reduce(AgingFigures.zero) { $0 + (districts[$1].figures ?? .zero) }
        return CouncilCoverage(name: name, fiscalYear: year, members: members, areaM2: area, share: area / denominator,
                               figures: figures, agedKnown: members.allSatisfy { districts[$0].agedKnown }, proposed: proposed)
    }
}
