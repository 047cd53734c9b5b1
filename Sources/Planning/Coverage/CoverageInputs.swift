import Demography
import GeoCore
import GeoEngine
import GeoIO

/// Council membership and the denominator, read and checked for `Coverage.run`.
public enum CoverageInputs {
    /// The area of a city outline in the plane zone, for the denominator, with warnings when it
    /// came in another CRS or differs from the districts' total by more than 1 %.
    public static func outlineArea(_ file: VectorFile, districts: [District], districtCRS: CRS, planarCRS: CRS,
                                   measurer: Measurer = Measurer()) throws -> (area: Double, warnings: [String]) {
        try file.requirePolygons()
        var warnings: [String] = []
        if file.layer.crs != districtCRS {
            warnings.append("outline is in \(file.layer.crs), districts in \(districtCRS): outline transformed")
        }
        let projected = try measurer.project(file.layer, to: planarCRS)
        let area = try projected.features.reduce(0) { $0 + (try measurer.planarArea($1.geometry!, crs: planarCRS)) }
        let districtArea = districts.reduce(0) { $0 + $1.areaM2 }
        if abs(districtArea / area - 1) > 0.01 {
            warnings.append("the districts cover \(percent(districtArea / area))% of the outline's area")
        }
        return (area, warnings)
    }

    /// Membership from a council mapping: the member list (key_codes or hamlet_ids) whose ids
    /// are in the layer. Unknown ids and districts in two councils are errors.
    public static func membership(_ map: CouncilMap, districtIDs: [String]) throws -> [String: String] {
        let known = Set(districtIDs)
        let byKeys = map.councils.flatMap(\.keyCodes).filter(known.contains).count
        let byHamlets = map.councils.flatMap(\.hamletIDs).filter(known.contains).count
        return try map.membership(byHamlets > byKeys ? .hamlets : .smallAreas, known: known)
    }
}
