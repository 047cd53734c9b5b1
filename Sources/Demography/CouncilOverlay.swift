import GeoCore
import GeoEngine
import GeoIO

/// Council polygons turned into membership.
public enum CouncilOverlay {
    /// Membership from council polygons by overlay: a district belongs to the council covering
    /// at least `minimumShare` of its area. Overlapping councils and councils without area are
    /// errors; districts split between a council and outside are reported.
    public static func membership(polygons file: VectorFile, nameField: String, yearField: String,
                                  districts: [District], planarCRS: CRS, minimumShare: Double = 0.5,
                                  measurer: Measurer = Measurer()) throws -> (membership: [String: String], councils: [Council], warnings: [String]) {
        try file.requirePolygons()
        let layer = try measurer.project(file.layer, to: planarCRS)
        guard let name = layer.fieldIndex(nameField) else {
            throw DataError(file: file.path, field: nameField, "no such field; name the council field with --council-name")
        }
        let year = layer.fieldIndex(yearField)
        let engine = measurer.engine
        var councils: [Council] = []
        var shapes: [Geometry] = []
        for (i, f) in layer.features.enumerated() {
            var g = f.geometry!
            if try engine.invalidReason(g) != nil { g = try engine.makeValid(g) }
            guard let n = f.values[name].stringValue, !n.isEmpty else {
                throw DataError(file: file.path, record: i + 1, field: nameField, "empty council name")
            }
            // Under a square metre is no area: a collapsed ring turns into such a sliver once projected.
            guard try measurer.planarArea(g, crs: planarCRS) >= 1 else {
                throw DataError(file: file.path, record: i + 1, field: "geometry", "council \(n) has no area (under 1 m²)")
            }
            councils.append(Council(name: n, fiscalYear: year.flatMap { f.values[$0].intValue }))
            shapes.append(g)
        }
        let councilIndex = try PolygonIndex(shapes, crs: planarCRS, engine: engine)
        for (i, g) in shapes.enumerated() {
            for j in try councilIndex.intersecting(g) where j > i {
                let overlap = try measurer.planarArea(try engine.intersection(g, shapes[j]), crs: planarCRS)
                if overlap > 1 {
                    throw DataError(file: file.path, record: j + 1, field: "geometry",
                                    "council \(councils[j].name) overlaps \(councils[i].name) by \(Int(overlap.rounded())) m²")
                }
            }
        }
        var membership: [String: String] = [:]
        var warnings: [String] = []
        for d in districts {
            let plane = try d.planeShape()
            let own = try measurer.planarArea(plane, crs: planarCRS)
            guard own > 0 else { continue }
            for j in try councilIndex.intersecting(plane) {
                let share = try measurer.planarArea(try engine.intersection(plane, shapes[j]), crs: planarCRS) / own
                if share >= minimumShare { membership[d.id] = councils[j].name }
                if share > 0.01 && share < 0.99 {
                    warnings.append("district \(d.id) \(d.name): \(Int((share * 100).rounded()))% inside \(councils[j].name)"
                                    + (share >= minimumShare ? " (counted in)" : " (left out)"))
                }
            }
        }
        return (membership, councils, warnings)
    }
}
