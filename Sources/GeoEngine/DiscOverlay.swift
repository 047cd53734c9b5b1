import CGEOS
import GeoCore

extension GeometryEngine {
    /// `area` minus the discs of `radii[i]` around `centres[i]` that reach it, with, for each
    /// centre, whether its disc reaches the area (distance ≤ radius), and the planar areas of
    /// both. Planar units: the area and the centres share a projected CRS. The discs are built,
    /// tested and unioned inside GEOS — the area is converted once and the result once, no disc
    /// ever — which is most of the work of a transit-gap analysis with thousands of stops.
    public func subtractingDiscs(from area: Geometry, centres: [Coordinate], radii: [Double], quadrantSegments: Int = 16) throws
        -> (remainder: Geometry, reached: [Bool], area: Double, remainderArea: Double) {
        precondition(centres.count == radii.count, "one radius per centre")
        let base = try handle(area)
        var reached = [Bool](repeating: false, count: centres.count)
        let discs: [GEOSGeom] = try withExtendedLifetime(base) {
            let prepared = try base.prepared()
            var discs: [GEOSGeom] = []
            for (i, c) in centres.enumerated() {
                let point = try handle(.point(c))
                var distance = 0.0
                guard point.with({ GEOSPreparedDistance_r(context.handle, prepared, $0, &distance) }) == 1 else {
                    throw context.failure("distance")
                }
                guard distance <= radii[i] else { continue }
                reached[i] = true
                discs.append(try context.own(point.with { GEOSBuffer_r(context.handle, $0, radii[i], Int32(quadrantSegments)) }, "buffer"))
            }
            return discs
        }
        let whole = try planarArea(base)
        guard !discs.isEmpty else { return (area, reached, whole, whole) }
        let cover = try union(discs)
        let rest = try context.own(GEOSGeom.with(base, cover) { GEOSDifference_r(context.handle, $0, $1) }, "difference")
        return (try value(rest), reached, whole, try planarArea(rest))
    }
}
