import Foundation
import Testing
import GeoCore
@testable import Planning

/// The answer a planner gets by default: `auto` reaches the optimum wherever CBC proves it, and
/// the coverage curve's greedy values and bounds enclose the true optimum for every p.
@Suite struct HubDefaultsTests {
    typealias Instance = HubsSolverTests.Instance

    @Test(arguments: HubsSolverTests.models, [UInt64(1), 2, 3, 4, 5, 6])
    func autoReachesTheOptimum(_ model: HubModel, _ seed: UInt64) throws {
        let problem = try Instance(seed: seed, demand: 40, candidates: 12).problem(model)
        guard let optimum = HubsSolverTests().bruteForce(problem) else {
            // Some point is beyond every candidate's reach: an error, whatever the method.
            #expect(throws: (any Error).self) { try HubSolver.solve(problem, method: .auto) }
            return
        }
        let auto = try HubSolver.solve(problem, method: .auto)
        #expect(auto.provenOptimal, "\(auto)")
        #expect(abs(auto.objective - optimum) <= 1e-9 * max(1, optimum), "\(model): auto \(auto.objective), optimum \(optimum)")
        let fast = try HubSolver.solve(problem, method: .heuristic)
        // The method says what ran: the heuristic alone when it proved itself, else CBC.
        #expect(auto.method.hasPrefix(fast.provenOptimal ? "the heuristic proved its sites optimal" : "CBC proved the optimum"),
                "\(auto.method)")
    }

    /// Where the heuristic's gap is open, auto takes CBC's optimum; with no time for CBC it keeps
    /// the heuristic's sites and says so (a zero budget cannot prove anything).
    @Test func autoSaysWhatItDidWithoutTime() throws {
        let problem = try Instance(seed: 7, demand: 60, candidates: 20).problem(.pCenter(p: 3))
        let fast = try HubSolver.solve(problem, method: .heuristic)
        let auto = try HubSolver.solve(problem, method: .auto, timeLimit: 1e-6)
        #expect(auto.objective <= fast.objective)
        if !fast.provenOptimal { #expect(!auto.method.hasPrefix("the heuristic proved"), "\(auto.method)") }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4], [[Int](), [4]])
    func greedyCurveEnclosesTheOptimum(_ seed: UInt64, _ fixed: [Int]) throws {
        let instance = Instance(seed: seed, demand: 40, candidates: 11)
        let base = try instance.problem(.pMedian(p: max(1, fixed.count)), fixed: fixed)
        let curve = CoverageCurve.greedy(base, radius: 2_500, upTo: 6)
        #expect(curve.map(\.p) == Array(max(1, fixed.count)...6))
        var previous = 0.0
        for point in curve {
            let mclp = try instance.problem(.mclp(radius: 2_500, p: point.p), fixed: fixed)
            let found = HubsSolverTests().bruteForce(mclp)
            let optimum = try #require(found)
            #expect(point.covered <= optimum + 1e-9, "p = \(point.p): greedy \(point.covered) above the optimum \(optimum)")
            #expect(point.bound >= optimum - 1e-9, "p = \(point.p): bound \(point.bound) below the optimum \(optimum)")
            #expect(point.covered >= previous, "the greedy curve never falls")
            // Greedy is within 1 − 1/e of the optimum on coverage (Nemhauser, Wolsey & Fisher).
            #expect(point.covered >= (1 - exp(-1)) * optimum - 1e-9)
            previous = point.covered
        }
    }
}

/// With existing hubs, what each new hub adds: its newly covered weight and the distance it
/// saves add up to the whole change between the fixed hubs alone and the solution.
@Suite struct HubChangeTests {
    @Test func newHubsAddUpToTheWholeChange() throws {
        var options = HubStudyOptions(demand: nagato("hamlets_2014_synthetic.geojson"), model: .mclp(radius: 3_000, p: 5))
        options.fixed = ["352110020-13", "352110270-06"]
        let study = try HubStudy.run(options)
        let change = try #require(study.change)
        #expect(change.byNewHub.count == 3)
        let fixedCovered = try #require(change.fixedCoveredWeight)
        let newly = change.byNewHub.reduce(0) { $0 + $1.newlyCovered! }
        #expect(abs(fixedCovered + newly - study.coveredWeight!) < 1e-6)
        // Every point is reached by a fixed hub here (complete straight-line matrix), so the savings
        // are the whole fall of the mean distance.
        #expect(change.unreachedByFixed == 0)
        let saved = change.byNewHub.reduce(0) { $0 + $1.meanDistanceSaved }
        #expect(abs(change.fixedMeanDistance - saved - study.meanDistance) < 1e-6)
        #expect(change.byNewHub.allSatisfy { $0.meanDistanceSaved > 0 })
        #expect(try HubStudy.run(HubStudyOptions(demand: options.demand, model: .mclp(radius: 3_000, p: 5))).change == nil)
    }
}
