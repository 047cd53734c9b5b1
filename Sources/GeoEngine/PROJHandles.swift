import CPROJ
import GeoCore

// The only file that creates or destroys PROJ objects. A transformer owns its own PROJ
// context (PROJ contexts are single-threaded) and the one normalized operation built from it.

final class PROJMessages {
    var last = ""
}

private let projLogger: PJ_LOG_FUNCTION = { userdata, level, message in
    guard let userdata, let message, level <= Int32(PJ_LOG_ERROR.rawValue) else { return }
    Unmanaged<PROJMessages>.fromOpaque(userdata).takeUnretainedValue().last = String(cString: message)
}

/// A coordinate operation from one CRS to another, in GIS axis order (x = easting or
/// longitude, y = northing or latitude) on both sides, whatever the CRSs' official order.
public final class Transformer {
    private let context: OpaquePointer
    private let operation: OpaquePointer
    private let messages = PROJMessages()
    public let source: String
    public let target: String

    public init(from source: String, to target: String) throws {
        self.source = source
        self.target = target
        guard let context = proj_context_create() else {
            throw EngineError(library: "PROJ", operation: "create context", message: "out of memory")
        }
        proj_log_func(context, Unmanaged.passUnretained(messages).toOpaque(), projLogger)
        guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
            let error = EngineError(library: "PROJ", operation: "transform \(source) → \(target)", message: messages.last)
            proj_context_destroy(context)
            throw error
        }
        let normalized = proj_normalize_for_visualization(context, raw)
        proj_destroy(raw)
        guard let normalized else {
            let error = EngineError(library: "PROJ", operation: "normalize axis order", message: messages.last)
            proj_context_destroy(context)
            throw error
        }
        self.context = context
        self.operation = normalized
    }

    deinit {
        proj_destroy(operation)
        proj_context_destroy(context)
    }

    /// Transforms a whole sequence in one call. Throws if any point cannot be transformed.
    public func transform(_ coordinates: [Coordinate]) throws -> [Coordinate] {
        var result: [Coordinate] = []
        try transform(coordinates, into: &result)
        return result
    }

    /// As `transform`, into `result` (its storage reused: no allocation once it is large enough).
    func transform(_ coordinates: [Coordinate], into result: inout [Coordinate]) throws {
        result.removeAll(keepingCapacity: true)
        result.append(contentsOf: coordinates)
        let n = result.count
        guard n > 0 else { return }
        let stride = MemoryLayout<Coordinate>.stride
        messages.last = ""
        result.withUnsafeMutableBytes { raw in
            let x = raw.baseAddress!.assumingMemoryBound(to: Double.self)
            let y = x + 1
            _ = proj_trans_generic(operation, PJ_FWD, x, stride, n, y, stride, n, nil, 0, 0, nil, 0, 0)
        }
        if let bad = result.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            let c = coordinates[bad]
            throw EngineError(library: "PROJ", operation: "transform \(source) → \(target)",
                              message: "point (\(c.x), \(c.y)) could not be transformed" + (messages.last.isEmpty ? "" : ": \(messages.last)"))
        }
    }

    public func transform(_ geometry: Geometry) throws -> Geometry {
        try geometry.mapSequences(transform)
    }
}

/// Geodesic measures on an ellipsoid (GRS80 by default), with Karney's algorithms in PROJ.
public struct Geodesic: Sendable {
    private var geodesic = geod_geodesic()

    public init(semiMajorAxis: Double = 6_378_137, flattening: Double = 1 / 298.257222101) {
        geod_init(&geodesic, semiMajorAxis, flattening)
    }

    /// Area in m² of a polygonal geometry in lon/lat degrees; holes are subtracted.
    public func area(_ geometry: Geometry) -> Double {
        geometry.polygons.reduce(0) { sum, p in
            sum + abs(ringArea(p.exterior)) - p.holes.reduce(0) { $0 + abs(ringArea($1)) }
        }
    }

    /// Distance in metres between two lon/lat points.
    public func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        var g = geodesic
        var s12 = 0.0
        geod_inverse(&g, a.y, a.x, b.y, b.x, &s12, nil, nil)
        return s12
    }

    private func ringArea(_ ring: [Coordinate]) -> Double {
        // PROJ wants open rings; drop the closing point.
        let points = ring.count > 1 && ring.first == ring.last ? ring.dropLast() : ring[...]
        guard points.count >= 3 else { return 0 }
        var lats = points.map(\.y), lons = points.map(\.x)
        var area = 0.0, perimeter = 0.0
        var g = geodesic
        geod_polygonarea(&g, &lats, &lons, Int32(points.count), &area, &perimeter)
        return area
    }
}
