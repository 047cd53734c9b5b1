import Foundation
import Testing
import GeoCore
@testable import Planning
import TestSupport

/// Capacitated p-median, MCLP and LSCP, split and single-source, against brute force written
/// here without CBC: every set of sites, and for each the best allocation — every assignment of
/// points to sites (single source) or a min-cost flow (split demand).
@Suite struct HubCapacityTests {
    struct Instance {
        var problem: HubProblem

        /// Seeded points in a 10 km square, integer weights 1–9, capacities 10–39.
        init(seed: UInt64, demand n: Int, candidates m: Int, model: HubModel, singleSource: Bool, fixed: [Int] = []) throws {
            var state = seed &* 0x9E3779B97F4A7C15
            func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
            let demand = (0..<n).map { _ in Coordinate(next() * 10_000, next() * 10_000) }
            let candidates = (0..<m).map { _ in Coordinate(next() * 10_000, next() * 10_000) }
            let weights = (0..<n).map { _ in Double(1 + Int(next() * 9)) }
            let limits = (0..<m).map { _ in Double(10 + Int(next() * 30)) }
            problem = try HubProblem(model: model, weights: weights, costs: try CostMatrix.euclidean(from: demand, to: candidates),
                                     fixed: fixed, capacities: HubCapacities(limits: limits, singleSource: singleSource))
        }
    }

    // MARK: the reference

    /// The best allocation to `open` as (value to minimise, served weight), nil when the
    /// demand does not fit; values as the solver's: p-median distance, MCLP −covered, LSCP 0.
    func bestAllocation(_ problem: HubProblem, open: [Int]) -> Double? {
        let c = problem.capacities!
        let arcs = (0..<problem.demandCount).map { i in problem.admissible(i).filter { open.contains($0.site) } }
        let mustServe: Bool
        if case .mclp = problem.model { mustServe = false } else { mustServe = true }
        func cost(_ i: Int, _ d: Double) -> Double {
            switch problem.model {
            case .pMedian: return problem.weights[i] * d
            case .mclp: return -problem.weights[i]
            default: return 0
            }
        }
        if c.singleSource {
            var best: Double?
            var load = [Double](repeating: 0, count: problem.candidateCount)
            func go(_ i: Int, _ value: Double) {
                if i == problem.demandCount { if best == nil || value < best! { best = value }; return }
                if !mustServe { go(i + 1, value) }
                for a in arcs[i] where load[a.site] + problem.weights[i] <= c.limits[a.site] + 1e-9 {
                    load[a.site] += problem.weights[i]
                    go(i + 1, value + cost(i, a.distance))
                    load[a.site] -= problem.weights[i]
                }
            }
            go(0, 0)
            return best
        }
        return minCostFlow(problem, arcs: arcs, cost: cost, mustServe: mustServe)
    }

    /// Successive shortest paths (Bellman–Ford) on source → points → sites → sink.
    func minCostFlow(_ problem: HubProblem, arcs: [[(site: Int, distance: Double)]], cost: (Int, Double) -> Double,
                     mustServe: Bool) -> Double? {
        let n = problem.demandCount, m = problem.candidateCount
        let source = n + m, sink = n + m + 1
        var edges: [(from: Int, to: Int, capacity: Double, cost: Double)] = []
        func add(_ a: Int, _ b: Int, _ capacity: Double, _ cost: Double) {
            edges.append((a, b, capacity, cost)); edges.append((b, a, 0, -cost))
        }
        for i in 0..<n { add(source, i, problem.weights[i], 0) }
        for i in 0..<n { for a in arcs[i] { add(i, n + a.site, .infinity, cost(i, a.distance) / problem.weights[i]) } }
        for j in 0..<m { add(n + j, sink, problem.capacities!.limits[j], 0) }
        var total = 0.0, flow = 0.0
        while true {
            var dist = [Double](repeating: .infinity, count: n + m + 2), via = [Int](repeating: -1, count: n + m + 2)
            dist[source] = 0
            for _ in 0..<(n + m + 2) {
                var changed = false
                for (k, e) in edges.enumerated() where e.capacity > 1e-9 && dist[e.from] + e.cost < dist[e.to] - 1e-12 {
                    dist[e.to] = dist[e.from] + e.cost; via[e.to] = k; changed = true
                }
                if !changed { break }
            }
            guard dist[sink].isFinite, mustServe || dist[sink] < -1e-12 else { break }
            var push = Double.infinity, v = sink
            while v != source { push = min(push, edges[via[v]].capacity); v = edges[via[v]].from }
            v = sink
            while v != source { edges[via[v]].capacity -= push; edges[via[v] ^ 1].capacity += push; v = edges[via[v]].from }
            total += push * dist[sink]; flow += push
        }
        if mustServe, flow < problem.totalWeight - 1e-6 { return nil }
        return total
    }

    /// The optimum in the model's own terms (p-median distance, MCLP covered weight, LSCP hubs).
    func bruteForce(_ problem: HubProblem) -> Double? {
        let m = problem.candidateCount
        var best: (value: Double, sites: Int)?
        for mask in 0..<(1 << m) {
            let open = (0..<m).filter { mask & (1 << $0) != 0 }
            guard problem.fixed.allSatisfy(open.contains) else { continue }
            if let p = problem.model.p, open.count != p { continue }
            guard let value = bestAllocation(problem, open: open) else { continue }
            let key: (Double, Int)
            if case .lscp = problem.model { key = (Double(open.count), 0) } else { key = (value, 0) }
            if best == nil || key.0 < best!.value - 1e-9 { best = (key.0, open.count) }
        }
        guard let best else { return nil }
        if case .mclp = problem.model { return -best.value }
        return best.value
    }

    /// The solution's allocation obeys the model, checked from the problem's data.
    func checkAllocation(_ problem: HubProblem, _ s: HubSolution) {
        let c = problem.capacities!
        var load = [Double](repeating: 0, count: problem.candidateCount)
        for i in 0..<problem.demandCount {
            let shares = s.shares(of: i)
            let sum = shares.reduce(0) { $0 + $1.fraction }
            if case .mclp = problem.model { #expect(sum <= 1 + 1e-6) } else { #expect(abs(sum - 1) <= 1e-6, "point \(i) served \(sum)") }
            if c.singleSource { #expect(shares.count <= 1) }
            for share in shares {
                #expect(s.open.contains(share.site))
                #expect(problem.costs.cost(i, share.site) <= (problem.model.radius ?? .infinity))
                load[share.site] += problem.weights[i] * share.fraction
            }
        }
        for j in load.indices { #expect(load[j] <= c.limits[j] + 1e-6, "site \(j) serves \(load[j]) > \(c.limits[j])") }
        if let p = problem.model.p { #expect(s.open.count == p) }
        #expect(problem.fixed.allSatisfy(s.open.contains))
    }

    static let models: [HubModel] = [.pMedian(p: 3), .mclp(radius: 3_000, p: 3), .lscp(radius: 7_000)]

    @Test(arguments: models, [false, true])
    func exactHeuristicAndAutoAgainstBruteForce(_ model: HubModel, _ singleSource: Bool) throws {
        var compared = 0
        for seed in UInt64(1)...6 {
            let n = singleSource ? 8 : 12
            let problem: HubProblem
            do {
                problem = try Instance(seed: seed, demand: n, candidates: 7, model: model, singleSource: singleSource).problem
                try problem.checkFeasible()
            } catch is ParameterError {
                continue  // capacities too small for this draw: tested below
            } catch is DataError {
                continue  // a point beyond every candidate's radius (LSCP)
            }
            let optimum = try #require(bruteForce(problem) as Double?, "a problem that passes its checks has a solution here")
            compared += 1
            let exact = try HubSolver.solve(problem, method: .exact)
            #expect(exact.provenOptimal)
            #expect(abs(exact.objective - optimum) <= 1e-6 * max(1, abs(optimum)), "\(model) seed \(seed): CBC \(exact.objective) vs \(optimum)")
            checkAllocation(problem, exact)
            let auto = try HubSolver.solve(problem, method: .auto)
            #expect(abs(auto.objective - optimum) <= 1e-6 * max(1, abs(optimum)), "\(model) seed \(seed): auto \(auto.objective) vs \(optimum)")
            checkAllocation(problem, auto)
            let fast = try HubSolver.solve(problem, method: .heuristic)
            checkAllocation(problem, fast)
            if model.maximises {
                #expect(fast.objective <= optimum + 1e-6 && fast.bound >= optimum - 1e-6, "\(fast)")
            } else {
                #expect(fast.objective >= optimum - 1e-6 && fast.bound <= optimum + 1e-6, "\(fast)")
            }
            #expect(fast.provenOptimal == (fast.gap <= 1e-9))
        }
        #expect(compared >= 4, "most draws must fit their capacities")
    }

    @Test func capacitiesChangeTheAnswer() throws {
        // Two clusters, 10 people each; one site beside each and a third between them. Without
        // limits p = 1 takes the middle; with capacity 12 a single site cannot, and p = 2 must
        // split: each cluster to its own site.
        let demand = (0..<10).map { Coordinate(Double($0), 0) } + (0..<10).map { Coordinate(5_000 + Double($0), 0) }
        let sites = [Coordinate(0, 100), Coordinate(5_000, 100), Coordinate(2_500, 0)]
        let costs = try CostMatrix.euclidean(from: demand, to: sites)
        let weights = [Double](repeating: 1, count: 20)
        let limits = HubCapacities(limits: [12, 12, 12])
        #expect(throws: ParameterError.self) { try HubProblem(model: .pMedian(p: 1), weights: weights, costs: costs, capacities: limits) }
        let two = try HubSolver.solve(try HubProblem(model: .pMedian(p: 2), weights: weights, costs: costs, capacities: limits), method: .auto)
        #expect(two.open == [0, 1])
        let lscp = try HubSolver.solve(try HubProblem(model: .lscp(radius: 3_000), weights: weights, costs: costs, capacities: limits), method: .auto)
        #expect(lscp.open.count == 2 && lscp.provenOptimal)
        // MCLP p = 1 within 3 km: the middle reaches all 20, but serves only 12.
        let mclp = try HubSolver.solve(try HubProblem(model: .mclp(radius: 3_000, p: 1), weights: weights, costs: costs, capacities: limits), method: .auto)
        #expect(mclp.objective == 12 && mclp.provenOptimal)
    }

    @Test func badCapacitiesAreOneLineErrorsNamingTheValues() throws {
        let costs = try CostMatrix.euclidean(from: [Coordinate(0, 0), Coordinate(100, 0)], to: [Coordinate(0, 0), Coordinate(100, 0)])
        func error(_ model: HubModel, _ limits: [Double], single: Bool = false, fixed: [Int] = []) -> String {
            do {
                let p = try HubProblem(model: model, weights: [30, 50], costs: costs, fixed: fixed,
                                       capacities: HubCapacities(limits: limits, singleSource: single))
                try p.checkFeasible()
                return ""
            } catch let e as ParameterError { return e.description } catch { return "\(error)" }
        }
        #expect(error(.pMedian(p: 1), [60, 70]).contains("at most 70"))
        #expect(error(.pMedian(p: 1), [60, 70]).contains("80"))
        #expect(error(.lscp(radius: 500), [30, 40]).contains("hold 70"))
        #expect(error(.pCenter(p: 1), [100, 100]).contains("not to p-center"))
        #expect(error(.pMedian(p: 2), [45, 45], single: true).contains("fit no site"))
        #expect(error(.pMedian(p: 2), [45, 45]) == "")
        #expect(error(.pMedian(p: 1), [-1, 100]).contains("-1"))
        #expect(error(.pMedian(p: 1), [100]).contains("one per site"))
        #expect(!error(.pMedian(p: 1), [100, 100]).contains("\n"))
    }
}

/// Capacitated optima from PySAL spopt and a PuLP formulation (hubs_capacitated.json, made by
/// make_hub_capacity_fixtures.py): chiiki's default (auto) and exact answers reach them.
@Suite struct HubCapacityFixtureTests {
    struct Fixture: Decodable {
        var demand: [[Double]]
        var candidates: [[Double]]
        var weights: [Double]
        var capacities: [Double]
        var results: [Result]
        struct Result: Decodable {
            var model: String
            var p: Int?
            var radius: Double?
            var single_source: Bool
            var sites: [Int]
            var objective: Double
            var by: String
        }
    }

    static func load() throws -> Fixture {
        let url = try #require(Bundle.module.url(forResource: "hubs_capacitated", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    @Test(arguments: 0..<5)
    func reachesTheReferenceOptimum(_ k: Int) throws {
        let f = try Self.load()
        let r = f.results[k]
        let model: HubModel = switch r.model {
        case "p-median": .pMedian(p: r.p!)
        case "mclp": .mclp(radius: r.radius!, p: r.p!)
        default: .lscp(radius: r.radius!)
        }
        let costs = try CostMatrix.euclidean(from: f.demand.map { Coordinate($0[0], $0[1]) }, to: f.candidates.map { Coordinate($0[0], $0[1]) })
        let problem = try HubProblem(model: model, weights: f.weights, costs: costs,
                                     capacities: HubCapacities(limits: f.capacities, singleSource: r.single_source))
        let tolerance = 1e-6 * max(1, r.objective)
        for method in [HubMethod.auto, .exact] {
            let s = try HubSolver.solve(problem, method: method)
            #expect(s.provenOptimal, "\(method): \(s.method)")
            #expect(abs(s.objective - r.objective) <= tolerance, "\(r.model) \(method): \(s.objective) vs \(r.by) \(r.objective)")
        }
        // The capacities bind: without them the optimum is better.
        let free = try HubSolver.solve(try problem.withoutCapacities(), method: .exact)
        #expect(model.maximises ? free.objective > r.objective + tolerance : free.objective < r.objective - tolerance)
    }
}

/// Capacities from a candidate file (a capacity column, --capacity for the rest) through the
/// study to its layers and summary.
@Suite struct HubCapacityStudyTests {
    @Test func capacitiesFromTheCandidateFileReachTheOutputs() throws {
        let folder = try TemporaryDirectory()
        // Five Nagato hamlets as sites; two with a capacity, the others take --capacity.
        let csv = """
        id,name,lon,lat,定員
        a,仙崎,131.195,34.390,4000
        b,深川,131.205,34.375,
        c,三隅,131.100,34.395,3500
        d,日置,131.060,34.390,
        e,油谷,131.000,34.370,

        """
        try csv.write(toFile: folder.file("sites.csv"), atomically: true, encoding: .utf8)
        var options = HubStudyOptions(demand: nagato("hamlets_2014_synthetic.geojson"), model: .pMedian(p: 4))
        options.candidates = .file(folder.file("sites.csv"))
        options.capacity = 3_800
        let split = try HubStudy.run(options)
        let limits = try #require(split.problem.capacities).limits
        #expect(limits == [4_000, 3_800, 3_500, 3_800, 3_800])
        #expect(split.solution.provenOptimal)
        // Every site within its capacity; every point served whole in total.
        for f in split.siteFigures { #expect(f.servedWeight <= f.capacity! + 1e-6) }
        #expect(abs(split.siteFigures.reduce(0) { $0 + $1.servedWeight } - split.totalWeight) < 1e-6)
        let hubs = split.hubLayer()
        let utilisation = try #require(hubs.fields.firstIndex { $0.name == "utilisation" })
        #expect(hubs.features.allSatisfy { ($0.values[utilisation].doubleValue ?? 2) <= 1 + 1e-6 })
        let assignments = split.assignmentLayer()
        let hubsField = try #require(assignments.fields.firstIndex { $0.name == "hubs" })
        #expect(assignments.features.contains { ($0.values[hubsField].doubleValue ?? 0) >= 1 })
        let summary = try JSONSerialization.jsonObject(with: Data(split.summaryJSON())) as! [String: Any]
        #expect((summary["capacities"] as? [String: Any])?["single_source"] as? Bool == false)

        options.singleSource = true
        let whole = try HubStudy.run(options)
        #expect(whole.demand.indices.allSatisfy { whole.solution.shares(of: $0).count == 1 })
        for f in whole.siteFigures { #expect(f.servedWeight <= f.capacity! + 1e-6) }
        // One hub per point can only cost more distance than shares.
        #expect(whole.solution.objective >= split.solution.objective - 1e-6)
    }
}
