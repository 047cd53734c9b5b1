import Testing
import Demography
import GeoCore
@testable import Planning

/// A unit of the synthetic layouts: a rectangle with its counts.
private func unit(_ id: String, _ g: Geometry, households: Int, aged: Int, population: Int = 100, parent: String? = nil) -> District {
    District(id: id, name: id.uppercased(), parent: parent, areaM2: 0,
                     figures: AgingFigures(population: population, aged: aged, households: households), geometry: g, planar: g)
}

private func layer(_ units: [District], islandLink: Double = 5_000) throws -> MergeLayer {
    try MergeLayer(units, planarCRS: zoneIII, source: "synthetic", islandLinkDistance: islandLink)
}

private func added(_ p: MergeProposal, _ layer: MergeLayer, for id: String) -> [String]? {
    guard let o = p.outcomes.first(where: { layer.units[$0.hamlet].id == id }), case .merged(_, let added, _) = o.result else { return nil }
    return added.map { layer.units[$0].id }
}

private func reason(_ p: MergeProposal, _ layer: MergeLayer, for id: String) -> String? {
    guard let o = p.outcomes.first(where: { layer.units[$0.hamlet].id == id }), case .unmergeable(let r) = o.result else { return nil }
    return r
}

@Suite("merge proposals")
struct MergeProposalTests {
    // s is small and aged (10 households, 60 % aged); a shares 100 m of border with it, b 300 m.
    let s = unit("s", rectangle(0, 0, 300, 100), households: 10, aged: 60)

    @Test func prefersTheLongestSharedBoundary() throws {
        let l = try layer([s, unit("a", rectangle(-100, 0, 0, 100), households: 30, aged: 30),
                           unit("b", rectangle(0, 100, 300, 200), households: 30, aged: 30)])
        let p = l.propose()
        #expect(added(p, l, for: "s") == ["b"])
        #expect(p.scenario.after.smallAndAged == 0)
    }

    @Test func prefersFewerUnitsOverALongerBoundary() throws {
        // b has the longer border but 10 + 5 < 20 households; a alone reaches 20.
        let l = try layer([s, unit("a", rectangle(-100, 0, 0, 100), households: 30, aged: 30),
                           unit("b", rectangle(0, 100, 300, 200), households: 5, aged: 30),
                           unit("c", rectangle(0, 200, 300, 300), households: 30, aged: 30)])
        #expect(added(l.propose(), l, for: "s") == ["a"])
    }

    @Test func addsTwoWhenOneIsNotEnough() throws {
        let l = try layer([s, unit("a", rectangle(-100, 0, 0, 100), households: 4, aged: 30),
                           unit("b", rectangle(0, 100, 300, 200), households: 5, aged: 30),
                           unit("c", rectangle(300, 0, 400, 100), households: 6, aged: 30)])
        // No one neighbour is enough; {a, c} reaches 20 and {b, c} 21, and b's 300 m border decides.
        #expect(added(l.propose(), l, for: "s") == ["b", "c"])
    }

    @Test func respectsTheAgingCap() throws {
        let l = try layer([s, unit("a", rectangle(-100, 0, 0, 100), households: 30, aged: 20),
                           unit("b", rectangle(0, 100, 300, 200), households: 30, aged: 55)])
        var options = ProposalOptions()
        options.maximumAgingRate = 0.45
        // With b: 115 / 200 = 57.5 %; with a: 80 / 200 = 40 %.
        #expect(added(l.propose(options), l, for: "s") == ["a"])
        options.maximumAgingRate = 0.3
        #expect(reason(l.propose(options), l, for: "s")?.contains("aging rate ≤ 30.00%") == true)
    }

    @Test func explainsWhyAHamletCannotMerge() throws {
        // An island 10 km out, beyond the 5 km island link.
        let island = unit("island", rectangle(0, 10_000, 100, 10_100), households: 8, aged: 70)
        let l = try layer([s, island, unit("a", rectangle(-100, 0, 0, 100), households: 30, aged: 30, parent: "p2")])
        let p = l.propose()
        #expect(reason(p, l, for: "island")?.hasPrefix("no neighbour") == true)
        #expect(added(p, l, for: "s") == ["a"])

        let parented = try layer([unit("s", rectangle(0, 0, 300, 100), households: 10, aged: 60, parent: "p1"),
                                  unit("a", rectangle(-100, 0, 0, 100), households: 30, aged: 30, parent: "p2")])
        var options = ProposalOptions()
        options.within = .parent
        #expect(reason(parented.propose(options), parented, for: "s") == "no neighbour in the same small area p1")
    }

    @Test func nagatoEverySmallAndAgedHamletIsMerged() throws {
        let l = NagatoHamlets.layer
        let p = l.propose()
        #expect(p.outcomes.count == 16)
        #expect(p.scenario.after.smallAndAged == 0)
        for o in p.outcomes {
            if case .unmergeable(let r) = o.result { Issue.record("\(l.units[o.hamlet].id) not merged: \(r)") }
        }
        for u in p.scenario.merges {
            #expect((u.figures.households ?? 0) >= 20)
            #expect(l.graph.components(of: Set(u.members)).count == 1, "\(u.id) is not contiguous")
        }
        // Deterministic.
        #expect(l.propose().scenario.units.map(\.members) == p.scenario.units.map(\.members))
    }

    @Test func nagatoWithinSmallAreasAndAnAgingCap() throws {
        let l = NagatoHamlets.layer
        var options = ProposalOptions()
        options.within = .parent
        options.maximumAgingRate = 0.5
        let p = l.propose(options)
        for u in p.scenario.merges {
            #expect(Set(u.members.map { l.units[$0].parent }).count == 1)
            #expect(u.figures.rate! <= 0.5 + 1e-12)
        }
        // Every hamlet left small and aged is explained, and nothing else is.
        let explained = p.outcomes.filter { if case .unmergeable = $0.result { return true } else { return false } }
        #expect(p.scenario.after.smallAndAged == explained.count)
        #expect(explained.allSatisfy { if case .unmergeable(let r) = $0.result { return r.contains("aging rate ≤ 50.00%") } else { return false } })
    }
}
