import Foundation
import Testing
import GeoCore
@testable import Planning

/// The four models on small random instances against brute force (every set of sites), for
/// the exact path (CBC) and the heuristic, whose bound must hold and whose gap must be honest.
@Suite struct HubsSolverTests {
    /// Seeded points in a 10 km square, integer weights 1–99.
    struct Instance {
        var demand: [Coordinate]
        var candidates: [Coordinate]
        var weights: [Double]

        init(seed: UInt64, demand n: Int, candidates m: Int) {
            var state = seed
            func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
            demand = (0..<n).map { _ in Coordinate(next() * 10_000, next() * 10_000) }
            candidates = (0..<m).map { _ in Coordinate(next() * 10_000, next() * 10_000) }
            weights = (0..<n).map { _ in Double(1 + Int(next() * 99)) }
        }

        func problem(_ model: HubModel, fixed: [Int] = []) throws -> HubProblem {
            try HubProblem(model: model, weights: weights, costs: try CostMatrix.euclidean(from: demand, to: candidates),
                           fixed: fixed)
        }
    }

    /// The best objective over every set of `size` sites containing `fixed` (every size for LSCP).
    func bruteForce(_ problem: HubProblem) -> Double? {
        let m = problem.candidateCount
        var best: Double?
        for mask in 0..<(1 << m) {
            let open = (0..<m).filter { mask & (1 << $0) != 0 }
            guard problem.fixed.allSatisfy(open.contains) else { continue }
            if let p = problem.model.p, open.count != p { continue }
            let s = problem.evaluate(open, bound: 0, provenOptimal: false, method: "")
            if case .lscp(let r) = problem.model {
                // Feasible only if every point has an open site within r.
                guard (0..<problem.demandCount).allSatisfy({ i in open.contains { problem.costs.cost(i, $0) <= r } }) else { continue }
            }
            if best == nil || (problem.model.maximises ? s.objective > best! : s.objective < best!) { best = s.objective }
        }
        return best
    }

    static let models: [HubModel] = [.lscp(radius: 4_500), .mclp(radius: 2_000, p: 3), .pMedian(p: 3), .pCenter(p: 3)]

    @Test(arguments: models, [UInt64(1), 2, 3, 4, 5])
    func exactAndHeuristicAgainstBruteForce(_ model: HubModel, _ seed: UInt64) throws {
        let problem = try Instance(seed: seed, demand: 30, candidates: 12).problem(model)
        let optimum = try #require(bruteForce(problem) as Double?, "every instance here is feasible")
        let exact = try HubSolver.solve(problem, method: .exact)
        #expect(exact.provenOptimal)
        #expect(abs(exact.objective - optimum) <= 1e-9 * max(1, optimum), "\(model) exact \(exact.objective) vs \(optimum)")
        let fast = try HubSolver.solve(problem, method: .heuristic)
        // Never better than the optimum, bound on the right side of it, gap as stated.
        if model.maximises {
            #expect(fast.objective <= optimum + 1e-9 && fast.bound >= optimum - 1e-9, "\(fast)")
        } else {
            #expect(fast.objective >= optimum - 1e-9 * optimum && fast.bound <= optimum + 1e-9 * optimum, "\(fast)")
        }
        #expect(fast.provenOptimal == (fast.gap == 0))
        if fast.provenOptimal { #expect(abs(fast.objective - optimum) <= 1e-9 * max(1, optimum)) }
        if let p = model.p { #expect(fast.open.count == p && exact.open.count == p) }
        // Every point goes to its nearest open site.
        for i in 0..<problem.demandCount {
            let nearest = fast.open.min { (problem.costs.cost(i, $0), $0) < (problem.costs.cost(i, $1), $1) }
            #expect(fast.assignment[i] == nearest)
        }
    }

    @Test(arguments: models)
    func fixedSitesStayOpen(_ model: HubModel) throws {
        let problem = try Instance(seed: 9, demand: 30, candidates: 12).problem(model, fixed: [4, 7])
        let best = bruteForce(problem)
        try #require(best != nil, "feasible")
        let optimum = best!
        for method in HubMethod.allCases {
            let s = try HubSolver.solve(problem, method: method)
            #expect(s.open.contains(4) && s.open.contains(7), "\(method)")
            if method == .exact { #expect(abs(s.objective - optimum) <= 1e-9 * max(1, optimum)) }
        }
    }

    @Test func pMedianObjectiveIsTheWeightedDistanceSum() throws {
        // Two points, weights 1 and 3, at 0 and 10 m from a site at 0; a second site at 10.
        let problem = try HubProblem(model: .pMedian(p: 1), weights: [1, 3],
                                     costs: try CostMatrix.euclidean(from: [Coordinate(0, 0), Coordinate(10, 0)],
                                                                     to: [Coordinate(0, 0), Coordinate(10, 0)]))
        let s = try HubSolver.solve(problem, method: .exact)
        // Site 1 (at 10 m): 1 · 10 + 3 · 0 = 10; site 0 would cost 30.
        #expect(s.open == [1])
        #expect(s.objective == 10)
        #expect(s.assignment == [1, 1])
    }

    @Test func infeasibleLSCPNamesThePoints() throws {
        let costs = try CostMatrix.euclidean(from: [Coordinate(0, 0), Coordinate(5_000, 0), Coordinate(100, 0)],
                                             to: [Coordinate(0, 0)])
        let problem = try HubProblem(model: .lscp(radius: 1_000), weights: [1, 1, 1], costs: costs,
                                     demandNames: ["a", "far away", "c"])
        for method in HubMethod.allCases {
            #expect { try HubSolver.solve(problem, method: method) } throws: { error in
                let e = error as? DataError
                return e?.message.contains("1 demand point(s) have no candidate within 1000 m: far away") == true
            }
        }
    }

    @Test func badParametersAreErrors() throws {
        let costs = try CostMatrix.euclidean(from: [Coordinate(0, 0)], to: [Coordinate(0, 0), Coordinate(1, 1)])
        func message(_ model: HubModel, weights: [Double] = [1], fixed: [Int] = []) -> String? {
            do {
                _ = try HubProblem(model: model, weights: weights, costs: costs, fixed: fixed)
                return nil
            } catch let e as DataError { return e.description } catch { return "\(error)" }
        }
        #expect(message(.pMedian(p: 3))?.contains("p = 3 is larger than the 2 candidate sites") == true)
        #expect(message(.pMedian(p: 0))?.contains("p must be at least 1") == true)
        #expect(message(.mclp(radius: 100, p: 1), fixed: [0, 1])?.contains("2 fixed sites do not fit in p = 1") == true)
        #expect(message(.lscp(radius: -5))?.contains("radius must be a distance above 0 m") == true)
        #expect(message(.lscp(radius: .nan))?.contains("radius must be a distance above 0 m") == true)
        #expect(message(.pMedian(p: 1), weights: [-1])?.contains("expected a weight ≥ 0, found -1.0") == true)
        #expect(message(.pMedian(p: 1), weights: [.nan])?.contains("expected a weight ≥ 0, found nan") == true)
        let empty = try CostMatrix.euclidean(from: [], to: [Coordinate(0, 0)])
        #expect(throws: DataError.self) { try HubProblem(model: .pMedian(p: 1), weights: [], costs: empty) }
    }

    /// A larger instance, where the heuristic and CBC must agree within 0.1 % (p-median), exactly
    /// (MCLP), and the heuristic's own gap must be small.
    @Test(arguments: [HubModel.pMedian(p: 8), .mclp(radius: 1_500, p: 8), .pCenter(p: 8), .lscp(radius: 2_000)])
    func heuristicIsCloseOnALargerInstance(_ model: HubModel) throws {
        let problem = try Instance(seed: 42, demand: 150, candidates: 80).problem(model)
        let exact = try HubSolver.solve(problem, method: .exact)
        let fast = try HubSolver.solve(problem, method: .heuristic)
        #expect(exact.provenOptimal)
        switch model {
        case .pMedian:
            #expect(fast.objective <= exact.objective * 1.001)
            #expect(fast.gap <= 0.001, "\(fast.method): gap \(fast.gap)")
        case .mclp:
            #expect(fast.objective == exact.objective)
        default:
            #expect(fast.objective >= exact.objective)
        }
        #expect(model.maximises ? fast.bound >= exact.objective - 1e-9 : fast.bound <= exact.objective + 1e-9)
    }
}
