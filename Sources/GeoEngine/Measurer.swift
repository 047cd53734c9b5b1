import GeoCore

/// How areas and distances are measured. Units are always metres / m².
public enum Metric: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Japan Plane Rectangular zone chosen per feature from its municipality code and location:
    /// the metric e-Stat's AREA attribute uses.
    case plane
    /// Lambert azimuthal equal-area centred on the layer (GRS80): true areas, one projection.
    case equalArea = "equal-area"
    /// Geodesic on the GRS80 ellipsoid (Karney): no projection at all.
    case geodesic

    public var description: String {
        switch self {
        case .plane: return "Japan Plane Rectangular zone (planar)"
        case .equalArea: return "Lambert azimuthal equal-area (GRS80)"
        case .geodesic: return "geodesic on GRS80"
        }
    }
}

/// Measures layers in an explicit metric. Holds a GEOS engine and caches one PROJ transformer
/// per CRS pair. Like `GeometryEngine`, use one per unit of work, from one task at a time.
public final class Measurer {
    public let engine: GeometryEngine
    private var transformers: [String: Transformer] = [:]

    public init(engine: GeometryEngine = GeometryEngine()) {
        self.engine = engine
    }

    public func transformer(from source: CRS, to target: CRS) throws -> Transformer {
        let key = source.definition + "\u{1}" + target.definition
        if let t = transformers[key] { return t }
        let t = try Transformer(from: source.definition, to: target.definition)
        transformers[key] = t
        return t
    }

    /// The layer with every geometry transformed to `target`.
    public func project(_ layer: Layer, to target: CRS) throws -> Layer {
        if layer.crs == target { return layer }
        let t = try transformer(from: layer.crs, to: target)
        var out = layer
        out.crs = target
        for i in out.features.indices {
            out.features[i].geometry = try out.features[i].geometry.map(t.transform)
        }
        return out
    }

    /// Geographic CRS (lon/lat) on the layer's datum, for locating features and geodesic measures.
    func geographic(of crs: CRS) -> CRS {
        if crs.isGeographic { return crs }
        return crs.japaneseDatum == .jgd2000 ? .jgd2000 : .jgd2011
    }

    /// Each geometry's bounding-box centre in lon/lat.
    func locations(_ geometries: [Geometry?], crs: CRS) throws -> [Coordinate?] {
        let centres = geometries.map { $0?.boundingBox?.center }
        guard !crs.isGeographic else { return centres }
        let t = try transformer(from: crs, to: geographic(of: crs))
        return try centres.map { try $0.map { try t.transform([$0])[0] } }
    }

    /// The plane zone for each geometry: `fixed` if given, the layer's own zone if it is
    /// already in one, else from its area code — a municipality code (the first 5 digits of a
    /// KEY_CODE) or a prefecture code; nil codes are an error naming the record.
    public func planeZones(_ geometries: [Geometry?], crs: CRS, codes: [Int?], fixed: PlaneZone? = nil,
                           source: String) throws -> [PlaneZone] {
        if let fixed { return Array(repeating: fixed, count: geometries.count) }
        if let own = crs.planeZone { return Array(repeating: own, count: geometries.count) }
        let places = try locations(geometries, crs: crs)
        return try geometries.indices.map { i in
            guard let code = codes[i] else {
                throw DataError(file: source, record: i + 1, field: "KEY_CODE",
                                "no prefecture code to choose the plane zone; give one with --zone")
            }
            guard let place = places[i], let zone = PlaneZone.forAreaCode(code, at: place) else {
                throw DataError(file: source, record: i + 1, field: "KEY_CODE",
                                "prefecture code \(code >= 1000 ? code / 1000 : code) is not 1–47; give the plane zone with --zone")
            }
            return zone
        }
    }

    /// Area in m² of each geometry (0 for a missing one) in the chosen metric.
    /// Planar area is refused for lon/lat: geographic data is projected (plane, equal-area) or
    /// measured on the ellipsoid (geodesic).
    public func areas(_ geometries: [Geometry?], crs: CRS, metric: Metric, zones: [PlaneZone]? = nil) throws -> [Double] {
        switch metric {
        case .geodesic:
            let lonlat = try geographicGeometries(geometries, crs: crs)
            let geodesic = Geodesic()
            return lonlat.map { $0.map(geodesic.area) ?? 0 }
        case .equalArea:
            let centre = try locations([BoundingBox.union(geometries.compactMap { $0?.boundingBox }).map { box in
                Geometry.point(box.center)
            }], crs: crs)[0] ?? Coordinate(0, 0)
            let laea = CRS(epsg: nil,
                           definition: "+proj=laea +lat_0=\(centre.y) +lon_0=\(centre.x) +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs",
                           isGeographic: false, name: "LAEA")
            return try planarAreas(geometries, from: crs, to: Array(repeating: laea, count: geometries.count))
        case .plane:
            guard let zones, zones.count == geometries.count else {
                preconditionFailure("plane metric needs one zone per geometry (see planeZones)")
            }
            let datum = crs.japaneseDatum ?? .jgd2011
            return try planarAreas(geometries, from: crs, to: zones.map { $0.crs(datum) })
        }
    }

    private func planarAreas(_ geometries: [Geometry?], from crs: CRS, to targets: [CRS]) throws -> [Double] {
        // Each ring is projected into one reused buffer and measured there: no geometry is built.
        var scratch: [Coordinate] = []
        var last: (target: CRS, transformer: Transformer)?
        return try geometries.indices.map { i in
            guard let g = geometries[i] else { return 0 }
            if crs == targets[i] { return PlanarArea.of(g) { $0.withUnsafeBufferPointer(PlanarArea.ring) } }
            if last?.target != targets[i] { last = (targets[i], try transformer(from: crs, to: targets[i])) }
            let t = last!.transformer
            return try PlanarArea.of(g) { ring in
                try t.transform(ring, into: &scratch)
                return scratch.withUnsafeBufferPointer(PlanarArea.ring)
            }
        }
    }

    private func geographicGeometries(_ geometries: [Geometry?], crs: CRS) throws -> [Geometry?] {
        guard !crs.isGeographic else { return geometries }
        let t = try transformer(from: crs, to: geographic(of: crs))
        return try geometries.map { try $0.map(t.transform) }
    }

    /// Area in m² of a geometry already in a projected CRS (metres); lon/lat is refused.
    public func planarArea(_ geometry: Geometry, crs: CRS) throws -> Double {
        try requireProjected(crs, "planar area")
        return try engine.planarArea(try engine.handle(geometry))
    }

    /// Length in metres (perimeter for polygons) of a geometry in a projected CRS.
    public func planarLength(_ geometry: Geometry, crs: CRS) throws -> Double {
        try requireProjected(crs, "planar length")
        return try engine.planarLength(try engine.handle(geometry))
    }

    /// Shortest distance in metres between two geometries in a projected CRS.
    public func planarDistance(_ a: Geometry, _ b: Geometry, crs: CRS) throws -> Double {
        try requireProjected(crs, "planar distance")
        return try engine.planarDistance(try engine.handle(a), try engine.handle(b))
    }

    private func requireProjected(_ crs: CRS, _ operation: String) throws {
        guard !crs.isGeographic else {
            throw EngineError(library: "chiiki", operation: operation,
                              message: "\(crs) is lon/lat: measure with a metric (plane, equal-area, geodesic)")
        }
    }

    /// Geodesic distance in metres between two points given in `crs`.
    public func distance(_ a: Coordinate, _ b: Coordinate, crs: CRS) throws -> Double {
        let pts = try geographicGeometries([.point(a), .point(b)], crs: crs)
        guard case .point(let pa) = pts[0], case .point(let pb) = pts[1] else { return .nan }
        return Geodesic().distance(pa, pb)
    }
}

extension CRS {
    /// The plane zone this CRS is, if it is one.
    public var planeZone: PlaneZone? {
        guard let code = epsg else { return nil }
        switch code {
        case 2443...2461: return PlaneZone(code - 2442)
        case 6669...6687: return PlaneZone(code - 6668)
        default: return nil
        }
    }
}
