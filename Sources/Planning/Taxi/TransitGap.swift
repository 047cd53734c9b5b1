import Demography
import GeoCore
import GeoEngine

/// What kind of public transport a stop serves; each kind has its own walking radius.
public enum TransitKind: String, Sendable, CaseIterable {
    case busStop = "bus stop"
    case station
}

public struct TransitStop: Sendable, Hashable {
    public var point: NamedPoint
    public var kind: TransitKind
    public init(point: NamedPoint, kind: TransitKind) { self.point = point; self.kind = kind }
}

/// How far people walk to a stop.
public enum Walk: Sendable {
    /// Straight line: the area within the radius of a stop is a disc.
    case straight
    /// Along roads: the straight walk to the nearest road, then along the road to the point
    /// where the stop joins it, then to the stop (as `CostMatrix.road` measures). Evaluated at
    /// the centres of square cells of `cell` metres: the gap's outline is that coarse.
    case road(RoadNetwork, cell: Double)

    public var description: String {
        switch self {
        case .straight: return "straight line"
        case .road(_, let cell): return "road network (walk to the nearest road, then along it; cells of \(formatMetres(cell)))"
        }
    }
}

/// 交通空白地域 settings. The radii are the ones Japanese municipal transport plans most often
/// use for "within walking distance": 300 m of a bus stop (about 5 minutes for an older person)
/// and 800 m of a station (about 10 minutes); some plans use 500 m and 1 km.
public struct GapOptions: Sendable {
    public var busStopRadius = 300.0
    public var stationRadius = 800.0
    public var walk: Walk = .straight
    /// Segments per quarter circle of a stop's disc: 16 (a 64-gon, as shapely's default) keeps
    /// the disc's area within 0.2 % of the circle's.
    public var quadrantSegments = 16
    public init() {}

    public func radius(_ kind: TransitKind) -> Double {
        kind == .busStop ? busStopRadius : stationRadius
    }
}

/// One district's share of the gap.
public struct DistrictGap: Sendable {
    /// Index into the districts analysed.
    public var district: Int
    /// The district's planar area (m²), the denominator of the apportioning.
    public var area: Double
    public var gapArea: Double
    /// The part of the district beyond every stop's radius (plane zone); nil when none.
    public var gap: Geometry?
    /// People in the gap, apportioned by area: the district's count × gap area / area.
    public var population: Double
    public var aged: Double

    public var share: Double { area > 0 ? gapArea / area : 0 }
}

public struct TransitGapResult: Sendable {
    public var districts: [DistrictGap]
    public var options: GapOptions
    /// Stops that reach at least one district.
    public var stopsUsed: Int
    /// Stops whose radius reaches no district: ignored, and reported.
    public var stopsOutside: [TransitStop]

    public var area: Double { districts.reduce(0) { $0 + $1.area } }
    public var gapArea: Double { districts.reduce(0) { $0 + $1.gapArea } }
    public var populationInGap: Double { districts.reduce(0) { $0 + $1.population } }
    public var agedInGap: Double { districts.reduce(0) { $0 + $1.aged } }
}

/// The transit-gap analysis: which parts of each district lie beyond walking distance of every
/// bus stop and station, and how many people (and people aged 65+) live there. People are
/// assumed spread evenly over their district: the counts in the gap are apportioned by area.
public enum TransitGap {
    public static func analyse(_ districts: [District], stops: [TransitStop], options: GapOptions = GapOptions(),
                               planarCRS: CRS) throws -> TransitGapResult {
        let gaps: [DistrictGap]
        var reached: [Bool]
        switch options.walk {
        case .straight:
            (gaps, reached) = try straightGaps(districts, stops: stops, options: options, planarCRS: planarCRS)
        case .road(let network, let cell):
            // A stop matters when its radius reaches some district: the others are reported, not used.
            let engine = GeometryEngine()
            let index = try PolygonIndex(try districts.planeShapes(), crs: planarCRS, engine: engine)
            reached = try stops.map { stop in
                let disc = try engine.buffer(.point(stop.point.position), distance: options.radius(stop.kind),
                                             quadrantSegments: options.quadrantSegments)
                return try !index.intersecting(disc).isEmpty
            }
            let used = stops.indices.filter { reached[$0] }.map { stops[$0] }
            let reach = WalkReach(network, stops: used.map { ($0.point.position, options.radius($0.kind)) })
            gaps = try parallelMap(Array(districts.indices)) { chunk in
                let measurer = Measurer()
                return try chunk.map { try reach.gap(of: districts[$0], index: $0, cell: cell, measurer: measurer, planarCRS: planarCRS) }
            }
        }
        return TransitGapResult(districts: gaps, options: options, stopsUsed: reached.filter { $0 }.count,
                                stopsOutside: stops.indices.filter { !reached[$0] }.map { stops[$0] })
    }

    /// Each district minus the discs of the stops that reach it, district by district in
    /// parallel (one GEOS context per chunk), so no union of every disc is ever built. Also
    /// says which stops reach some district.
    static func straightGaps(_ districts: [District], stops: [TransitStop], options: GapOptions,
                             planarCRS: CRS) throws -> ([DistrictGap], [Bool]) {
        let positions = stops.map(\.point.position)
        let radii = stops.map { options.radius($0.kind) }
        let maxRadius = radii.max() ?? 0
        let grid = PointGrid(positions, cell: max(maxRadius, 1))
        let results = try parallelMap(Array(districts.indices)) { chunk in
            let measurer = Measurer()
            let engine = measurer.engine
            return try chunk.map { i -> (DistrictGap, [Int]) in
                let d = districts[i]
                let plane = try d.planeShape()
                guard let box = plane.boundingBox else { return (DistrictGap.empty(i, d), []) }
                // Stops whose disc reaches the district's box: the candidates GEOS then tests exactly.
                let reach = (box.width * box.width + box.height * box.height).squareRoot() / 2 + maxRadius
                let near = grid.within(reach, of: box.center).map(\.index).filter { k in
                    let p = positions[k], r = radii[k]
                    return p.x >= box.minX - r && p.x <= box.maxX + r && p.y >= box.minY - r && p.y <= box.maxY + r
                }
                let cut: (remainder: Geometry, reached: [Bool], area: Double, remainderArea: Double)
                do {
                    cut = try engine.subtractingDiscs(from: plane, centres: near.map { positions[$0] }, radii: near.map { radii[$0] },
                                                      quadrantSegments: options.quadrantSegments)
                } catch is EngineError {
                    // A reprojected polygon can pick up a self-touching ring GEOS's overlay rejects: repair and retry.
                    cut = try engine.subtractingDiscs(from: try engine.makeValid(plane), centres: near.map { positions[$0] },
                                                      radii: near.map { radii[$0] }, quadrantSegments: options.quadrantSegments)
                }
                let gap = DistrictGap.apportioned(i, d, gap: cut.remainder, area: cut.area, gapArea: cut.remainderArea)
                return (gap, near.indices.filter { cut.reached[$0] }.map { near[$0] })
            }
        }
        var reached = [Bool](repeating: false, count: stops.count)
        for (_, hits) in results { for k in hits { reached[k] = true } }
        return (results.map(\.0), reached)
    }
}

extension DistrictGap {
    static func empty(_ i: Int, _ d: District) -> DistrictGap {
        DistrictGap(district: i, area: 0, gapArea: 0, gap: nil, population: 0, aged: 0)
    }

    /// The gap's counts: the district's people × the gap's share of its area.
    static func apportioned(_ i: Int, _ d: District, gap: Geometry, measurer: Measurer, planarCRS: CRS) throws -> DistrictGap {
        let area = try measurer.planarArea(try d.planeShape(), crs: planarCRS)
        let polygons = gap.polygons.filter { !$0.exterior.isEmpty }
        let gapArea = polygons.isEmpty ? 0 : try measurer.planarArea(.multiPolygon(polygons), crs: planarCRS)
        return apportioned(i, d, gap: gap, area: area, gapArea: gapArea)
    }

    /// The same with the areas already measured (m²; the gap's polygonal part only).
    static func apportioned(_ i: Int, _ d: District, gap: Geometry, area: Double, gapArea: Double) -> DistrictGap {
        let polygons = gap.polygons.filter { !$0.exterior.isEmpty }
        // Slivers under a square metre are rounding, not gap.
        guard gapArea >= 1, area > 0, !polygons.isEmpty else {
            return DistrictGap(district: i, area: area, gapArea: 0, gap: nil, population: 0, aged: 0)
        }
        let share = min(1, gapArea / area)
        let figures = d.figures
        return DistrictGap(district: i, area: area, gapArea: gapArea, gap: polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons),
                           population: Double(figures?.population ?? 0) * share, aged: Double(figures?.aged ?? 0) * share)
    }
}

func formatMetres(_ m: Double) -> String { m == m.rounded() ? "\(Int(m)) m" : "\(m) m" }
