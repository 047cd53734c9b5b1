import GeoCore
import GeoEngine
import GeoIO

/// Loads district layers (e-Stat small areas, hamlets, any polygons with an id and counts).
public enum PlanningDistricts {
    /// Field names; nil means found from the layer (KEY_CODE or hamlet_id; JINKO or population…).
    public struct Fields: Sendable {
        public var id: String?
        public var population: String?
        public var households: String?
        public var aged: String?
        /// The enclosing unit (default: `key_code`, a hamlet's small area, when present).
        public var parent: String?
        public init() {}
    }

    public struct Loaded: Sendable {
        public var districts: [District]
        /// The source CRS (of `geometry`).
        public var crs: CRS
        /// The zone of `planar`: the one most districts are in.
        public var zone: PlaneZone
        public var planarCRS: CRS
        /// 1-based numbers of the invalid records repaired with make-valid.
        public var repaired: [Int]
    }

    /// Reads the layer, repairs and dissolves records by id, and measures areas in the plane zone.
    public static func load(_ file: VectorFile, fields: Fields = Fields(), zone: PlaneZone? = nil,
                            measurer: Measurer = Measurer()) throws -> Loaded {
        let load = try Districts.load(file, metric: .plane, zone: zone, fields: try boundaryFields(file, fields), measurer: measurer)
        return try planning(load, file: file, fields: fields, zone: zone)
    }

    /// The id field of `layer`: the given one, else KEY_CODE, hamlet_id or id, whichever is there first.
    public static func idField(_ given: String?, in layer: Layer) -> String? {
        pick(given, ["KEY_CODE", "hamlet_id", "id"], in: layer)
    }

    /// Exact names: a hamlet layer's key_code (its small area) must not pass for KEY_CODE.
    static func pick(_ given: String?, _ candidates: [String], in layer: Layer) -> String? {
        given ?? candidates.first { c in layer.fields.contains { $0.name == c } }
    }

    /// Every field the planning view may read with `fields`, whichever of the usual names a
    /// file has: the rest of the file need not be read.
    public static func fieldsRead(_ fields: Fields) -> Set<String> {
        BoundaryFields().read
            .union(["KEY_CODE", "hamlet_id", "id", "MOJI", "S_NAME", "name", "JINKO", "population", "SETAI", "households",
                    "aged_65_plus", "key_code"])
            .union([fields.id, fields.population, fields.households, fields.aged, fields.parent].compactMap { $0 })
    }

    /// The id, name and count fields of `file`: given ones, else the first of the usual names present.
    public static func boundaryFields(_ file: VectorFile, _ fields: Fields) throws -> BoundaryFields {
        let layer = file.layer
        guard let id = idField(fields.id, in: layer) else {
            throw DataError(file: file.path, field: "id", "no KEY_CODE or hamlet_id field; name the id field with --id")
        }
        var boundaryFields = BoundaryFields()
        boundaryFields.key = id
        boundaryFields.names = ["MOJI", "S_NAME", "name"]
        boundaryFields.population = pick(fields.population, ["JINKO", "population"], in: layer) ?? "JINKO"
        boundaryFields.households = pick(fields.households, ["SETAI", "households"], in: layer) ?? "SETAI"
        return boundaryFields
    }

    /// The planning view of districts loaded (in the plane metric) from `file`: aged 65+ and the
    /// parent unit from their fields, shapes in the plane zone most districts are in.
    /// `planeShapes: false` leaves `planar` empty: the aging study measures nothing in the
    /// plane, and on the whole country a second copy of every shape costs seconds and memory.
    public static func planning(_ load: DistrictLoad, file: VectorFile, fields: Fields = Fields(), zone: PlaneZone? = nil,
                                planeShapes: Bool = true) throws -> Loaded {
        let layer = file.layer
        let id = try boundaryFields(file, fields).key
        let agedField = pick(fields.aged, ["aged_65_plus"], in: layer)
        let parentField = pick(fields.parent, ["key_code"], in: layer)
        var aged: [String: Int] = [:]
        var parents: [String: String] = [:]
        if let key = layer.fieldIndex(id) {
            let agedColumn = try agedField.map { name in
                guard let c = layer.fieldIndex(name) else { throw DataError(file: file.path, field: name, "no such field") }
                return c
            }
            let parentColumn = try parentField.map { name in
                guard let c = layer.fieldIndex(name) else { throw DataError(file: file.path, field: name, "no such field") }
                return c
            }
            for (i, f) in layer.features.enumerated() {
                let districtID = f.values[key].stringValue ?? ""
                if let column = agedColumn {
                    guard let n = f.values[column].intValue, n >= 0 else {
                        throw DataError(file: file.path, record: i + 1, field: agedField, "expected a count, found '\(f.values[column])'")
                    }
                    aged[districtID, default: 0] += n
                }
                if let column = parentColumn, let p = f.values[column].stringValue, !p.isEmpty {
                    parents[districtID] = p
                }
            }
        }
        // One plane zone for the whole graph: the zone most districts are in.
        guard let planeZone = zone ?? PlaneZone.mostCommon(load.districts.compactMap(\.zone)) else {
            throw DataError(file: file.path, "no district to measure")
        }
        let planar = planeZone.crs(load.crs.japaneseDatum ?? .jgd2011)
        let crs = load.crs, agedKnown = agedField != nil, parentOf = parents, agedOf = aged
        let districts = try parallelMap(load.districts) { chunk in
            let toPlane = planeShapes ? try Measurer().transformer(from: crs, to: planar) : nil
            return try chunk.map { d in
                var d = d
                d.parent = parentOf[d.id]
                d.figures?.aged = agedOf[d.id] ?? 0
                d.agedKnown = agedKnown
                d.planar = try toPlane?.transform(d.geometry)
                return d
            }
        }
        return Loaded(districts: districts, crs: load.crs, zone: planeZone, planarCRS: planar, repaired: load.repaired)
    }
}
