import Demography
import GeoCore

/// A unit after a scenario: a merge of several units, or one left as it was.
public struct MergedUnit: Sendable {
    public var id: String
    public var name: String
    /// Indices into the layer, in layer order.
    public var members: [Int]
    public var figures: AgingFigures
    public var areaM2: Double
    /// How the members hang together: borders, an island link, or disjoint (allowed).
    public var contiguity: Contiguity
    public var isMerge: Bool { members.count > 1 }

    public enum Contiguity: String, Sendable {
        case single, borders
        case islandLink = "island link"
        case disjoint = "disjoint (allowed)"
    }
}

/// The units after a scenario (its merges in file order, then the untouched units in layer
/// order) and the class counts before and after.
public struct ScenarioResult: Sendable {
    public var name: String
    public var units: [MergedUnit]
    public var before: ClassCounts
    public var after: ClassCounts
    /// Notes for the reader (e.g. proposals that could not be made).
    public var notes: [String] = []

    public var merges: [MergedUnit] { units.filter(\.isMerge) }
}

extension MergeLayer {
    /// The layer as it is, for the "before" column.
    public var baseline: ClassCounts { counts(figures) }

    /// Checks a scenario against the layer and evaluates it. Errors name the file, the
    /// scenario, the merge and the ids at fault.
    public func evaluate(_ scenario: MergeScenario, file: String) throws -> ScenarioResult {
        func fail(_ merge: Merge?, _ message: String) -> DataError {
            let line = merge?.line ?? scenario.line
            let place = "scenario \(scenario.name)" + (merge.map { ", merge \($0.name)" } ?? "")
            return DataError(file: file, field: line.map { "line \($0)" }, "\(place): \(message)")
        }
        guard !scenario.merges.isEmpty else { throw fail(nil, "no merges") }
        var usedBy: [Int: String] = [:]
        var names = Set<String>()
        var groups: [(merge: Merge, members: [Int], contiguity: MergedUnit.Contiguity)] = []
        for merge in scenario.merges {
            guard names.insert(merge.name).inserted else { throw fail(merge, "the name is used by another merge") }
            guard !merge.ids.isEmpty else { throw fail(merge, "empty merge (no hamlet ids)") }
            let unknown = merge.ids.filter { index(of: $0) == nil }
            guard unknown.isEmpty else { throw fail(merge, "unknown ids \(unknown.joined(separator: ", "))") }
            let repeated = Dictionary(grouping: merge.ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            guard repeated.isEmpty else { throw fail(merge, "ids listed twice: \(repeated.joined(separator: ", "))") }
            guard merge.ids.count > 1 else { throw fail(merge, "a merge needs at least two ids; \(merge.ids[0]) alone is not a merge") }
            let members = merge.ids.map { index(of: $0)! }.sorted()
            for m in members {
                if let other = usedBy[m] {
                    throw fail(merge, "\(units[m].id) is already in merge \(other)")
                }
                usedBy[m] = merge.name
            }
            let parts = graph.components(of: Set(members))
            let contiguity: MergedUnit.Contiguity
            if parts.count > 1 {
                guard merge.allowDisjoint else {
                    let listed = parts.map { $0.map { units[$0].id }.joined(separator: ", ") }.joined(separator: " | ")
                    throw fail(merge, "not contiguous: \(parts.count) separate parts (\(listed)); set allow_disjoint: true to allow it")
                }
                contiguity = .disjoint
            } else {
                let islandOnly = members.contains { a in
                    !graph.neighbours(a).contains { b in members.contains(b) && !isIslandLink(a, b) }
                }
                contiguity = islandOnly ? .islandLink : .borders
            }
            groups.append((merge, members, contiguity))
        }
        var after = groups.map { g in
            unit(id: g.merge.name, name: g.merge.name, members: g.members, contiguity: g.contiguity)
        }
        after += units.indices.filter { usedBy[$0] == nil }.map { unit(id: units[$0].id, name: units[$0].name, members: [$0], contiguity: .single) }
        return ScenarioResult(name: scenario.name, units: after, before: baseline, after: counts(after.map(\.figures)))
    }

    /// A unit made of `members` (one or more), with summed counts and area.
    func unit(id: String, name: String, members: [Int], contiguity: MergedUnit.Contiguity) -> MergedUnit {
        MergedUnit(id: id, name: name, members: members,
                   figures: members.dropFirst().reduce(figures[members[0]]) { $0 + figures[$1] },
                   areaM2: members.reduce(0) { $0 + units[$1].areaM2 }, contiguity: contiguity)
    }
}
