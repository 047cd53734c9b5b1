import Demography
import GeoCore

/// A demand point or a candidate site: where it is in the layer's CRS (for output) and in the
/// plane zone (metres, for distances).
public struct HubPlace: Sendable, Hashable {
    public var id: String
    public var name: String
    /// In the demand layer's CRS (lon/lat for e-Stat and GeoJSON).
    public var location: Coordinate
    /// In the plane zone, metres.
    public var planar: Coordinate
    /// Demand weight (people); 0 for candidate sites.
    public var weight: Double
    /// A candidate that is open in every solution (an existing hub).
    public var fixed: Bool
    /// The weight a candidate can serve (its capacity field), if the file gives one.
    public var capacity: Double?

    public init(id: String, name: String, location: Coordinate, planar: Coordinate, weight: Double = 0, fixed: Bool = false) {
        self.id = id; self.name = name; self.location = location; self.planar = planar
        self.weight = weight; self.fixed = fixed
    }
}

/// What a demand point's weight counts.
public enum HubWeight: Sendable, Hashable, CustomStringConvertible {
    /// People aged 65+: an `aged_65_plus` field, or an e-Stat census table for small areas.
    case aged
    /// Total population: a `JINKO` (e-Stat) or `population` field.
    case population
    /// Any numeric field.
    case field(String)

    public init(argument: String) {
        switch argument {
        case "aged", "aged65", "65+": self = .aged
        case "population", "pop": self = .population
        default: self = .field(argument)
        }
    }

    public var description: String {
        switch self {
        case .aged: return "people aged 65+"
        case .population: return "population"
        case .field(let f): return "field \(f)"
        }
    }

    /// The weight a unit's figures give (aged 65+ or people); nil for a named field.
    public func value(_ f: AgingFigures) -> Double? {
        switch self {
        case .aged: return Double(f.aged)
        case .population: return Double(f.population)
        case .field: return nil
        }
    }

    /// Field names tried in order, for layers that carry the count.
    var fieldNames: [String] {
        switch self {
        case .aged: return ["aged_65_plus"]
        case .population: return ["JINKO", "population"]
        case .field(let f): return [f]
        }
    }
}
