import Testing
import GeoCore
import Demography
@testable import Planning

/// The plan against brute force: every subset of the uncovered districts, checked for the
/// target, the contiguity rule and the objective (fewest districts, then most aged 65+).
@Suite struct PlanTests {
    struct BruteForce {
        var count: Int
        var aged: Int
    }

    func bruteForce(_ districts: [District], _ councilOf: [String?], need: Double, graph: ContiguityGraph,
                    singles: Bool) -> BruteForce? {
        let free = districts.indices.filter { councilOf[$0] == nil }
        var best: BruteForce?
        for mask in 0..<(1 << free.count) {
            let chosen = free.indices.filter { mask & (1 << $0) != 0 }.map { free[$0] }
            let area = chosen.reduce(0) { $0 + districts[$1].areaM2 }
            guard area >= need - 1e-6 else { continue }
            if !singles {
                let set = Set(chosen)
                let ok = graph.components(of: set).allSatisfy { comp in
                    comp.count >= 2 || comp.contains { i in graph.neighbours(i).contains { councilOf[$0] != nil } }
                }
                guard ok else { continue }
            }
            let aged = chosen.reduce(0) { $0 + (districts[$1].figures?.aged ?? 0) }
            if best == nil || chosen.count < best!.count || (chosen.count == best!.count && aged > best!.aged) {
                best = BruteForce(count: chosen.count, aged: aged)
            }
        }
        return best
    }

    @Test(arguments: [(UInt64(1), true), (2, true), (3, false), (4, false), (5, true), (6, false)])
    func matchesBruteForce(seed: UInt64, singles: Bool) throws {
        let districts = grid(columns: 4, rows: 3, seed: seed)
        var membership: [String: String] = [:]
        membership[districts[0].id] = "north"
        membership[districts[1].id] = "north"
        let total = districts.reduce(0) { $0 + $1.areaM2 }
        var options = CoverageOptions()
        options.target = 0.6
        options.singleDistrictCouncils = singles
        let report = try Coverage.run(districts, planarCRS: zoneIII, membership: membership,
                                      councils: [Council(name: "north", fiscalYear: 2015)],
                                      denominator: total, denominatorSource: "grid", options: options)
        let expected = try #require(bruteForce(districts, report.councilOf, need: 0.6 * total - report.coveredArea,
                                               graph: report.graph, singles: singles))
        let plan = report.plan
        #expect(plan.provenOptimal)
        #expect(plan.additions.count == expected.count)
        #expect(plan.additions.reduce(0) { $0 + (districts[$1.district].figures?.aged ?? 0) } == expected.aged)
        #expect(report.coveredArea + plan.addedArea >= 0.6 * total - 1e-6)
    }

    @Test func joinsTheAdjacentCouncilOrFormsANewOne() throws {
        // d0 | d1 | d2 | d3 | d4 — d0 is a council; d2, d3 far smaller than d4.
        let districts = strip([100, 10, 10, 10, 500], aged: [0, 5, 5, 5, 1])
        let report = try Coverage.run(districts, planarCRS: zoneIII, membership: ["d0": "west"],
                                      councils: [Council(name: "west", fiscalYear: 2014)], denominator: 63_000,
                                      denominatorSource: "strip", options: { var o = CoverageOptions(); o.target = 0.9; return o }())
        // Need 0.9 · 63,000 − 10,000 = 46,700 m²: d4 (50,000 m²) alone is the fewest.
        #expect(report.plan.additions.map(\.district) == [4])
        #expect(report.plan.additions[0].council == "new council 1")
        #expect(!report.plan.additions[0].joinsExisting)
    }

    @Test func tieBrokenByMoreAgedPeople() throws {
        // Two equal candidates; the one with more people aged 65+ is chosen.
        let districts = strip([100, 100, 100], aged: [0, 10, 30])
        let report = try Coverage.run(districts, planarCRS: zoneIII, membership: ["d0": "c"],
                                      councils: [Council(name: "c", fiscalYear: 2015)], denominator: 30_000,
                                      denominatorSource: "strip", options: { var o = CoverageOptions(); o.target = 0.6; return o }())
        #expect(report.plan.additions.map(\.district) == [2])
    }

    @Test func noSingleDistrictCouncilsMakesPairs() throws {
        // d0 council | d1 tiny | gap | d2, d3 big, not touching d0 or d1.
        let a = rectangle(0, 0, 100, 100), b = rectangle(100, 0, 105, 100)
        let c = rectangle(1000, 0, 1300, 100), d = rectangle(1300, 0, 1600, 100)
        let districts = [a, b, c, d].enumerated().map { i, g in
            District(id: "d\(i)", name: "D\(i)", areaM2: [10_000, 500, 30_000, 30_000][i],
                             figures: AgingFigures(population: 10, aged: 1, households: 5), geometry: g, planar: g)
        }
        var options = CoverageOptions()
        options.target = 0.5
        options.islandLinkDistance = 0   // keep c–d apart from a–b
        let single = try Coverage.run(districts, planarCRS: zoneIII, membership: ["d0": "c0"],
                                      councils: [Council(name: "c0")], denominator: 70_500, denominatorSource: "t", options: options)
        #expect(single.plan.additions.count == 1)
        options.singleDistrictCouncils = false
        let pairs = try Coverage.run(districts, planarCRS: zoneIII, membership: ["d0": "c0"],
                                     councils: [Council(name: "c0")], denominator: 70_500, denominatorSource: "t", options: options)
        #expect(pairs.plan.additions.map(\.district) == [2, 3])
        #expect(Set(pairs.plan.additions.map(\.council)) == ["new council 1"])
    }

    @Test func targetAlreadyReachedOrOutOfReach() throws {
        let districts = strip([100, 100], aged: [1, 1])
        let reached = try Coverage.run(districts, planarCRS: zoneIII, membership: ["d0": "c", "d1": "c"],
                                       councils: [Council(name: "c")], denominator: 20_000, denominatorSource: "s")
        #expect(reached.plan.additions.isEmpty && reached.gapArea == 0)
        // An outline larger than the districts: even all of them fall short.
        let short = try Coverage.run(districts, planarCRS: zoneIII, membership: [:], councils: [],
                                     denominator: 40_000, denominatorSource: "outline")
        #expect(!short.plan.reachable)
        #expect(short.plan.additions.count == 2)
    }

    @Test(arguments: [0.0, -0.1, 1.01])
    func targetOutsideUnitIntervalIsAnError(target: Double) {
        var options = CoverageOptions()
        options.target = target
        #expect(throws: ParameterError("target", "target share must be in (0, 1]; got \(target)")) {
            try Coverage.run(strip([1], aged: [0]), planarCRS: zoneIII, membership: [:], councils: [],
                             denominator: 100, denominatorSource: "s", options: options)
        }
    }

    @Test func islandsAreLinkedAndFlagged() throws {
        let districts = [rectangle(0, 0, 100, 100), rectangle(100, 0, 200, 100), rectangle(1200, 0, 1300, 100)]
            .enumerated().map { i, g in
                District(id: "d\(i)", name: "D\(i)", areaM2: 10_000, figures: nil, geometry: g, planar: g)
            }
        let graph = try ContiguityGraph(try districts.planeShapes(), crs: zoneIII, islandLinkDistance: 2_000)
        #expect(graph.edges.count == 2)
        let link = try #require(graph.edges.first { $0.isIslandLink })
        #expect(link.a == 1 && link.b == 2 && abs(link.gap - 1000) < 1e-9)
        let far = try ContiguityGraph(try districts.planeShapes(), crs: zoneIII, islandLinkDistance: 500)
        #expect(far.isolated == [2])
    }
}

/// CBC keeps process-wide state; solves from several threads must still each be right.
@Test func concurrentSolvesAgree() throws {
    let districts = grid(columns: 4, rows: 3, seed: 9)
    let total = districts.reduce(0) { $0 + $1.areaM2 }
    let counts = try parallelMap(Array(0..<8), chunks: 8) { chunk in
        try chunk.map { _ in
            try Coverage.run(districts, planarCRS: zoneIII, membership: [:], councils: [], denominator: total,
                             denominatorSource: "grid").plan.additions.count
        }
    }
    #expect(Set(counts).count == 1)
}
