import Demography
import GeoCore
import GeoEngine

/// The units a merge works on (hamlets, or any districts with counts), their contiguity and
/// the aging classes of each. Built once, shared by scenarios, proposals and regions.
public struct MergeLayer: Sendable {
    public var units: [District]
    public var figures: [AgingFigures]
    public var graph: ContiguityGraph
    public var thresholds: AgingThresholds
    /// Whether the layer counts people aged 65+ (else rates and classes are not reported).
    public var agedKnown: Bool
    private var indexByID: [String: Int]
    private var shared: [Int: Double]

    /// `units` need population counts; the contiguity graph is built from their planar shapes.
    public init(_ units: [District], planarCRS: CRS, source: String, thresholds: AgingThresholds = AgingThresholds(),
                minimumSharedLength: Double = 1, islandLinkDistance: Double = 5_000) throws {
        guard !units.isEmpty else { throw DataError(file: source, "no units to merge") }
        self.figures = try units.map { u in
            guard let f = u.figures else {
                throw DataError(file: source, field: "population", "unit \(u.id) has no population count; name the field with --population")
            }
            return f
        }
        self.units = units
        self.thresholds = thresholds
        self.agedKnown = units.allSatisfy(\.agedKnown)
        self.graph = try ContiguityGraph(try units.planeShapes(), crs: planarCRS, minimumSharedLength: minimumSharedLength,
                                         islandLinkDistance: islandLinkDistance)
        self.indexByID = Dictionary(units.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var shared: [Int: Double] = [:]
        for e in graph.edges { shared[e.a * units.count + e.b] = e.sharedLength }
        self.shared = shared
    }

    public var count: Int { units.count }

    public func index(of id: String) -> Int? { indexByID[id] }

    /// Shared boundary in metres between two neighbours (0 for an island link or non-neighbours).
    public func sharedLength(_ a: Int, _ b: Int) -> Double {
        shared[min(a, b) * units.count + max(a, b)] ?? 0
    }

    /// Whether two units are linked only across water (an island link, no shared border).
    public func isIslandLink(_ a: Int, _ b: Int) -> Bool {
        shared[min(a, b) * units.count + max(a, b)] == 0
    }

    public func classes(_ f: AgingFigures) -> AgingClasses { agedKnown ? thresholds.classes(f) : [] }

    /// How many units of `members` fall in each class.
    public func counts(_ unitFigures: [AgingFigures]) -> ClassCounts {
        var c = ClassCounts(units: unitFigures.count)
        for f in unitFigures {
            let k = classes(f)
            if k.contains(.marginal) { c.marginal += 1 }
            if k.contains(.support) { c.support += 1 }
            if k.contains(.smallAndAged) { c.smallAndAged += 1 }
        }
        return c
    }
}

/// Number of units in each aging class.
public struct ClassCounts: Sendable, Hashable {
    public var units: Int
    /// ≥ 50 %.
    public var marginal = 0
    /// ≥ 45 %.
    public var support = 0
    /// ≥ 50 % and ≤ 19 households.
    public var smallAndAged = 0

    public init(units: Int, marginal: Int = 0, support: Int = 0, smallAndAged: Int = 0) {
        self.units = units; self.marginal = marginal; self.support = support; self.smallAndAged = smallAndAged
    }
}

extension AgingClasses {
    /// The strongest class, for a table cell: small-and-aged, ≥50%, ≥45% or "".
    public var strongest: String {
        if contains(.smallAndAged) { return "small-and-aged" }
        if contains(.marginal) { return "aged≥50%" }
        if contains(.support) { return "aged≥45%" }
        return ""
    }
}
