import Foundation
import GeoCore
import GeoIO

/// Per-site figures of a solution.
public struct HubSiteFigures: Sendable {
    public var candidate: Int
    public var demandPoints: Int
    public var servedWeight: Double
    /// Weighted mean and maximum distance (m) of the points it serves (0 when it serves none).
    public var meanDistance: Double
    public var maxDistance: Double
    /// Weight it serves within the radius, when there is one.
    public var coveredWeight: Double?
    /// What it can serve, when sites have capacities.
    public var capacity: Double?
}

/// What the new hubs add to the existing (fixed) ones: the whole before and after, and each new
/// hub's share of the change.
public struct HubChange: Sendable {
    /// With the fixed hubs alone: mean distance (m, over the points they reach) and, with a
    /// radius, the weight within it.
    public var fixedMeanDistance: Double
    public var fixedCoveredWeight: Double?
    /// Points no fixed hub reaches (a sparse cost matrix, or a disconnected road graph).
    public var unreachedByFixed: Int
    public var byNewHub: [Gain]

    public struct Gain: Sendable {
        public var candidate: Int
        /// Weight within the radius of this hub that was within the radius of no fixed hub.
        public var newlyCovered: Double?
        /// Σ weight × (distance to the nearest fixed hub − distance to this hub) over the points
        /// it now serves, ÷ the total weight: what it takes off the mean distance (m).
        public var meanDistanceSaved: Double
    }
}

extension HubStudy {
    /// Distance from demand point i to its hub (+∞ when it has none).
    public func distance(_ i: Int) -> Double {
        solution.assignment[i].map { problem.costs.cost(i, $0) } ?? .infinity
    }

    public var radius: Double? { options.radius }

    public func isCovered(_ i: Int) -> Bool? { radius.map { distance(i) <= $0 } }

    public var siteFigures: [HubSiteFigures] {
        // Shares: with capacities a point may be served by several hubs; without, by its nearest.
        var members: [Int: [(i: Int, weight: Double, distance: Double)]] = [:]
        for i in demand.indices {
            for s in solution.shares(of: i) {
                members[s.site, default: []].append((i, demand[i].weight * s.fraction, problem.costs.cost(i, s.site)))
            }
        }
        return solution.open.map { j in
            let m = members[j] ?? []
            let weight = m.reduce(0) { $0 + $1.weight }
            return HubSiteFigures(candidate: j, demandPoints: m.count, servedWeight: weight,
                                  meanDistance: weight > 0 ? m.reduce(0) { $0 + $1.weight * $1.distance } / weight : 0,
                                  maxDistance: m.map(\.distance).max() ?? 0,
                                  coveredWeight: radius.map { r in m.filter { $0.distance <= r }.reduce(0) { $0 + $1.weight } },
                                  capacity: problem.capacities?.limits[j])
        }
    }

    /// Each served share of a demand point: its weight and distance.
    private var servedShares: [(weight: Double, distance: Double)] {
        demand.indices.flatMap { i in
            solution.shares(of: i).map { (demand[i].weight * $0.fraction, problem.costs.cost(i, $0.site)) }
        }
    }

    /// Weight covered (when there is a radius), weighted mean and longest distance, over every
    /// served share (a point split between hubs counts once per hub, by its share).
    public var servedFigures: (covered: Double?, meanDistance: Double, maxDistance: Double) {
        let served = servedShares.filter { $0.distance.isFinite }
        let weight = served.reduce(0) { $0 + $1.weight }
        return (radius.map { r in served.filter { $0.distance <= r }.reduce(0) { $0 + $1.weight } },
                weight > 0 ? served.reduce(0) { $0 + $1.weight * $1.distance } / weight : 0,
                served.map(\.distance).max() ?? 0)
    }

    /// Covered weight over all demand, when there is a radius.
    public var coveredWeight: Double? { servedFigures.covered }
    public var meanDistance: Double { servedFigures.meanDistance }
    public var maxDistance: Double { servedFigures.maxDistance }

    /// Demand points served by more than one hub (only with capacities, demand split).
    public var splitPoints: Int { demand.indices.filter { solution.shares(of: $0).count > 1 }.count }

    /// What the new hubs change, when some hubs are fixed (existing) and some are new.
    public var change: HubChange? {
        let fixed = problem.fixed
        guard !fixed.isEmpty, solution.open.count > fixed.count else { return nil }
        let before = demand.indices.map { i in fixed.map { problem.costs.cost(i, $0) }.min() ?? .infinity }
        let reached = demand.indices.filter { before[$0].isFinite }
        let reachedWeight = reached.reduce(0) { $0 + demand[$1].weight }
        let r = radius
        let isFixed = Set(fixed)
        let gains = solution.open.filter { !isFixed.contains($0) }.map { j -> HubChange.Gain in
            let served = demand.indices.filter { solution.assignment[$0] == j }
            let newly = r.map { r in served.filter { distance($0) <= r && before[$0] > r }.reduce(0) { $0 + demand[$1].weight } }
            let saved = served.filter { before[$0].isFinite }.reduce(0) { $0 + demand[$1].weight * (before[$1] - distance($1)) }
            return HubChange.Gain(candidate: j, newlyCovered: newly, meanDistanceSaved: saved / totalWeight)
        }
        return HubChange(fixedMeanDistance: reachedWeight > 0 ? reached.reduce(0) { $0 + demand[$1].weight * before[$1] } / reachedWeight : 0,
                         fixedCoveredWeight: r.map { r in demand.indices.filter { before[$0] <= r }.reduce(0) { $0 + demand[$1].weight } },
                         unreachedByFixed: demand.count - reached.count, byNewHub: gains)
    }

    // MARK: layers

    /// The sites, the assignments (points and lines), the candidates and the catchments as styled layers.
    public var layers: [Layer] {
        let catchments = catchmentLayer()
        return [hubLayer(), assignmentLayer(), assignmentLineLayer(), candidateLayer()] + (catchments.features.isEmpty ? [] : [catchments])
    }

    /// The chosen sites as points with what they serve.
    public func hubLayer() -> Layer {
        var fields = [Field("id", .string), Field("name", .string), Field("fixed", .integer), Field("demand_points", .integer),
                      Field("served_weight", .real), Field("served_share", .real), Field("mean_distance_m", .real),
                      Field("max_distance_m", .real)]
        if radius != nil { fields += [Field("covered_weight", .real), Field("covered_share", .real)] }
        if problem.capacities != nil { fields += [Field("capacity", .real), Field("utilisation", .real)] }
        if roads != nil { fields.append(Field("snap_m", .real)) }
        let total = totalWeight
        let features = siteFigures.map { f -> Feature in
            let site = candidates[f.candidate]
            var values: [FieldValue] = [.string(site.id), .string(site.name), .integer(site.fixed ? 1 : 0), .integer(f.demandPoints),
                                        .real(rounded(f.servedWeight, 3)), .real(rounded(f.servedWeight / total, 6)),
                                        .real(rounded(f.meanDistance, 1)), .real(rounded(f.maxDistance, 1))]
            if let covered = f.coveredWeight { values += [.real(rounded(covered, 3)), .real(rounded(covered / total, 6))] }
            if let capacity = f.capacity {
                values += [.real(rounded(capacity, 3)), capacity > 0 ? .real(rounded(f.servedWeight / capacity, 6)) : .null]
            }
            if let roads { values.append(.real(rounded(roads.candidateSnaps[f.candidate], 1))) }
            return Feature(geometry: .point(site.location), values: values)
        }
        return Layer(name: "hubs", crs: crs, fields: fields, features: features).styled(LayerStyle(.marker, .categorized(field: "fixed", classes: [
            .category("0", Palette.hub, "hub site"), .category("1", Palette.fixedHub, "existing hub (fixed)"),
        ], other: nil), stroke: Palette.background, width: 0.4, size: 5, shape: "star", labelField: "name", labelScale: 500_000))
    }

    private func assignmentFields() -> [Field] {
        var fields = [Field("id", .string), Field("name", .string), Field("weight", .real), Field("hub_id", .string),
                      Field("hub_name", .string), Field("distance_m", .real)]
        if radius != nil { fields.append(Field("covered", .integer)) }
        if problem.capacities != nil { fields += [Field("served_share", .real), Field("hubs", .integer)] }
        if roads != nil { fields.append(Field("snap_m", .real)) }
        return fields
    }

    private func assignmentValues(_ i: Int) -> [FieldValue] {
        let p = demand[i], hub = solution.assignment[i].map { candidates[$0] }
        let d = distance(i)
        var values: [FieldValue] = [.string(p.id), .string(p.name), .real(rounded(p.weight, 3)),
                                    hub.map { .string($0.id) } ?? .null, hub.map { .string($0.name) } ?? .null,
                                    d.isFinite ? .real(rounded(d, 1)) : .null]
        if let covered = isCovered(i) { values.append(.integer(covered ? 1 : 0)) }
        if problem.capacities != nil {
            // The share of the point's weight its hubs serve (below 1 when MCLP's hubs are full),
            // and by how many hubs (above 1 when demand is split; hub_id is the largest share's).
            let shares = solution.shares(of: i)
            values += [.real(rounded(shares.reduce(0) { $0 + $1.fraction }, 6)), .integer(shares.count)]
        }
        if let roads { values.append(.real(rounded(roads.demandSnaps[i], 1))) }
        return values
    }

    /// Each demand point with its hub and distance.
    public func assignmentLayer() -> Layer {
        let features = demand.indices.map { i in Feature(geometry: .point(demand[i].location), values: assignmentValues(i)) }
        return Layer(name: "hub_assignments", crs: crs, fields: assignmentFields(), features: features)
            .styled(demandStyle(.marker))
    }

    /// Demand within the radius of its hub and beyond it (one colour without a radius).
    private func demandStyle(_ symbol: LayerStyle.Symbol) -> LayerStyle {
        let renderer: LayerStyle.Renderer = radius == nil ? .single(colour: Palette.demandCovered, label: "demand point")
            : .categorized(field: "covered", classes: [.category("1", Palette.demandCovered, "within \(TextFormat.metres(radius!)) of its hub"),
                                                       .category("0", Palette.demandUncovered, "farther")], other: nil)
        return LayerStyle(symbol, renderer, width: symbol == .line ? 0.2 : 0.1, size: 1.6)
    }

    /// Each demand point joined to its hub by a straight line (the distance attribute is the
    /// model's: along the roads when roads were given).
    public func assignmentLineLayer() -> Layer {
        let features = demand.indices.compactMap { i -> Feature? in
            guard let hub = solution.assignment[i] else { return nil }
            return Feature(geometry: .lineString([demand[i].location, candidates[hub].location]), values: assignmentValues(i))
        }
        return Layer(name: "hub_assignment_lines", crs: crs, fields: assignmentFields(), features: features).styled(demandStyle(.line))
    }

    /// Every candidate, chosen or not.
    public func candidateLayer() -> Layer {
        var fields = [Field("id", .string), Field("name", .string), Field("fixed", .integer), Field("chosen", .integer)]
        if roads != nil { fields.append(Field("snap_m", .real)) }
        let open = Set(solution.open)
        let features = candidates.indices.map { j -> Feature in
            var values: [FieldValue] = [.string(candidates[j].id), .string(candidates[j].name),
                                        .integer(candidates[j].fixed ? 1 : 0), .integer(open.contains(j) ? 1 : 0)]
            if let roads { values.append(.real(rounded(roads.candidateSnaps[j], 1))) }
            return Feature(geometry: .point(candidates[j].location), values: values)
        }
        return Layer(name: "hub_candidates", crs: crs, fields: fields, features: features).styled(LayerStyle(.marker, .categorized(field: "chosen", classes: [
            .category("1", Palette.hub, "chosen"), .category("0", Palette.candidate, "candidate site"),
        ], other: nil), stroke: Palette.strongOutline, width: 0.2, size: 2))
    }

    /// The demand areas (small areas, hamlets or mesh squares) coloured by the hub that serves
    /// them, as the report's map; empty when the demand has no areas.
    public func catchmentLayer() -> Layer {
        let s = solution
        let areaOf = Dictionary(areas.map { ($0.id, $0.geometry) }, uniquingKeysWith: { a, _ in a })
        let rows = demand.indices.compactMap { i in areaOf[demand[i].id].map { (i: i, geometry: $0) } }
        return Layer(name: "hub_catchments", crs: crs, rows: rows, geometry: \.geometry, columns: [
            .string("id") { demand[$0.i].id },
            .string("name") { demand[$0.i].name },
            .real("weight", digits: 3) { demand[$0.i].weight },
            .string("hub_id") { s.assignment[$0.i].map { candidates[$0].id } },
            .string("hub_name") { s.assignment[$0.i].map { candidates[$0].name } },
            .real("distance_m", digits: 1) { r in distance(r.i).isFinite ? distance(r.i) : nil },
        ]).styled(catchmentStyle)
    }

    /// Catchments by hub (Palette.catchments in the order of the open sites).
    public var catchmentStyle: LayerStyle {
        let classes = solution.open.enumerated().map { k, j in
            LayerStyle.Class.category(candidates[j].id, Palette.catchments[k % Palette.catchments.count], "\(candidates[j].id) \(candidates[j].name)")
        }
        return LayerStyle(.fill, .categorized(field: "hub_id", classes: classes, other: .category(nil, Palette.notReached, "no hub")), opacity: 0.6)
    }

    /// One row per chosen site.
    public func siteTable() -> Table {
        let total = totalWeight
        let rows = siteFigures.map { f -> [String] in
            let s = candidates[f.candidate]
            return [s.id, s.name, s.fixed ? "1" : "0", String(f.demandPoints), formatReal(rounded(f.servedWeight, 3)),
                    formatReal(rounded(f.servedWeight / total * 100, 2)), formatReal(rounded(f.meanDistance, 1)),
                    formatReal(rounded(f.maxDistance, 1)), f.coveredWeight.map { formatReal(rounded($0, 3)) } ?? ""]
                + (problem.capacities == nil ? [] : [f.capacity.map { formatReal(rounded($0, 3)) } ?? ""])
        }
        return Table(columns: ["id", "name", "fixed", "demand_points", "served_weight", "served_pct", "mean_distance_m",
                               "max_distance_m", "covered_weight"] + (problem.capacities == nil ? [] : ["capacity"]), rows: rows)
    }

    // MARK: summary

    /// Everything in the terminal summary, as JSON (sorted keys, so the file is reproducible).
    public func summaryJSON() throws -> [UInt8] {
        let s = solution, served = servedFigures
        var object: [String: Any] = [
            "model": ["name": options.model.name, "p": options.model.p as Any, "radius_m": options.model.radius as Any,
                      "objective_meaning": options.model.objectiveMeaning] as [String: Any],
            "demand": ["source": demandDescription, "weight": weightSource, "points": demand.count,
                       "left_out_zero_weight": droppedZeroWeight, "total_weight": rounded(totalWeight, 3)] as [String: Any],
            "candidates": ["source": candidateDescription, "count": candidates.count,
                           "fixed": candidates.filter(\.fixed).map(\.id)] as [String: Any],
            "distance": distanceDescription,
            "distance_crs": planarCRS.epsg.map { "EPSG:\($0)" } ?? planarCRS.definition,
            "solver": ["method": options.method.rawValue, "how": s.method, "proven_optimal": s.provenOptimal,
                       "objective": rounded(s.objective, 6), "bound": rounded(s.bound, 6), "gap": s.gap.isFinite ? rounded(s.gap, 9) : NSNull(),
                       "time_limit_s": options.effectiveTimeLimit] as [String: Any],
            "sites": siteFigures.map { f -> [String: Any] in
                let c = candidates[f.candidate]
                var site: [String: Any] = ["id": c.id, "name": c.name, "fixed": c.fixed, "demand_points": f.demandPoints,
                                           "served_weight": rounded(f.servedWeight, 3), "mean_distance_m": rounded(f.meanDistance, 1),
                                           "max_distance_m": rounded(f.maxDistance, 1),
                                           "covered_weight": f.coveredWeight.map { rounded($0, 3) } as Any]
                if let capacity = f.capacity { site["capacity"] = rounded(capacity, 3) }
                return site
            },
            "result": ["mean_distance_m": rounded(served.meanDistance, 1), "max_distance_m": rounded(served.maxDistance, 1),
                       "covered_weight": served.covered.map { rounded($0, 3) } as Any,
                       "covered_share": served.covered.map { rounded($0 / totalWeight, 6) } as Any,
                       "radius_m": radius as Any] as [String: Any],
            "coverage_curve": curve.map { ["p": $0.p, "covered_weight": rounded($0.covered, 3), "share": rounded($0.share, 6),
                                           "bound": rounded($0.bound, 3)] },
            "warnings": warnings,
        ]
        if let c = problem.capacities {
            object["capacities"] = ["single_source": c.singleSource, "total": rounded(c.limits.reduce(0, +), 3),
                                    "points_split": splitPoints] as [String: Any]
        }
        if let c = change {
            object["new_hubs"] = [
                "fixed_only": ["mean_distance_m": rounded(c.fixedMeanDistance, 1),
                               "covered_weight": c.fixedCoveredWeight.map { rounded($0, 3) } as Any,
                               "points_unreached": c.unreachedByFixed] as [String: Any],
                "added": c.byNewHub.map { g -> [String: Any] in
                    ["id": candidates[g.candidate].id, "name": candidates[g.candidate].name,
                     "newly_covered_weight": g.newlyCovered.map { rounded($0, 3) } as Any,
                     "mean_distance_saved_m": rounded(g.meanDistanceSaved, 1)]
                },
            ] as [String: Any]
        }
        if let r = roads {
            object["roads"] = [
                "source": r.source, "nodes": r.nodes, "segments": r.segments, "length_m": rounded(r.lengthM, 1),
                "components": r.components, "largest_component_share": rounded(r.largestShare, 6),
                "snapping": "each point joins the road graph at the nearest point of the nearest segment; the straight "
                    + "distance to it (snap_m) is walked at both ends of every trip and included in distance_m",
                "demand_snap_m": snapFigures(r.demandSnaps), "candidate_snap_m": snapFigures(r.candidateSnaps),
                "demand_off_largest_component": r.demandOffMain, "candidates_off_largest_component": r.candidatesOffMain,
            ] as [String: Any]
        }
        let data = try JSONSerialization.data(withJSONObject: jsonSafe(object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return [UInt8](data) + [0x0A]
    }

    func snapFigures(_ d: [Double]) -> [String: Any] {
        let sorted = d.sorted()
        guard !sorted.isEmpty else { return [:] }
        return ["median": rounded(sorted[sorted.count / 2], 1), "max": rounded(sorted.last!, 1),
                "mean": rounded(d.reduce(0, +) / Double(d.count), 1)]
    }
}

/// The JSON object with optionals unwrapped and nil as null (JSONSerialization rejects both).
func jsonSafe(_ value: Any) -> Any {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        guard let wrapped = mirror.children.first?.value else { return NSNull() }
        return jsonSafe(wrapped)
    }
    switch value {
    case let d as [String: Any]: return d.mapValues(jsonSafe)
    case let a as [Any]: return a.map(jsonSafe)
    default: return value
    }
}
