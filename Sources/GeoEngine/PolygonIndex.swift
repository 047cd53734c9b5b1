import CGEOS
import GeoCore

/// Two polygons that share a boundary, and how long it is (metres).
public struct Adjacency: Sendable, Hashable {
    public var a: Int
    public var b: Int
    public var sharedLength: Double
}

/// Many geometries converted to GEOS once and indexed with an STRtree, for the batch queries
/// later work needs (which polygons touch, which contain a point, which is nearest). Lengths
/// and distances are in the CRS's units, so the CRS must be projected (metres).
public final class PolygonIndex {
    public let crs: CRS
    let engine: GeometryEngine
    let handles: [GEOSGeom]
    private lazy var tree: GEOSTree? = try? GEOSTree(context: engine.context, geometries: handles)
    private var boundaries: [Int: GEOSGeom] = [:]

    public init(_ geometries: [Geometry], crs: CRS, engine: GeometryEngine = GeometryEngine()) throws {
        guard !crs.isGeographic else {
            throw EngineError(library: "chiiki", operation: "index polygons",
                              message: "\(crs) is lon/lat: project to a plane zone first so lengths are metres")
        }
        self.crs = crs
        self.engine = engine
        handles = try geometries.map(engine.handle)
    }

    public var count: Int { handles.count }

    /// Indices whose envelopes intersect the geometry's envelope (candidates, ascending).
    public func candidates(_ geometry: Geometry) throws -> [Int] {
        guard let tree else { throw engine.context.failure("STRtree") }
        return try engine.handle(geometry).with(tree.query)
    }

    /// Indices of the geometries that really intersect `geometry` (prepared-geometry test).
    public func intersecting(_ geometry: Geometry) throws -> [Int] {
        let query = try engine.handle(geometry)
        return try withExtendedLifetime(query) {
            let prepared = try query.prepared()
            return try candidates(geometry).filter { i in
                let r = handles[i].with { GEOSPreparedIntersects_r(engine.context.handle, prepared, $0) }
                guard r != 2 else { throw engine.context.failure("prepared intersects") }
                return r == 1
            }
        }
    }

    /// Length of the boundary shared by geometries `i` and `j` (0 if they only meet at points).
    public func sharedBoundaryLength(_ i: Int, _ j: Int) throws -> Double {
        let context = engine.context
        let common = try GEOSGeom.with(try boundary(i), try boundary(j)) { a, b in
            return try context.own(GEOSIntersection_r(context.handle, a, b), "shared boundary")
        }
        return try engine.planarLength(common)
    }

    /// Every pair that shares more than `minimumLength` of boundary, each pair once (a < b);
    /// `from` limits the first index (a), so threads can split the work.
    public func adjacencies(minimumLength: Double = 0, from firsts: [Int]? = nil) throws -> [Adjacency] {
        var result: [Adjacency] = []
        for i in firsts ?? Array(handles.indices) {
            guard let tree else { throw engine.context.failure("STRtree") }
            for j in handles[i].with(tree.query) where j > i {
                let length = try sharedBoundaryLength(i, j)
                if length > minimumLength { result.append(Adjacency(a: i, b: j, sharedLength: length)) }
            }
        }
        return result
    }

    /// The nearest other geometry to `i` within `maxDistance`, with its distance, if any.
    public func nearest(to i: Int, within maxDistance: Double) throws -> (index: Int, distance: Double)? {
        // Candidates from the envelope grown by the distance: it contains every point within reach.
        guard var box = try engine.value(handles[i]).boundingBox else { return nil }
        box = BoundingBox(minX: box.minX - maxDistance, minY: box.minY - maxDistance,
                          maxX: box.maxX + maxDistance, maxY: box.maxY + maxDistance)
        let search = Geometry.polygon(Polygon(exterior: [
            Coordinate(box.minX, box.minY), Coordinate(box.maxX, box.minY), Coordinate(box.maxX, box.maxY),
            Coordinate(box.minX, box.maxY), Coordinate(box.minX, box.minY),
        ]))
        var best: (index: Int, distance: Double)?
        for j in try candidates(search) where j != i {
            let d = try engine.planarDistance(handles[i], handles[j])
            if d <= maxDistance, best == nil || d < best!.distance { best = (j, d) }
        }
        return best
    }

    private func boundary(_ i: Int) throws -> GEOSGeom {
        if let b = boundaries[i] { return b }
        let context = engine.context
        let b = try handles[i].with { g in
            return try context.own(GEOSBoundary_r(context.handle, g), "boundary")
        }
        boundaries[i] = b
        return b
    }
}
