import CGEOS
import GeoCore

/// GEOS operations on geometry values. One engine is one GEOS context: create one per unit of
/// work and call it from one task at a time (it is deliberately not Sendable). Measures that
/// depend on units (area, length, distance) live in `Measurer`, which knows the CRS.
public final class GeometryEngine {
    let context = GEOSContext()

    public init() {}

    func handle(_ geometry: Geometry) throws -> GEOSGeom { try context.make(geometry) }
    func value(_ g: GEOSGeom) throws -> Geometry { try g.with(context.value) }

    private func unary(_ geometry: Geometry, _ name: String,
                       _ op: (GEOSContextHandle_t, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        let g = try handle(geometry)
        return try value(try context.own(g.with { op(context.handle, $0) }, name))
    }

    private func binary(_ a: Geometry, _ b: Geometry, _ name: String,
                        _ op: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        let ga = try handle(a), gb = try handle(b)
        return try value(try context.own(GEOSGeom.with(ga, gb) { op(context.handle, $0, $1) }, name))
    }

    // MARK: validity

    /// nil when valid, else GEOS's reason (e.g. "Self-intersection[134.1 35.2]").
    public func invalidReason(_ geometry: Geometry) throws -> String? {
        try handle(geometry).with(context.invalidReason)
    }

    public func isValid(_ geometry: Geometry) throws -> Bool { try invalidReason(geometry) == nil }

    /// Repairs an invalid geometry, keeping only its polygonal part when it was polygonal.
    public func makeValid(_ geometry: Geometry) throws -> Geometry {
        let repaired = try value(try handle(geometry).with(context.makeValid))
        guard geometry.isPolygonal else { return repaired }
        let polygons = repaired.polygons.filter { !$0.exterior.isEmpty }
        return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
    }

    // MARK: constructive operations

    public func buffer(_ geometry: Geometry, distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try unary(geometry, "buffer") { GEOSBuffer_r($0, $1, distance, Int32(quadrantSegments)) }
    }

    public func pointOnSurface(_ geometry: Geometry) throws -> Coordinate {
        guard case .point(let c) = try unary(geometry, "point on surface", GEOSPointOnSurface_r) else {
            throw EngineError(library: "GEOS", operation: "point on surface", message: "empty geometry")
        }
        return c
    }

    public func centroid(_ geometry: Geometry) throws -> Coordinate {
        guard case .point(let c) = try unary(geometry, "centroid", GEOSGetCentroid_r) else {
            throw EngineError(library: "GEOS", operation: "centroid", message: "empty geometry")
        }
        return c
    }

    public func difference(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "difference", GEOSDifference_r)
    }

    public func intersection(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "intersection", GEOSIntersection_r)
    }

    public func boundary(_ geometry: Geometry) throws -> Geometry {
        try unary(geometry, "boundary", GEOSBoundary_r)
    }

    /// Douglas-Peucker simplification; `preserveTopology` keeps rings valid and holes inside.
    public func simplify(_ geometry: Geometry, tolerance: Double, preserveTopology: Bool = true) throws -> Geometry {
        try unary(geometry, "simplify") {
            preserveTopology ? GEOSTopologyPreserveSimplify_r($0, $1, tolerance) : GEOSSimplify_r($0, $1, tolerance)
        }
    }

    /// Union of many geometries (GEOS's cascaded union; see `coverageUnion` for a clean coverage).
    public func union(_ geometries: [Geometry]) throws -> Geometry {
        try value(try union(geometries.map(handle)))
    }

    func union(_ parts: [GEOSGeom]) throws -> GEOSGeom {
        let collection = try context.own(
            try context.collection(GEOS_GEOMETRYCOLLECTION, parts.map { try $0.cloneForTransfer() }), "collect")
        return try context.own(collection.with { GEOSUnaryUnion_r(context.handle, $0) }, "union")
    }

    /// Union of polygons expected to form a coverage (e-Stat small areas, hamlets), as GEOS's
    /// coverage union does it: drop the edges neighbours share, polygonize what is left
    /// (`CoverageBoundary`: as chains, not segment by segment), and check the faces: where parts
    /// overlap, their area differs from the parts' or they cross one another (invalid). Then the
    /// input is not a clean coverage, and the general union does the work.
    public func coverageUnion(_ geometries: [Geometry]) throws -> Geometry {
        let polygons = geometries.flatMap(\.polygons)
        if let chains = CoverageBoundary.chains(polygons) {
            let partsArea = polygons.reduce(0) { sum, p in
                sum + abs(twiceSignedArea(p.exterior)) / 2 - p.holes.reduce(0) { $0 + abs(twiceSignedArea($1)) / 2 }
            }
            let lines = try handle(.multiLineString(chains))
            let faces = try context.own(lines.with { line in
                withUnsafePointer(to: Optional(line)) { GEOSPolygonize_valid_r(context.handle, $0, 1) }
            }, "polygonize")
            if abs(try planarArea(faces) - partsArea) <= 1e-9 * max(partsArea, 1e-12),
               try faces.with(context.invalidReason) == nil {
                return try value(faces)
            }
        }
        return try value(try union(geometries.map(handle)))
    }

    /// One geometry per distinct key, the union of the geometries that carry it, in key order.
    public func dissolve<Key: Comparable & Hashable>(_ geometries: [Geometry], by keys: [Key]) throws -> [(key: Key, geometry: Geometry)] {
        precondition(geometries.count == keys.count, "one key per geometry")
        var groups: [Key: [Int]] = [:]
        for (i, k) in keys.enumerated() { groups[k, default: []].append(i) }
        return try groups.keys.sorted().map { key in
            let members = groups[key]!
            if members.count == 1 { return (key, geometries[members[0]]) }
            return (key, try union(members.map { geometries[$0] }))
        }
    }

    // MARK: predicates

    public func intersects(_ a: Geometry, _ b: Geometry) throws -> Bool {
        try predicate(a, b, "intersects", GEOSIntersects_r)
    }
    public func touches(_ a: Geometry, _ b: Geometry) throws -> Bool {
        try predicate(a, b, "touches", GEOSTouches_r)
    }
    public func contains(_ a: Geometry, _ b: Geometry) throws -> Bool {
        try predicate(a, b, "contains", GEOSContains_r)
    }

    private func predicate(_ a: Geometry, _ b: Geometry, _ name: String,
                           _ op: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws -> Bool {
        let ga = try handle(a), gb = try handle(b)
        switch GEOSGeom.with(ga, gb, { op(context.handle, $0, $1) }) {
        case 1: return true
        case 0: return false
        default: throw context.failure(name)
        }
    }

    /// Planar measures in the geometry's own units; `Measurer` decides when that is meaningful.
    func planarArea(_ g: GEOSGeom) throws -> Double {
        var area = 0.0
        guard g.with({ GEOSArea_r(context.handle, $0, &area) }) == 1 else { throw context.failure("area") }
        return area
    }

    func planarLength(_ g: GEOSGeom) throws -> Double {
        var length = 0.0
        guard g.with({ GEOSLength_r(context.handle, $0, &length) }) == 1 else { throw context.failure("length") }
        return length
    }

    func planarDistance(_ a: GEOSGeom, _ b: GEOSGeom) throws -> Double {
        var d = 0.0
        guard GEOSGeom.with(a, b, { GEOSDistance_r(context.handle, $0, $1, &d) }) == 1 else { throw context.failure("distance") }
        return d
    }
}
