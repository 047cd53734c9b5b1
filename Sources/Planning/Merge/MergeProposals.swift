import Demography
import GeoCore

/// What a proposed merge must reach, and where it may look.
public struct ProposalOptions: Sendable {
    /// The merged unit has at least this many households (one more than the small class's 19).
    public var minimumHouseholds = 20
    /// The merged unit's aging rate is at most this (nil: no limit).
    public var maximumAgingRate: Double?
    public var within: Within = .anywhere
    /// At most this many neighbouring units are added to one small-and-aged hamlet.
    public var maximumAdded = 3

    public enum Within: Sendable {
        case anywhere
        /// The same enclosing small area (the layer's parent field, e.g. `key_code`).
        case parent
        /// The same council (hamlets outside every council only merge with each other).
        case council([String: String])
    }

    public init() {}
}

/// What happened to one small-and-aged hamlet.
public struct ProposalOutcome: Sendable {
    public var hamlet: Int
    public var result: Result

    public enum Result: Sendable {
        /// Merged with `added` neighbours into `unit` (its final id in the proposal scenario).
        case merged(unit: String, added: [Int], sharedBoundary: Double)
        /// Already taken into `unit` by the proposal for another hamlet, which fixed it too.
        case absorbed(unit: String, by: Int)
        case unmergeable(reason: String)
    }
}

public struct MergeProposal: Sendable {
    public var scenario: ScenarioResult
    /// One per small-and-aged hamlet, in layer order.
    public var outcomes: [ProposalOutcome]
}

extension MergeLayer {
    /// Proposes, for every small-and-aged unit, the smallest merge with adjacent units that meets
    /// the options: fewest units added, then fewest hamlets in the result, then the longest new
    /// shared boundary. Hamlets with the fewest eligible neighbours go first, so a choice made for
    /// one does not take the only neighbour of another; a unit merged earlier may grow again.
    public func propose(_ options: ProposalOptions = ProposalOptions()) -> MergeProposal {
        let targets = units.indices.filter { classes(figures[$0]).contains(.smallAndAged) }
        func allowed(_ a: Int, _ b: Int) -> Bool {
            switch options.within {
            case .anywhere: return true
            case .parent: return units[a].parent != nil && units[a].parent == units[b].parent
            case .council(let map): return map[units[a].id] == map[units[b].id]
            }
        }
        func meets(_ f: AgingFigures) -> Bool {
            guard let h = f.households, h >= options.minimumHouseholds else { return false }
            if let cap = options.maximumAgingRate, let rate = f.rate, rate > cap + 1e-12 { return false }
            return !classes(f).contains(.smallAndAged)
        }
        let eligible = { (i: Int) in graph.neighbours(i).filter { allowed(i, $0) } }
        let order = targets.sorted { (eligible($0).count, $0) < (eligible($1).count, $1) }

        // Groups of units merged so far; every unit starts alone.
        var groupOf = Array(units.indices)
        var members = units.indices.map { [$0] }
        var groupFigures = figures
        var outcomes: [Int: ProposalOutcome.Result] = [:]
        var madeFor: [Int: Int] = [:]

        for t in order {
            let g = groupOf[t]
            if g != t || members[g].count > 1, meets(groupFigures[g]) {
                outcomes[t] = .absorbed(unit: "", by: madeFor[g] ?? t)
                continue
            }
            let neighbours = graph.neighbours(t)
            guard !neighbours.isEmpty else {
                outcomes[t] = .unmergeable(reason: "no neighbour: no shared border and no unit within the island link distance")
                continue
            }
            guard neighbours.contains(where: { allowed(t, $0) }) else {
                let scope: String
                switch options.within {
                case .parent: scope = "small area \(units[t].parent ?? "(none)")"
                case .council(let map): scope = map[units[t].id].map { "council \($0)" } ?? "area outside every council"
                case .anywhere: scope = "area"
                }
                outcomes[t] = .unmergeable(reason: "no neighbour in the same \(scope)")
                continue
            }
            // Groups adjacent to a set of groups, allowed to join the target's.
            func adjacentGroups(_ set: [Int]) -> [Int] {
                var out = Set<Int>()
                for s in set { for m in members[s] { for n in graph.neighbours(m) where allowed(t, n) { out.insert(groupOf[n]) } } }
                return out.subtracting(set).sorted()
            }
            func newBorder(_ set: [Int]) -> Double {
                var total = 0.0
                for s in set { for m in members[s] { for n in graph.neighbours(m) where groupOf[n] != s && set.contains(groupOf[n]) && m < n {
                    total += sharedLength(m, n)
                } } }
                return total
            }
            var best: (set: [Int], hamlets: Int, border: Double)?
            var frontier: Set<[Int]> = [[g]]
            var closest: AgingFigures?
            for _ in 0..<options.maximumAdded where best == nil {
                var next = Set<[Int]>()
                for set in frontier { for a in adjacentGroups(set) { next.insert((set + [a]).sorted()) } }
                for set in next.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                    let f = set.dropFirst().reduce(groupFigures[set[0]]) { $0 + groupFigures[$1] }
                    if closest == nil || (f.households ?? 0) > (closest!.households ?? 0) { closest = f }
                    guard meets(f) else { continue }
                    let hamlets = set.reduce(0) { $0 + members[$1].count }, border = newBorder(set)
                    if best == nil || (hamlets, -border) < (best!.hamlets, -best!.border) { best = (set, hamlets, border) }
                }
                frontier = next
            }
            guard let chosen = best else {
                var need = "≥ \(options.minimumHouseholds) households"
                if let cap = options.maximumAgingRate { need += " and aging rate ≤ \(percent(cap))%" }
                let reached = closest.map { f in
                    " (the largest reaches \(f.households.map(String.init) ?? "?") households, aging rate \(f.rate.map(percent) ?? "?")%)"
                } ?? ""
                outcomes[t] = .unmergeable(reason: "no merge with up to \(options.maximumAdded) neighbouring units has \(need)\(reached)")
                continue
            }
            let root = chosen.set.min()!
            let added = chosen.set.filter { $0 != g }.flatMap { members[$0] }.sorted()
            for s in chosen.set where s != root {
                for m in members[s] { groupOf[m] = root }
                members[root] += members[s]
                groupFigures[root] = groupFigures[root] + groupFigures[s]
                members[s] = []
                madeFor[s] = nil
            }
            members[root].sort()
            madeFor[root] = t
            outcomes[t] = .merged(unit: "", added: added, sharedBoundary: chosen.border)
        }

        // Name the merged units in layer order of their first member; then fill in the names.
        let groups = units.indices.filter { groupOf[$0] == $0 && members[$0].count > 1 }
        var unitName: [Int: String] = [:]
        var merged: [MergedUnit] = []
        for (n, g) in groups.enumerated() {
            let id = String(format: "proposal-%02d", n + 1)
            unitName[g] = id
            let ms = members[g]
            let borders = ms.allSatisfy { a in graph.neighbours(a).contains { b in ms.contains(b) && !isIslandLink(a, b) } }
            merged.append(unit(id: id, name: ms.map { units[$0].name }.joined(separator: "・"), members: ms,
                               contiguity: borders ? .borders : .islandLink))
        }
        let untouched = units.indices.filter { members[groupOf[$0]].count == 1 }
            .map { unit(id: units[$0].id, name: units[$0].name, members: [$0], contiguity: .single) }
        let all = merged + untouched
        let result = targets.map { t -> ProposalOutcome in
            var r = outcomes[t]!
            switch r {
            case .merged(_, let added, let border): r = .merged(unit: unitName[groupOf[t]] ?? "", added: added, sharedBoundary: border)
            case .absorbed(_, let by): r = .absorbed(unit: unitName[groupOf[t]] ?? "", by: by)
            case .unmergeable: break
            }
            return ProposalOutcome(hamlet: t, result: r)
        }
        return MergeProposal(scenario: ScenarioResult(name: "proposal", units: all, before: baseline, after: counts(all.map(\.figures))),
                             outcomes: result)
    }
}
