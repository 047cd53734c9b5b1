import Demography
import GeoCore
import GeoEngine

/// JIS X 0410 squares over demand areas: which squares meet the areas, how much of each area
/// lies in each square, and a point to stand for each square.
///
/// Weights are apportioned **by area**: a district's weight is split among the squares in
/// proportion to the share of its area inside each (people are assumed spread evenly over a
/// district). The point is the square's centre when that lies inside the areas, otherwise a
/// point on the surface of the part inside (coastal and border squares), so no square stands
/// for the sea.
public struct MeshSquare: Sendable {
    public var code: MeshCode
    public var weight: Double
    /// Area of the square inside the demand areas (m²).
    public var insideM2: Double
    /// The representative point, in the plane zone.
    public var planar: Coordinate
    /// Whether the point is the square's centre (false: moved inside the areas).
    public var isCentre: Bool
}

public enum MeshSquares {
    /// Squares of `level` meeting `areas` (planar shapes in `planarCRS`, source ones in `areaCRS`),
    /// with `weights` (one per area) apportioned by area, in code order. Work is split across cores.
    public static func apportion(_ areas: [District], weights: [Double], level: MeshLevel, lonLatCRS: CRS, areaCRS: CRS,
                                 planarCRS: CRS) throws -> [MeshSquare] {
        let geographic = lonLatCRS
        let shapes = try areas.planeShapes()
        // Pieces of each area in each square, measured in the plane.
        let pieces = try parallelMap(Array(areas.indices)) { chunk -> [(code: MeshCode, area: Int, piece: Geometry, m2: Double)] in
            let measurer = Measurer()
            let engine = measurer.engine
            let toLonLat = try measurer.transformer(from: areaCRS, to: geographic)
            let toPlane = try measurer.transformer(from: geographic, to: planarCRS)
            var out: [(code: MeshCode, area: Int, piece: Geometry, m2: Double)] = []
            for a in chunk {
                guard let box = try toLonLat.transform(areas[a].geometry).boundingBox else { continue }
                for code in MeshCode.covering(box, level: level) {
                    let square = try toPlane.transform(Geometry.polygon(code.polygon))
                    let piece = try engine.intersection(shapes[a], square)
                    guard !piece.polygons.isEmpty else { continue }
                    let m2 = try measurer.planarArea(piece, crs: planarCRS)
                    if m2 > 0 { out.append((code, a, piece, m2)) }
                }
            }
            return out
        }
        var byCode: [MeshCode: [Int]] = [:]
        // Shares of an area are of the sum of its pieces (the squares tile it), so apportioning
        // keeps every area's weight whole, whatever zone its own area was measured in.
        var measured = [Double](repeating: 0, count: areas.count)
        for (k, p) in pieces.enumerated() {
            byCode[p.code, default: []].append(k)
            measured[p.area] += p.m2
        }
        let codes = byCode.keys.sorted()
        let (groups, shares) = (byCode, measured)
        return try parallelMap(codes) { chunk in
            let measurer = Measurer()
            let engine = measurer.engine
            let toPlane = try measurer.transformer(from: geographic, to: planarCRS)
            return try chunk.map { code -> MeshSquare in
                let members = groups[code]!
                var weight = 0.0, inside = 0.0
                for k in members {
                    let p = pieces[k]
                    inside += p.m2
                    if weights[p.area] > 0 { weight += weights[p.area] * p.m2 / shares[p.area] }
                }
                let land = members.count == 1 ? pieces[members[0]].piece : try engine.union(members.map { pieces[$0].piece })
                let centre = try toPlane.transform([code.center])[0]
                if try engine.contains(land, .point(centre)) {
                    return MeshSquare(code: code, weight: weight, insideM2: inside, planar: centre, isCentre: true)
                }
                return MeshSquare(code: code, weight: weight, insideM2: inside, planar: try engine.pointOnSurface(land), isCentre: false)
            }
        }
    }
}
