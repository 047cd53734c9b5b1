import GeoCore
import GeoEngine

/// Puts geometries on the page in metres: lon/lat is transformed to the plane zone, so a map is
/// not a stretched lon/lat grid, and shapes are simplified to about half a pixel, which keeps
/// the report small without a visible change.
final class MapFrame {
    private let transformer: Transformer?
    private let engine = GeometryEngine()

    /// Without a frame, geometries are drawn as they come (lon/lat scaled by the cosine of the
    /// latitude).
    init(_ frame: (source: CRS, plane: CRS)?) throws {
        transformer = try frame.map { try Measurer().transformer(from: $0.source, to: $0.plane) }
    }

    func plane(_ g: Geometry) throws -> Geometry { try transformer?.transform(g) ?? g }

    /// `shapes` in the plane (already transformed), simplified for a map `widthPixels` wide.
    func simplified(_ shapes: [Geometry?], widthPixels: Double) throws -> [Geometry?] {
        guard transformer != nil, let box = BoundingBox.union(shapes.compactMap { $0?.boundingBox }) else { return shapes }
        let tolerance = max(box.width, box.height) / widthPixels / 2
        return try shapes.map { try $0.map { try engine.simplify($0, tolerance: tolerance) } }
    }

    /// Transforms and simplifies in one go.
    func draw(_ shapes: [Geometry?], widthPixels: Double) throws -> [Geometry?] {
        try simplified(try shapes.map { try $0.map(plane) }, widthPixels: widthPixels)
    }

    /// A disc of `radius` metres around a point already in the plane (a service area).
    func buffer(_ centre: Geometry, _ radius: Double) throws -> Geometry {
        try engine.buffer(centre, distance: radius, quadrantSegments: 16)
    }

    /// Dissolves shapes already in the plane (merged hamlets).
    func union(_ shapes: [Geometry]) throws -> Geometry { try engine.union(shapes) }
}
