import Foundation
import Testing
import GeoCore
@testable import Planning

/// A `columns × rows` grid graph (rook contiguity) with seeded household counts and aging.
private func gridProblem(columns: Int, rows: Int, seed: UInt64, floor: Double, cap: Double? = nil) -> RegionProblem {
    var rng = SplitMix64(seed: seed)
    let n = columns * rows
    var neighbours = Array(repeating: [Int](), count: n)
    for r in 0..<rows {
        for c in 0..<columns {
            let i = r * columns + c
            if c + 1 < columns { neighbours[i].append(i + 1); neighbours[i + 1].append(i) }
            if r + 1 < rows { neighbours[i].append(i + columns); neighbours[i + columns].append(i) }
        }
    }
    let households = (0..<n).map { _ in Double(3 + rng.below(25)) }
    let population = households.map { Int($0) * 2 }
    let aged = population.map { $0 * (20 + rng.below(50)) / 100 }
    return RegionProblem(values: households, floor: floor, neighbours: neighbours.map { $0.sorted() },
                         population: population, aged: aged, maximumAgingRate: cap, ids: (0..<n).map { "u\($0)" })
}

/// Whether every region is contiguous and valid, and every unit is in exactly one.
func check(_ s: RegionSolution, _ p: RegionProblem) -> Bool {
    let builder = RegionBuilder(p)
    guard s.regions.flatMap({ $0 }).sorted() == Array(0..<p.count) else { return false }
    return s.regions.allSatisfy { region in
        builder.isValid(region) && connected(region, p)
    }
}

func connected(_ region: [Int], _ p: RegionProblem) -> Bool {
    let members = Set(region)
    var seen: Set<Int> = [region[0]], stack = [region[0]]
    while let i = stack.popLast() {
        for j in p.neighbours[i] where members.contains(j) && !seen.contains(j) { seen.insert(j); stack.append(j) }
    }
    return seen.count == region.count
}

/// The most valid regions over every partition (restricted growth strings): the exact optimum.
private func bruteForce(_ p: RegionProblem) -> Int {
    let builder = RegionBuilder(p)
    var best = 0
    var labels = Array(repeating: 0, count: p.count)
    func visit(_ i: Int, _ blocks: Int) {
        if i == p.count {
            guard blocks > best else { return }
            var regions = Array(repeating: [Int](), count: blocks)
            for (u, l) in labels.enumerated() { regions[l].append(u) }
            if regions.allSatisfy({ builder.isValid($0) && connected($0, p) }) { best = blocks }
            return
        }
        for l in 0...blocks {
            labels[i] = l
            visit(i + 1, max(blocks, l + 1))
        }
    }
    visit(0, 0)
    return best
}

@Suite("max-p regions")
struct MaxPRegionTests {
    @Test(arguments: [(2, 4, UInt64(1)), (3, 3, 2), (3, 3, 3), (2, 4, 4), (3, 3, 5), (3, 3, 6)])
    func matchesTheExactOptimumOnSmallGrids(columns: Int, rows: Int, seed: UInt64) throws {
        for floor in [20.0, 35.0] {
            for cap in [nil, 0.45] as [Double?] {
                let problem = gridProblem(columns: columns, rows: rows, seed: seed, floor: floor, cap: cap)
                let optimum = bruteForce(problem)
                guard optimum > 0 else {
                    #expect(throws: DataError.self) { try MaxPRegions.solve(problem, source: "grid") }
                    continue
                }
                let s = try MaxPRegions.solve(problem, source: "grid")
                #expect(check(s, problem))
                #expect(s.p == optimum, "floor \(floor), cap \(String(describing: cap)): \(s.p) regions, optimum \(optimum)")
                #expect(s.p <= s.upperBound)
            }
        }
    }

    @Test func largerGridIsValidAndDeterministic() throws {
        let problem = gridProblem(columns: 20, rows: 20, seed: 7, floor: 40, cap: 0.5)
        var options = RegionOptions()
        options.seed = 42
        let a = try MaxPRegions.solve(problem, options: options, source: "grid")
        let b = try MaxPRegions.solve(problem, options: options, source: "grid")
        #expect(check(a, problem))
        #expect(a.labels == b.labels)
        #expect(a.p >= a.constructed)
        #expect(a.p <= a.upperBound)
    }

    @Test func namesTheUnitsNoRegionCanHold() throws {
        // Two parts: 0–1 (40 households) and 2 alone (5), which cannot reach 20.
        let problem = RegionProblem(values: [20, 20, 5], floor: 20, neighbours: [[1], [0], []], ids: ["a", "b", "island"])
        let error = #expect(throws: DataError.self) { try MaxPRegions.solve(problem, source: "layer.geojson") }
        #expect(error?.message.contains("(island) have 5 households in all, below 20") == true, "\(String(describing: error))")

        let old = RegionProblem(values: [20, 20], floor: 20, neighbours: [[1], [0]], population: [10, 10], aged: [6, 6],
                                maximumAgingRate: 0.5, ids: ["a", "b"])
        let tooOld = #expect(throws: DataError.self) { try MaxPRegions.solve(old, source: "layer.geojson") }
        #expect(tooOld?.message.contains("aging rate ≤ 50%") == true, "\(String(describing: tooOld))")
    }

    @Test func nagatoHamletsUnderAnAgingCap() throws {
        // 56 hamlets are at ≥ 50 %: each needs younger neighbours in its region.
        let layer = NagatoHamlets.layer
        let problem = layer.regionProblem(floor: 20, on: .households, maximumAgingRate: 0.5)
        let s = try MaxPRegions.solve(problem, source: "nagato")
        #expect(check(s, problem))
        #expect(s.regions.allSatisfy { r in
            Double(r.reduce(0) { $0 + problem.aged[$1] }) / Double(r.reduce(0) { $0 + problem.population[$1] }) <= 0.5 + 1e-12
        })
    }

    @Test func nagatoHamletsOfTwentyHouseholds() throws {
        let layer = NagatoHamlets.layer
        let problem = layer.regionProblem(floor: 20, on: .households, maximumAgingRate: nil)
        let s = try MaxPRegions.solve(problem, source: "nagato")
        #expect(check(s, problem))
        // Regions of ≥ 20 households leave no small-and-aged unit.
        #expect(s.scenario(layer).after.smallAndAged == 0)
    }
}

/// PySAL spopt's MaxPHeuristic on the same units and graph (fixtures made by
/// Fixtures/make_maxp_fixtures.py): chiiki finds at least as many regions as spopt's best of ten
/// seeds, every one valid.
@Suite("max-p against spopt")
struct MaxPSpoptTests {
    struct Fixture: Decodable {
        struct Instance: Decodable { var ids: [String]; var households: [Int]; var population: [Int]; var edges: [[Int]] }
        struct Floor: Decodable { var attribute: String; var value: Double }
        struct Best: Decodable { var regions: Int }
        struct Spopt: Decodable { var regions: Int; var best: Best; var upper_bound: Int }
        var instance: Instance
        var floor: Floor
        var spopt: Spopt
    }

    @Test(arguments: ["maxp_nagato_hamlets.json", "maxp_nagato_hamlets_population.json", "maxp_tottori.json"])
    func atLeastAsManyRegionsAsSpopt(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let n = f.instance.ids.count
        var neighbours = Array(repeating: [Int](), count: n)
        for e in f.instance.edges { neighbours[e[0]].append(e[1]); neighbours[e[1]].append(e[0]) }
        let values = (f.floor.attribute == "households" ? f.instance.households : f.instance.population).map(Double.init)
        let problem = RegionProblem(values: values, floor: f.floor.value, neighbours: neighbours.map { $0.sorted() },
                                    floorName: f.floor.attribute, ids: f.instance.ids)
        let s = try MaxPRegions.solve(problem, source: name)
        #expect(check(s, problem))
        #expect(s.upperBound == f.spopt.upper_bound)
        #expect(s.p >= f.spopt.best.regions, "\(name): chiiki \(s.p) regions, spopt \(f.spopt.regions) (best of 10 seeds \(f.spopt.best.regions))")
    }
}
