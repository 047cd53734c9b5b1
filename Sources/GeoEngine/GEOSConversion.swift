import CGEOS
import GeoCore

// Moving geometries between Swift values and GEOS, a whole coordinate sequence per call
// (GEOSCoordSeq_copyFromBuffer_r / copyToBuffer_r) rather than one call per point.

extension GEOSContext {
    func make(_ geometry: Geometry) throws -> GEOSGeom {
        try own(try makeRaw(geometry), "create geometry")
    }

    /// Builds an unowned GEOS geometry; the caller owns it (or hands it to a constructor).
    func makeRaw(_ geometry: Geometry) throws -> OpaquePointer {
        switch geometry {
        case .point(let c):
            guard let p = GEOSGeom_createPointFromXY_r(handle, c.x, c.y) else { throw failure("create point") }
            return p
        case .lineString(let cs):
            let seq = try sequence(cs)
            guard let p = GEOSGeom_createLineString_r(handle, seq) else { throw failure("create line") }
            return p
        case .polygon(let polygon):
            return try makePolygon(polygon)
        case .multiPoint(let cs):
            return try collection(GEOS_MULTIPOINT, cs) { try makeRaw(.point($0)) }
        case .multiLineString(let ls):
            return try collection(GEOS_MULTILINESTRING, ls) { try makeRaw(.lineString($0)) }
        case .multiPolygon(let ps):
            return try collection(GEOS_MULTIPOLYGON, ps) { try makePolygon($0) }
        case .collection(let gs):
            return try collection(GEOS_GEOMETRYCOLLECTION, gs) { try makeRaw($0) }
        }
    }

    private func sequence(_ coordinates: [Coordinate]) throws -> OpaquePointer {
        let seq = coordinates.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyFromBuffer_r(handle, doubles.baseAddress, UInt32(coordinates.count), 0, 0)
            }
        }
        guard let seq else { throw failure("create coordinate sequence") }
        return seq
    }

    private func ring(_ coordinates: [Coordinate]) throws -> OpaquePointer {
        let seq = try sequence(coordinates)
        guard let ring = GEOSGeom_createLinearRing_r(handle, seq) else { throw failure("create ring") }
        return ring
    }

    private func makePolygon(_ polygon: Polygon) throws -> OpaquePointer {
        if polygon.exterior.isEmpty {
            guard let p = GEOSGeom_createEmptyPolygon_r(handle) else { throw failure("create polygon") }
            return p
        }
        let shell = try ring(polygon.exterior)
        var holes: [OpaquePointer?] = []
        do {
            for h in polygon.holes { holes.append(try ring(h)) }
        } catch {
            discard([shell] + holes.compactMap { $0 })
            throw error
        }
        let holeCount = UInt32(holes.count)
        let p = holes.withUnsafeMutableBufferPointer {
            GEOSGeom_createPolygon_r(handle, shell, $0.baseAddress, holeCount)
        }
        guard let p else { throw failure("create polygon") }
        return p
    }

    private func collection<T>(_ type: GEOSGeomTypes, _ items: [T], _ build: (T) throws -> OpaquePointer) throws -> OpaquePointer {
        var parts: [OpaquePointer?] = []
        do {
            for item in items { parts.append(try build(item)) }
        } catch {
            discard(parts.compactMap { $0 })
            throw error
        }
        return try collection(type, parts)
    }

    /// Builds a collection that takes ownership of `parts`.
    func collection(_ type: GEOSGeomTypes, _ parts: [OpaquePointer?]) throws -> OpaquePointer {
        var parts = parts
        let count = UInt32(parts.count)
        let p = parts.withUnsafeMutableBufferPointer {
            GEOSGeom_createCollection_r(handle, Int32(type.rawValue), $0.baseAddress, count)
        }
        guard let p else { throw failure("create collection") }
        return p
    }

    /// Reads a GEOS geometry (owned or borrowed) into a Swift value.
    func value(_ g: OpaquePointer) throws -> Geometry {
        let type = GEOSGeomTypeId_r(handle, g)
        switch Int(type) {
        case Int(GEOS_POINT.rawValue):
            if GEOSisEmpty_r(handle, g) == 1 { return .multiPoint([]) }
            return .point(try coordinates(g)[0])
        case Int(GEOS_LINESTRING.rawValue), Int(GEOS_LINEARRING.rawValue):
            return .lineString(try coordinates(g))
        case Int(GEOS_POLYGON.rawValue):
            return .polygon(try polygon(g))
        case Int(GEOS_MULTIPOINT.rawValue):
            return .multiPoint(try parts(g).compactMap { try coordinates($0).first })
        case Int(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(try parts(g).map { try coordinates($0) })
        case Int(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(try parts(g).map { try polygon($0) })
        case Int(GEOS_GEOMETRYCOLLECTION.rawValue):
            return .collection(try parts(g).map { try value($0) })
        default:
            throw failure("read geometry of type \(type)")
        }
    }

    private func parts(_ g: OpaquePointer) throws -> [OpaquePointer] {
        let n = GEOSGetNumGeometries_r(handle, g)
        guard n >= 0 else { throw failure("count parts") }
        return try (0..<n).map { i in
            guard let part = GEOSGetGeometryN_r(handle, g, i) else { throw failure("get part") }
            return part
        }
    }

    private func polygon(_ g: OpaquePointer) throws -> Polygon {
        if GEOSisEmpty_r(handle, g) == 1 { return Polygon(exterior: []) }
        guard let shell = GEOSGetExteriorRing_r(handle, g) else { throw failure("get exterior ring") }
        let n = GEOSGetNumInteriorRings_r(handle, g)
        guard n >= 0 else { throw failure("count holes") }
        let holes = try (0..<n).map { i -> [Coordinate] in
            guard let ring = GEOSGetInteriorRingN_r(handle, g, i) else { throw failure("get hole") }
            return try coordinates(ring)
        }
        return Polygon(exterior: try coordinates(shell), holes: holes)
    }

    private func coordinates(_ g: OpaquePointer) throws -> [Coordinate] {
        guard let seq = GEOSGeom_getCoordSeq_r(handle, g) else { throw failure("get coordinates") }
        var size: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(handle, seq, &size) != 0 else { throw failure("get size") }
        var result = [Coordinate](repeating: Coordinate(0, 0), count: Int(size))
        let ok = result.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyToBuffer_r(handle, seq, doubles.baseAddress, 0, 0)
            }
        }
        guard ok != 0 else { throw failure("copy coordinates") }
        return result
    }
}
