import GeoCore
import GeoEngine
import GeoIO

extension RoadNetwork {
    /// A road graph from a line layer (LineStrings, MultiLineStrings).
    public static func read(_ file: VectorFile, planarCRS: CRS, measurer: Measurer) throws -> RoadNetwork {
        guard !file.layer.features.isEmpty else { throw DataError(file: file.path, "layer '\(file.layer.name)' is empty: road lines were expected") }
        let projected = try measurer.project(file.layer, to: planarCRS)
        var lines: [[Coordinate]] = []
        for (i, f) in projected.features.enumerated() {
            switch f.geometry {
            case .lineString(let cs): lines.append(cs)
            case .multiLineString(let ls): lines += ls
            case let g?:
                throw DataError(file: file.path, record: i + 1, field: "geometry", "\(g.typeName) found: a LineString was expected")
            case nil:
                throw DataError(file: file.path, record: i + 1, field: "geometry", "no geometry: a LineString was expected")
            }
        }
        do {
            return try RoadNetwork(lines: lines)
        } catch var error as DataError {
            error.file = file.path
            throw error
        }
    }
}

/// Points that lie in none of the polygons (plane zone), with their distance to the nearest:
/// candidates, mesh centres or stops outside the study area are usually a mistake in a file or its CRS.
public enum PointsOutside {
    public static func find(_ points: [Coordinate], polygons: [Geometry], planarCRS: CRS,
                            measurer: Measurer) throws -> [(point: Int, distance: Double)] {
        guard !polygons.isEmpty else { return [] }
        let index = try PolygonIndex(polygons, crs: planarCRS, engine: measurer.engine)
        var out: [(point: Int, distance: Double)] = []
        var union: Geometry?
        for (k, p) in points.enumerated() where try index.intersecting(.point(p)).isEmpty {
            if union == nil { union = try measurer.engine.coverageUnion(polygons) }
            out.append((k, try measurer.planarDistance(.point(p), union!, crs: planarCRS)))
        }
        return out
    }
}
