import GeoCore
import GeoIO

/// A max-p regionalization instance: partition units into the most contiguous regions, each
/// reaching a floor (e.g. ≥ 20 households) and, optionally, at most an aging rate, a constraint
/// the usual max-p tools (PySAL spopt's MaxPHeuristic) do not offer.
public struct RegionProblem: Sendable {
    /// Each unit's value of the floor attribute (households or population).
    public var values: [Double]
    public var floor: Double
    public var neighbours: [[Int]]
    /// Population and aged 65+ per unit, for `maximumAgingRate`.
    public var population: [Int]
    public var aged: [Int]
    public var maximumAgingRate: Double?
    /// For messages: what the floor counts ("households") and the units' ids.
    public var floorName: String
    public var ids: [String]

    public init(values: [Double], floor: Double, neighbours: [[Int]], population: [Int] = [], aged: [Int] = [],
                maximumAgingRate: Double? = nil, floorName: String = "households", ids: [String]) {
        self.values = values; self.floor = floor; self.neighbours = neighbours
        self.population = population.isEmpty ? Array(repeating: 0, count: values.count) : population
        self.aged = aged.isEmpty ? Array(repeating: 0, count: values.count) : aged
        self.maximumAgingRate = maximumAgingRate; self.floorName = floorName; self.ids = ids
    }

    public var count: Int { values.count }
}

public struct RegionOptions: Sendable {
    public var seed: UInt64 = 0
    /// Randomised constructions; the best is then improved by re-splitting regions.
    public var constructions = 100
    /// How many of the best constructions are improved.
    public var improved = 4
    /// Attempts at re-splitting one region (or a pair of adjacent regions) into more.
    public var splitAttempts = 30
    public init() {}
}

public struct RegionSolution: Sendable {
    /// Region of each unit, numbered 0… in order of each region's first unit.
    public var labels: [Int]
    public var regions: [[Int]]
    /// No partition has more regions: over connected parts, the units meeting the floor alone
    /// plus ⌊(the rest's total) / floor⌋.
    public var upperBound: Int
    /// Regions of the chosen construction, before re-splitting.
    public var constructed: Int
    public var p: Int { regions.count }
}

public enum MaxPRegions {
    /// Solves `problem`; deterministic for a given seed (parallel constructions each get their
    /// own stream, and the best is chosen by region count, then construction number).
    /// Throws when no partition can meet the thresholds, naming the units that cannot.
    public static func solve(_ problem: RegionProblem, options: RegionOptions = RegionOptions(), source: String) throws -> RegionSolution {
        let solver = RegionBuilder(problem)
        let upper = try solver.checkFeasible(source: source)
        let all = Array(0..<problem.count)
        let attempts = try parallelMap(Array(0..<max(1, options.constructions))) { chunk in
            chunk.map { k -> (k: Int, regions: [[Int]]?) in
                var rng = SplitMix64(seed: options.seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
                return (k, solver.partition(all, rng: &rng, greedy: k == 0))
            }
        }
        // Improve the best few constructions: the most regions after construction is not always
        // the most after re-splitting (on Tottori the greedy one often wins).
        let ranked = attempts.compactMap { a in a.regions.map { (k: a.k, regions: $0) } }
            .sorted { ($0.regions.count, -$0.k) > ($1.regions.count, -$1.k) }
        guard !ranked.isEmpty else {
            throw DataError(file: source, field: problem.floorName,
                            "no partition found in \(options.constructions) tries that gives every region \(describe(problem))")
        }
        let finalists = Array(ranked.prefix(options.improved))
        let improved = try parallelMap(finalists) { chunk in
            chunk.map { f -> (k: Int, regions: [[Int]], constructed: Int) in
                var rng = SplitMix64(seed: options.seed ^ (0xD1B5_4A32_D192_ED03 &* UInt64(f.k + 1)))
                return (f.k, solver.improve(f.regions, rng: &rng, attempts: options.splitAttempts), f.regions.count)
            }
        }
        let best = improved.max { ($0.regions.count, -$0.k) < ($1.regions.count, -$1.k) }!
        return solution(best.regions, count: problem.count, upperBound: upper, constructed: best.constructed)
    }

    static func describe(_ p: RegionProblem) -> String {
        var s = "≥ \(formatReal(p.floor)) \(p.floorName)"
        if let cap = p.maximumAgingRate { s += " and an aging rate ≤ \(formatReal(cap * 100))%" }
        return s
    }

    static func solution(_ regions: [[Int]], count: Int, upperBound: Int, constructed: Int) -> RegionSolution {
        let ordered = regions.map { $0.sorted() }.sorted { $0[0] < $1[0] }
        var labels = Array(repeating: -1, count: count)
        for (r, members) in ordered.enumerated() { for m in members { labels[m] = r } }
        return RegionSolution(labels: labels, regions: ordered, upperBound: upperBound, constructed: constructed)
    }
}

/// Deterministic 64-bit generator (SplitMix64), so a seed gives the same regions everywhere.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}
