import GeoCore
import GeoEngine
import GeoIO

/// What loading boundaries did, for the run summary.
public struct DistrictLoad: Sendable {
    public var source: String
    public var crs: CRS
    public var encoding: TextEncoding
    public var metric: Metric
    public var records: Int
    public var districts: [District]
    /// 1-based record numbers that were invalid and repaired with make-valid.
    public var repaired: [Int]
    public var zones: [PlaneZone]

    public var totalArea: Double { districts.reduce(0) { $0 + $1.areaM2 } }
    public var totalPopulation: Int? {
        let counts = districts.compactMap { $0.figures?.population }
        return counts.count == districts.count ? counts.reduce(0, +) : nil
    }
}

/// A key's records joined into one geometry, and its area.
private struct Joined: Sendable {
    var geometry: Geometry
    var area: Double
}

/// Which attributes hold what; defaults follow the e-Stat 境界データ layout.
public struct BoundaryFields: Sendable {
    public var key = "KEY_CODE"
    public var names = ["MOJI", "S_NAME"]
    public var population = "JINKO"
    public var households = "SETAI"
    public init() {}

    /// Every field `Districts.load` reads with these names: the rest of a file need not be read.
    public var read: Set<String> { Set([key, population, households] + names + Districts.placeFields) }
}

public enum Districts {
    /// e-Stat's prefecture and municipality codes and names, for each district's city.
    static let placeFields = ["KEN", "CITY", "GST_NAME", "CSS_NAME"]

    /// Loads boundaries into districts: checks polygons, repairs invalid ones, measures each
    /// record in `metric` and dissolves records by key.
    public static func load(_ file: VectorFile, metric: Metric = .plane, zone: PlaneZone? = nil,
                            fields: BoundaryFields = BoundaryFields(), measurer: Measurer = Measurer(),
                            progress: (String) -> Void = { _ in }) throws -> DistrictLoad {
        try file.requirePolygons()
        let layer = file.layer
        guard let keyIndex = layer.fieldIndex(fields.key) else {
            throw DataError.noSuchField(fields.key, file: file.path, fields: layer.fields.map(\.name) + file.unreadFields)
        }
        var keys: [String] = []
        for (i, f) in layer.features.enumerated() {
            guard let key = f.values[keyIndex].stringValue, !key.isEmpty else {
                throw DataError(file: file.path, record: i + 1, field: fields.key, "empty key")
            }
            keys.append(key)
        }
        progress("checking \(layer.features.count) polygons")
        // Validity and areas are per record: done in parallel, one GEOS/PROJ engine per chunk.
        let checked = try parallelMap(layer.features.map { $0.geometry! }) { chunk in
            let engine = GeometryEngine()
            return try chunk.map { g in try engine.invalidReason(g) == nil ? (g, false) : (try engine.makeValid(g), true) }
        }
        let geometries = checked.map(\.0)
        // A ring whose points lie on a line is invalid, and its repair leaves no polygon: it
        // encloses nothing, and an area of 0 m² would pass silently into every share and rate.
        if let flat = geometries.firstIndex(where: { $0.polygons.isEmpty }) {
            throw DataError(file: file.path, record: flat + 1, field: "geometry", "the polygon has no area (its points lie on a line)")
        }
        let repaired = checked.indices.filter { checked[$0].1 }.map { $0 + 1 }
        progress("measuring areas (\(metric.rawValue))")
        // The municipality code (first 5 digits of a KEY_CODE) settles Hokkaido's zones too.
        let codes = keys.map { Int($0.prefix(5)) }
        let zones = metric == .plane
            ? try measurer.planeZones(geometries, crs: layer.crs, codes: codes, fixed: zone, source: file.path)
            : nil
        let crs = layer.crs
        let recordAreas = try parallelMap(Array(geometries.indices)) { chunk in
            try Measurer().areas(chunk.map { geometries[$0] }, crs: crs, metric: metric, zones: zones.map { z in chunk.map { z[$0] } })
        }

        progress("dissolving \(geometries.count) records by \(fields.key)")
        var members: [String: [Int]] = [:]
        for (i, k) in keys.enumerated() { members[k, default: []].append(i) }
        let nameIndex = fields.names.lazy.compactMap(layer.fieldIndex).first
        // A count's sum over a key's records; nil when a record has none (suppressed), an error
        // when one holds something that is not a count.
        // Field positions found once, not per district (a country has 224,000).
        let populationIndex = layer.fieldIndex(fields.population), householdsIndex = layer.fieldIndex(fields.households)
        let textIndex = Dictionary(uniqueKeysWithValues: placeFields.map { ($0, layer.fieldIndex($0)) })
        func int(_ index: Int?, _ rows: [Int]) throws -> Int? {
            guard let fi = index else { return nil }
            var sum = 0
            for r in rows {
                let value = layer.features[r].values[fi]
                if case .null = value { return nil }
                guard let v = value.intValue, v >= 0 else {
                    throw DataError(file: file.path, record: r + 1, field: layer.fields[fi].name, "expected a count (integer ≥ 0), found '\(value)'")
                }
                sum += v
            }
            return sum
        }
        func text(_ field: String, _ row: Int) -> String {
            textIndex[field]!.flatMap { layer.features[row].values[$0].stringValue } ?? ""
        }
        // Keys with several records (islands, exclaves) are joined on all cores; the union is
        // measured, not the sum, so overlapping records are not counted twice.
        let sortedKeys = members.keys.sorted()
        let joinedKeys = sortedKeys.filter { members[$0]!.count > 1 }
        let joinedRows = joinedKeys.map { members[$0]! }
        let joined = try parallelMap(joinedRows) { chunk in
            let measurer = Measurer()
            return try chunk.map { rows -> Joined in
                let geometry = try measurer.engine.union(rows.map { geometries[$0] })
                return Joined(geometry: geometry, area: try measurer.areas([geometry], crs: crs, metric: metric,
                                                                           zones: zones.map { [$0[rows[0]]] })[0])
            }
        }
        let joinedByKey = Dictionary(uniqueKeysWithValues: zip(joinedKeys, joined))
        let districts = try sortedKeys.map { key -> District in
            let rows = members[key]!
            let first = rows[0]
            let geometry = joinedByKey[key]?.geometry ?? geometries[first]
            let area = joinedByKey[key]?.area ?? recordAreas[first]
            let cityName = [text("GST_NAME", first), text("CSS_NAME", first)].filter { !$0.isEmpty }.joined(separator: " ")
            let households = try int(householdsIndex, rows)
            return District(
                id: key,
                name: nameIndex.flatMap { layer.features[first].values[$0].stringValue } ?? "",
                cityCode: text("KEN", first) + text("CITY", first),
                cityName: cityName,
                areaM2: area,
                figures: try int(populationIndex, rows).map { AgingFigures(population: $0, aged: 0, households: households) },
                agedKnown: false, geometry: geometry, records: rows.map { $0 + 1 }, zone: zones?[first])
        }
        return DistrictLoad(source: file.path, crs: layer.crs, encoding: file.encoding, metric: metric,
                            records: layer.features.count, districts: districts, repaired: repaired,
                            zones: Array(Set(zones ?? [])).sorted())
    }

    /// The same districts with their areas in `metric`: each dissolved shape measured anew, as
    /// `load` would have measured it (plane zones are only kept for the plane metric).
    public static func remeasured(_ load: DistrictLoad, in metric: Metric) throws -> DistrictLoad {
        guard metric != load.metric else { return load }
        var out = load
        let crs = load.crs
        let zones = metric == .plane ? load.districts.map(\.zone) : nil
        if metric == .plane, zones!.contains(where: { $0 == nil }) {
            throw DataError(file: load.source, "plane areas need the districts' plane zones")
        }
        let areas = try parallelMap(Array(load.districts.indices)) { chunk in
            try Measurer().areas(chunk.map { load.districts[$0].geometry }, crs: crs, metric: metric,
                                 zones: zones.map { z in chunk.map { z[$0]! } })
        }
        for i in out.districts.indices {
            out.districts[i].areaM2 = areas[i]
            if metric != .plane { out.districts[i].zone = nil }
        }
        out.metric = metric
        if metric != .plane { out.zones = [] }
        return out
    }

    /// The area of the union of all districts, to check the sum of their areas against. Each
    /// prefecture (the first two digits of the municipality code) is joined on its own in one
    /// coverage union of its districts (`GeometryEngine.coverageUnion`, which falls back to the
    /// general union where districts overlap) and measured in its plane zone (Hokkaido's part in each of its zones): prefectures do not
    /// overlap, so their areas add up, and they are independent work for all cores, where one
    /// union of the whole country ran on one core in time growing faster than the input.
    public static func unionArea(_ load: DistrictLoad, progress: (String) -> Void = { _ in }) throws -> Double {
        struct Part: Hashable, Comparable {
            var prefecture: Substring
            var zone: Int  // 0 without plane zones
            static func < (a: Part, b: Part) -> Bool { (a.prefecture, a.zone) < (b.prefecture, b.zone) }
        }
        var members: [Part: [Geometry]] = [:]
        for d in load.districts { members[Part(prefecture: d.cityCode.prefix(2), zone: d.zone?.number ?? 0), default: []].append(d.geometry) }
        let parts = members.keys.sorted()
        let work = parts.map { members[$0]! }
        // Largest first, so the last task to start is a small one.
        let order = work.indices.sorted { work[$0].count > work[$1].count }
        progress("joining \(load.districts.count) districts in \(parts.count) prefecture part(s)")
        let crs = load.crs, metric = load.metric
        let areas = try parallelMap(order, chunks: order.count) { chunk in
            let measurer = Measurer()
            return try chunk.map { i in
                let union = try measurer.engine.coverageUnion(work[i])
                return try measurer.areas([union], crs: crs, metric: metric, zones: PlaneZone(parts[i].zone).map { [$0] })[0]
            }
        }
        return areas.reduce(0, +)
    }

    /// Districts as a layer for writing: KEY_CODE, name, city, population, households, area.
    public static func layer(_ load: DistrictLoad, name: String = "districts") -> Layer {
        Layer(name: name, crs: load.crs, rows: load.districts, geometry: \.geometry, columns: [
            .string("KEY_CODE") { $0.id },
            .string("name") { $0.name },
            .string("city_code") { $0.cityCode },
            .string("city_name") { $0.cityName },
            .integer("JINKO") { $0.figures?.population },
            .integer("SETAI") { $0.figures?.households },
            .real("area_m2", digits: 3) { $0.areaM2 },
            .integer("records") { $0.records.count },
        ])
    }
}
