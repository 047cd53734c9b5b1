import Demography
import GeoCore
import GeoEngine
import GeoIO

/// Districts, council membership and the denominator, read and checked for `Coverage.run`.
public struct CoverageInputs: Sendable {
    public var districts: [CoverageDistrict]
    public var planarCRS: CRS
    public var sourceCRS: CRS
    public var membership: [String: String]
    public var councils: [Council]
    public var denominator: Double
    public var denominatorSource: String
    public var warnings: [String]

    /// Field names; nil means found from the layer (KEY_CODE or hamlet_id; JINKO or population…).
    public struct Fields: Sendable {
        public var id: String?
        public var population: String?
        public var households: String?
        public var aged: String?
        public init() {}
    }

    /// Loads a district layer (census small areas or hamlets), measuring areas in the plane zone.
    public static func districts(_ file: VectorFile, fields: Fields = Fields(), zone: PlaneZone? = nil,
                                 measurer: Measurer = Measurer()) throws -> (districts: [CoverageDistrict], crs: CRS, zone: PlaneZone) {
        let layer = file.layer
        // Exact names: a hamlet layer's key_code (its small area) must not pass for KEY_CODE.
        func pick(_ given: String?, _ candidates: [String]) -> String? {
            given ?? candidates.first { c in layer.fields.contains { $0.name == c } }
        }
        guard let id = pick(fields.id, ["KEY_CODE", "hamlet_id", "id"]) else {
            throw DataError(file: file.path, field: "id", "no KEY_CODE or hamlet_id field; name the id field with --id")
        }
        var boundaryFields = BoundaryFields()
        boundaryFields.key = id
        boundaryFields.names = ["MOJI", "S_NAME", "name"]
        boundaryFields.population = pick(fields.population, ["JINKO", "population"]) ?? "JINKO"
        boundaryFields.households = pick(fields.households, ["SETAI", "households"]) ?? "SETAI"
        let load = try Districts.load(file, metric: .plane, zone: zone, fields: boundaryFields, measurer: measurer)
        let agedField = pick(fields.aged, ["aged_65_plus"])
        var aged: [String: Int] = [:]
        if let agedField, let column = layer.fieldIndex(agedField), let key = layer.fieldIndex(id) {
            for (i, f) in layer.features.enumerated() {
                guard let n = f.values[column].intValue, n >= 0 else {
                    throw DataError(file: file.path, record: i + 1, field: agedField, "expected a count, found '\(f.values[column])'")
                }
                aged[f.values[key].stringValue ?? "", default: 0] += n
            }
        }
        // One plane zone for the whole graph: the zone most districts are in.
        let counts = Dictionary(grouping: load.districts.compactMap(\.zone), by: { $0 }).mapValues(\.count)
        guard let planeZone = zone ?? counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else {
            throw DataError(file: file.path, "no district to measure")
        }
        let planar = planeZone.crs(load.crs.japaneseDatum ?? .jgd2011)
        let toPlane = try measurer.transformer(from: load.crs, to: planar)
        let districts = try load.districts.map { d in
            CoverageDistrict(id: d.keyCode, name: d.name, areaM2: d.areaM2,
                             figures: d.population.map { AgingFigures(population: $0, aged: aged[d.keyCode] ?? 0, households: d.households) },
                             agedKnown: agedField != nil, geometry: d.geometry, planar: try toPlane.transform(d.geometry))
        }
        return (districts, load.crs, planeZone)
    }

    /// Replaces the districts' figures with the census's for the areas it counts, so small
    /// areas get their people aged 65+ (e-Stat boundaries carry only JINKO and SETAI).
    public static func addCensus(_ join: CensusJoin, to districts: inout [CoverageDistrict]) {
        for i in districts.indices {
            guard case .counted(let f, _) = join.areas[districts[i].id] else { continue }
            districts[i].figures = AgingFigures(population: f.population, aged: f.aged,
                                                households: districts[i].figures?.households, unknownAge: f.unknownAge)
            districts[i].agedKnown = true
        }
    }

    /// The area of a city outline in the plane zone, for the denominator, with warnings when it
    /// came in another CRS or differs from the districts' total by more than 1 %.
    public static func outlineArea(_ file: VectorFile, districts: [CoverageDistrict], districtCRS: CRS, planarCRS: CRS,
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

    /// Membership from council polygons by overlay: a district belongs to the council covering
    /// at least `minimumShare` of its area. Overlapping councils and councils without area are
    /// errors; districts split between a council and outside are reported.
    public static func membership(polygons file: VectorFile, nameField: String, yearField: String,
                                  districts: [CoverageDistrict], planarCRS: CRS, minimumShare: Double = 0.5,
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
            let own = try measurer.planarArea(d.planar, crs: planarCRS)
            guard own > 0 else { continue }
            for j in try councilIndex.intersecting(d.planar) {
                let share = try measurer.planarArea(try engine.intersection(d.planar, shapes[j]), crs: planarCRS) / own
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
