import Demography
import GeoCore
import GeoEngine
import GeoIO

public struct HubDemandOptions: Sendable {
    /// Id field (default: KEY_CODE, hamlet_id or id).
    public var id: String?
    public var weight: HubWeight = .aged
    /// Keep only features whose id starts with this (a municipality code such as 31202).
    public var city: String?
    public var zone: PlaneZone?
    /// False when the weights come from elsewhere (mesh statistics): the layer only gives
    /// places and polygons, and needs no weight field.
    public var needsWeights = true
    /// Weights by demand id, in place of the layer's or the census's (e.g. the aged 65+ of a
    /// projected year), with what they are; polygons only.
    public var weights: (byID: [String: Double], source: String)?
    public init() {}
}

/// Demand read from a layer: one point per district or hamlet (a point on its surface, which,
/// unlike a centroid, is always inside it), or the layer's own points.
public struct HubDemand: Sendable {
    public var points: [HubPlace]
    /// The polygons, when the layer had them (empty for a point layer), with the weight of each.
    public var areas: [District]
    public var areaWeights: [Double]
    /// The layer's CRS; every `location` is in it.
    public var crs: CRS
    public var zone: PlaneZone
    public var planarCRS: CRS
    /// What the points are, for summaries ("225 hamlets (point on surface)").
    public var description: String
    /// What the weight counts and where it came from.
    public var weightSource: String
    public var warnings: [String]

    public static func load(_ file: VectorFile, census: CensusTable? = nil, options: HubDemandOptions = HubDemandOptions(),
                            measurer: Measurer = Measurer()) throws -> HubDemand {
        var file = file
        let layer = file.layer
        guard !layer.features.isEmpty else {
            throw DataError(file: file.path, "layer '\(layer.name)' is empty: demand polygons (districts, hamlets) or points were expected")
        }
        guard let idField = PlanningDistricts.idField(options.id, in: layer) else {
            throw DataError(file: file.path, field: "id",
                            "no KEY_CODE, hamlet_id or id field; name the id field with --id (fields: \(layer.fields.map(\.name).joined(separator: ", ")))")
        }
        guard let idColumn = layer.fieldIndex(idField) else {
            throw DataError.noSuchField(idField, file: file.path, fields: layer.fields.map(\.name))
        }
        if let city = options.city {
            file.layer.features = layer.features.filter { ($0.values[idColumn].stringValue ?? "").hasPrefix(city) }
            guard !file.layer.features.isEmpty else {
                throw DataError(file: file.path, field: idField, "no feature's \(idField) starts with \(city) (--city)")
            }
        }
        let kinds = Set(file.layer.features.map { f -> String in
            guard let g = f.geometry, !g.isEmpty else { return "none" }
            if case .point = g { return "point" }
            return g.isPolygonal ? "polygon" : g.typeName
        })
        if kinds == ["point"] {
            if options.weights != nil { throw ParameterError("year", "projected weights are for districts or hamlets (polygons), not points") }
            return try points(file, idField: idField, options: options, census: census, measurer: measurer)
        }
        // Polygons: anything else is named by requirePolygons (record, geometry).
        try file.requirePolygons()
        return try polygons(file, idField: idField, census: census, options: options, measurer: measurer)
    }

    /// Each record's weight from the layer (nil when the layer has no field for it).
    static func recordWeights(_ layer: Layer, path: String, weight: HubWeight) throws -> (field: String, values: [Double])? {
        guard let field = weight.fieldNames.first(where: { layer.fieldIndex($0) != nil }) else {
            if case .field(let name) = weight {
                throw DataError.noSuchField(name, file: path, fields: layer.fields.map(\.name))
            }
            return nil
        }
        let column = layer.fieldIndex(field)!
        let values = try layer.features.enumerated().map { i, f -> Double in
            let value = f.values[column]
            let number: Double?
            switch value {
            case .integer(let n): number = Double(n)
            case .real(let d): number = d
            case .string(let s): number = Double(s.trimmingCharacters(in: .whitespaces))
            case .null: number = nil
            }
            guard let number, number.isFinite, number >= 0 else {
                throw DataError(file: path, record: i + 1, field: layer.fields[column].name,
                                "expected a weight ≥ 0 (\(weight)), found '\(value.description.isEmpty ? "empty" : value.description)'")
            }
            return number
        }
        return (layer.fields[column].name, values)
    }

    static func polygons(_ file: VectorFile, idField: String, census: CensusTable?, options: HubDemandOptions,
                         measurer: Measurer) throws -> HubDemand {
        let layer = file.layer
        let idColumn = layer.fieldIndex(idField)!
        let recordIDs = layer.features.map { $0.values[idColumn].stringValue ?? "" }
        var warnings: [String] = []
        var byID: [String: Double] = [:]
        var fromCensus = false
        let weightSource: String
        if let given = options.weights {
            for id in Set(recordIDs) {
                guard let w = given.byID[id] else {
                    throw DataError(file: file.path, field: idField, "\(id) has no weight in \(given.source)")
                }
                byID[id] = w
            }
            weightSource = given.source
        } else if !options.needsWeights {
            weightSource = "none (weights come from elsewhere)"
        } else if let found = try recordWeights(layer, path: file.path, weight: options.weight) {
            for (id, w) in zip(recordIDs, found.values) { byID[id, default: 0] += w }
            weightSource = "\(options.weight) (\(found.field))"
            if census != nil { warnings.append("--census ignored: the layer's \(found.field) field gives the weights") }
        } else if options.weight == .aged, let census {
            weightSource = "\(options.weight) (census \(census.path))"
            fromCensus = true
        } else if options.weight == .aged {
            throw DataError(file: file.path, field: "aged_65_plus",
                            "no aged_65_plus field: give --census (an e-Stat age table for these small areas) or --weight population")
        } else {
            throw DataError(file: file.path, field: "JINKO", "no JINKO or population field: name the weight field with --weight FIELD")
        }
        var fields = PlanningDistricts.Fields()
        fields.id = idField
        var loaded = try PlanningDistricts.load(file, fields: fields, zone: options.zone, measurer: measurer)
        if fromCensus, let census {
            // People aged 65+ of each small area from the census (the layer has no field for them).
            let join = try CensusJoin.join(census, to: &loaded.districts, columns: try CensusColumns.find(in: census))
            for d in loaded.districts where d.agedKnown { byID[d.id] = Double(d.figures?.aged ?? 0) }
            warnings += join.warnings
            let countedIn = join.areas.values.filter { if case .countedIn = $0 { true } else { false } }.count
            if countedIn > 0 { warnings.append("\(countedIn) small area(s) suppressed in the census have weight 0: their people are counted in the area named by HTKSAKI") }
        }
        let planarCRS = loaded.planarCRS
        let back = try measurer.transformer(from: planarCRS, to: loaded.crs)
        let engine = measurer.engine
        var points: [HubPlace] = []
        var weights: [Double] = []
        for d in loaded.districts {
            let inside = try engine.pointOnSurface(try d.planeShape())
            let weight = byID[d.id] ?? 0
            points.append(HubPlace(id: d.id, name: d.name, location: try back.transform([inside])[0], planar: inside, weight: weight))
            weights.append(weight)
        }
        let kind = idField == "KEY_CODE" ? "small areas" : (idField == "hamlet_id" ? "hamlets" : "districts")
        return HubDemand(points: points, areas: loaded.districts, areaWeights: weights, crs: loaded.crs, zone: loaded.zone, planarCRS: planarCRS,
                         description: "\(points.count) \(kind) of \(file.path) (a point on each one's surface)",
                         weightSource: weightSource, warnings: warnings)
    }

    static func points(_ file: VectorFile, idField: String, options: HubDemandOptions, census: CensusTable?,
                       measurer: Measurer) throws -> HubDemand {
        let layer = file.layer
        let none = (field: "none", values: [Double](repeating: 0, count: layer.features.count))
        guard let found = options.needsWeights ? try recordWeights(layer, path: file.path, weight: options.weight) : none else {
            let names = options.weight.fieldNames.joined(separator: " or ")
            throw DataError(file: file.path, field: options.weight.fieldNames[0],
                            "no \(names) field for the weight of these points: name it with --weight FIELD")
        }
        let idColumn = layer.fieldIndex(idField)!
        let nameColumn = layer.fieldIndex("name")
        var seen: [String: Int] = [:]
        var ids: [String] = []
        var coordinates: [Coordinate] = []
        for (i, f) in layer.features.enumerated() {
            guard let id = f.values[idColumn].stringValue, !id.isEmpty else {
                throw DataError(file: file.path, record: i + 1, field: idField, "empty id")
            }
            if let first = seen[id] {
                throw DataError(file: file.path, record: i + 1, field: idField, "\(id) is duplicated (first in record \(first))")
            }
            seen[id] = i + 1
            ids.append(id)
            guard case .point(let c) = f.geometry else { preconditionFailure("checked by load") }
            coordinates.append(c)
        }
        let zone = try pointZone(coordinates, ids: ids, crs: layer.crs, fixed: options.zone, path: file.path, measurer: measurer)
        let planarCRS = zone.crs(layer.crs.japaneseDatum ?? .jgd2011)
        let planar = try measurer.transformer(from: layer.crs, to: planarCRS).transform(coordinates)
        let points = ids.indices.map { i in
            HubPlace(id: ids[i], name: nameColumn.flatMap { layer.features[i].values[$0].stringValue } ?? ids[i],
                     location: coordinates[i], planar: planar[i], weight: found.values[i])
        }
        var warnings: [String] = []
        if census != nil { warnings.append("--census ignored: it joins to small-area polygons, and the demand layer holds points") }
        return HubDemand(points: points, areas: [], areaWeights: [], crs: layer.crs, zone: zone, planarCRS: planarCRS,
                         description: "\(points.count) points of \(file.path)",
                         weightSource: "\(options.weight) (\(found.field))", warnings: warnings)
    }

    /// The plane zone for a point layer: given, the layer's own, or the one most ids' municipality
    /// code (their first five digits) and location choose.
    static func pointZone(_ coordinates: [Coordinate], ids: [String], crs: CRS, fixed: PlaneZone?, path: String,
                          measurer: Measurer) throws -> PlaneZone {
        if let fixed { return fixed }
        if let own = crs.planeZone { return own }
        let zones = try measurer.planeZones(coordinates.map { Geometry.point($0) }, crs: crs,
                                            codes: ids.map { $0.count >= 5 ? Int($0.prefix(5)) : nil }, source: path)
        let counts = Dictionary(grouping: zones, by: { $0 }).mapValues(\.count)
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
    }
}
