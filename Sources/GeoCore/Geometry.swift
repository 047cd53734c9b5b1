/// A position in the layer's coordinate reference system: `x` is easting or longitude,
/// `y` northing or latitude (GIS axis order, whatever the CRS's official order is).
public struct Coordinate: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// Twice the signed area of a closed ring (first == last) in its own units: positive when it
/// runs counter-clockwise. For a ring's orientation; areas are measured in GeoEngine.
public func twiceSignedArea(_ ring: [Coordinate]) -> Double {
    var sum = 0.0
    for i in ring.indices.dropLast() { sum += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
    return sum
}

/// A polygon as rings of coordinates; each ring is closed (first == last).
public struct Polygon: Sendable, Hashable {
    public var exterior: [Coordinate]
    public var holes: [[Coordinate]]
    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        self.exterior = exterior
        self.holes = holes
    }
    public var rings: [[Coordinate]] { [exterior] + holes }
}

/// Simple-features geometry as a plain value. Engines (GEOS, PROJ, GDAL) convert it in bulk,
/// one ring at a time, so it can be passed between tasks and compared in tests.
public enum Geometry: Sendable, Hashable {
    case point(Coordinate)
    case lineString([Coordinate])
    case polygon(Polygon)
    case multiPoint([Coordinate])
    case multiLineString([[Coordinate]])
    case multiPolygon([Polygon])
    case collection([Geometry])

    public var isPolygonal: Bool {
        switch self {
        case .polygon, .multiPolygon: return true
        case .collection(let parts): return !parts.isEmpty && parts.allSatisfy(\.isPolygonal)
        default: return false
        }
    }

    /// The polygons of a polygonal geometry (flattening collections); empty otherwise.
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): return [p]
        case .multiPolygon(let ps): return ps
        case .collection(let parts): return parts.flatMap(\.polygons)
        default: return []
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .point: return false
        case .lineString(let c), .multiPoint(let c): return c.isEmpty
        case .polygon(let p): return p.exterior.isEmpty
        case .multiLineString(let ls): return ls.allSatisfy(\.isEmpty)
        case .multiPolygon(let ps): return ps.allSatisfy { $0.exterior.isEmpty }
        case .collection(let gs): return gs.allSatisfy(\.isEmpty)
        }
    }

    /// Every coordinate, in order, for bounding boxes and bulk transforms.
    public func forEachCoordinate(_ body: (Coordinate) -> Void) {
        switch self {
        case .point(let c): body(c)
        case .lineString(let cs), .multiPoint(let cs): cs.forEach(body)
        case .multiLineString(let ls): ls.forEach { $0.forEach(body) }
        case .polygon(let p): p.rings.forEach { $0.forEach(body) }
        case .multiPolygon(let ps): ps.forEach { $0.rings.forEach { $0.forEach(body) } }
        case .collection(let gs): gs.forEach { $0.forEachCoordinate(body) }
        }
    }

    /// The same geometry with every coordinate sequence replaced by `transform(sequence)`.
    /// Used for bulk reprojection: one call per ring, not per point.
    public func mapSequences(_ transform: ([Coordinate]) throws -> [Coordinate]) rethrows -> Geometry {
        func poly(_ p: Polygon) throws -> Polygon {
            Polygon(exterior: try transform(p.exterior), holes: try p.holes.map(transform))
        }
        switch self {
        case .point(let c): return .point(try transform([c])[0])
        case .lineString(let cs): return .lineString(try transform(cs))
        case .multiPoint(let cs): return .multiPoint(try transform(cs))
        case .multiLineString(let ls): return .multiLineString(try ls.map(transform))
        case .polygon(let p): return .polygon(try poly(p))
        case .multiPolygon(let ps): return .multiPolygon(try ps.map(poly))
        case .collection(let gs): return .collection(try gs.map { try $0.mapSequences(transform) })
        }
    }

    public var boundingBox: BoundingBox? {
        var box: BoundingBox?
        forEachCoordinate { c in
            if box == nil { box = BoundingBox(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y) } else { box!.extend(c) }
        }
        return box
    }
}

public struct BoundingBox: Sendable, Hashable {
    public var minX, minY, maxX, maxY: Double
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
    public mutating func extend(_ c: Coordinate) {
        minX = Swift.min(minX, c.x); maxX = Swift.max(maxX, c.x)
        minY = Swift.min(minY, c.y); maxY = Swift.max(maxY, c.y)
    }
    public mutating func extend(_ b: BoundingBox) {
        minX = Swift.min(minX, b.minX); maxX = Swift.max(maxX, b.maxX)
        minY = Swift.min(minY, b.minY); maxY = Swift.max(maxY, b.maxY)
    }
    public var center: Coordinate { Coordinate((minX + maxX) / 2, (minY + maxY) / 2) }
    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }

    public static func union<S: Sequence>(_ boxes: S) -> BoundingBox? where S.Element == BoundingBox {
        var result: BoundingBox?
        for b in boxes { if result == nil { result = b } else { result!.extend(b) } }
        return result
    }
}
