import GeoCore

/// Planar area as GEOS computes it (`Area::ofRingSigned`, `Polygon::getArea`,
/// `GeometryCollection::getArea` in GEOS 3.11), term for term, so the areas are the same to the
/// last bit, without building a GEOS geometry: measuring a country's 225,000 small areas spent
/// more time copying rings into GEOS than projecting them.
enum PlanarArea {
    /// The area of a polygonal geometry (0 for points and lines); `ring` gives each ring's
    /// absolute area, e.g. after projecting it.
    static func of(_ geometry: Geometry, ring: ([Coordinate]) throws -> Double) rethrows -> Double {
        switch geometry {
        case .polygon(let p): return try polygon(p, ring)
        case .multiPolygon(let ps): return try ps.reduce(0) { $0 + (try polygon($1, ring)) }
        case .collection(let gs): return try gs.reduce(0) { $0 + (try of($1, ring: ring)) }
        case .point, .lineString, .multiPoint, .multiLineString: return 0
        }
    }

    private static func polygon(_ p: Polygon, _ ring: ([Coordinate]) throws -> Double) rethrows -> Double {
        var area = try ring(p.exterior)
        for hole in p.holes { area -= try ring(hole) }
        return area
    }

    /// The absolute shoelace area of a closed ring, its x taken relative to the first point.
    static func ring(_ c: UnsafeBufferPointer<Coordinate>) -> Double {
        let n = c.count
        guard n >= 3 else { return 0 }
        let x0 = c[0].x
        var p1 = c[0], p2 = Coordinate(c[1].x - x0, c[1].y)
        var sum = 0.0
        for i in 1..<(n - 1) {
            let p0y = p1.y
            p1 = p2
            p2 = Coordinate(c[i + 1].x - x0, c[i + 1].y)
            sum += p1.x * (p0y - p2.y)
        }
        return abs(sum / 2)
    }
}
