import Foundation
import Testing
import TestSupport
import GeoCore
import GeoEngine
import GeoIO
@testable import Planning

/// The fixtures of make_hub_fixtures.py: spopt + CBC (through PuLP) on the same instances.
/// The exact path must reach the same objective on every one; the heuristic within 0.1 % for
/// p-median and the same covered weight for MCLP (and never better than the optimum elsewhere).
@Suite struct HubsFixtureTests {
    struct Result: Decodable, Sendable {
        var model: String
        var p: Int?
        var radius: Double?
        var fixed: [Int]
        var objective: Double
        var sites: [Int]
        /// The candidates this result used (indices into the instance's), when not all.
        var candidate_subset: [Int]?

        /// spopt's sites as indices into the candidates the result used.
        var localSites: [Int] { candidate_subset.map { subset in sites.map { subset.firstIndex(of: $0)! } } ?? sites }
    }

    struct Instance: Decodable, Sendable {
        var name: String
        var demand: [[Double]]
        var weights: [Double]
        var candidates: Candidates
        var roads: [[[Double]]]?
        var cost: [[Double]]?
        var demand_snap: [Double]?
        var candidate_snap: [Double]?
        var ids: [String]?
        var results: [Result]

        /// A list of points, or "demand" (the demand points are the candidates).
        enum Candidates: Decodable, Sendable {
            case points([[Double]])
            case demand
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let s = try? c.decode(String.self), s == "demand" { self = .demand } else { self = .points(try c.decode([[Double]].self)) }
            }
        }

        var demandPoints: [Coordinate] { demand.map { Coordinate($0[0], $0[1]) } }
        var candidatePoints: [Coordinate] {
            switch candidates {
            case .demand: return demandPoints
            case .points(let ps): return ps.map { Coordinate($0[0], $0[1]) }
            }
        }

        func costs(_ subset: [Int]? = nil) throws -> CostMatrix {
            let candidatePoints = subset.map { $0.map { self.candidatePoints[$0] } } ?? self.candidatePoints
            guard let roads else { return try CostMatrix.euclidean(from: demandPoints, to: candidatePoints) }
            let network = try RoadNetwork(lines: roads.map { $0.map { Coordinate($0[0], $0[1]) } })
            return try CostMatrix.road(network, demand: demandPoints.map(network.snap), candidates: candidatePoints.map(network.snap))
        }

        func model(_ r: Result) -> HubModel {
            switch r.model {
            case "lscp": return .lscp(radius: r.radius!)
            case "mclp": return .mclp(radius: r.radius!, p: r.p!)
            case "p-median": return .pMedian(p: r.p!)
            default: return .pCenter(p: r.p!)
            }
        }
    }

    static let names = ["hubs_random.json", "hubs_road_grid.json", "hubs_nagato_hamlets.json"]

    static func load(_ name: String) throws -> Instance {
        let base = (name as NSString).deletingPathExtension
        let url = try #require(Bundle.module.url(forResource: base, withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Instance.self, from: Data(contentsOf: url))
    }

    @Test(arguments: names)
    func exactMatchesSpopt(_ name: String) throws {
        let instance = try Self.load(name)
        for r in instance.results {
            let problem = try HubProblem(model: instance.model(r), weights: instance.weights, costs: try instance.costs(r.candidate_subset),
                                         fixed: r.fixed)
            let exact = try HubSolver.solve(problem, method: .exact)
            #expect(exact.provenOptimal, "\(name) \(r.model)")
            #expect(abs(exact.objective - r.objective) <= 1e-9 * max(1, r.objective),
                    "\(name) \(r.model) p=\(r.p ?? 0) fixed=\(r.fixed): chiiki \(exact.objective), spopt \(r.objective)")
            // spopt's own sites score the same under our evaluation.
            let theirs = problem.evaluate(r.localSites, bound: 0, provenOptimal: false, method: "spopt")
            #expect(abs(theirs.objective - r.objective) <= 1e-9 * max(1, r.objective), "\(name) \(r.model)")
            #expect(r.fixed.allSatisfy(exact.open.contains))
        }
    }

    @Test(arguments: names)
    func heuristicIsWithinTheIssuesBounds(_ name: String) throws {
        let instance = try Self.load(name)
        for r in instance.results {
            let problem = try HubProblem(model: instance.model(r), weights: instance.weights, costs: try instance.costs(r.candidate_subset),
                                         fixed: r.fixed)
            let fast = try HubSolver.solve(problem, method: .heuristic)
            let label = "\(name) \(r.model) p=\(r.p ?? 0) fixed=\(r.fixed): heuristic \(fast.objective), spopt \(r.objective), gap \(fast.gap)"
            switch r.model {
            case "p-median":
                #expect(fast.objective <= r.objective * 1.001, "\(label)")
                #expect(fast.objective >= r.objective * (1 - 1e-12), "\(label)")
            case "mclp":
                #expect(fast.objective == r.objective, "\(label)")
            default:
                #expect(fast.objective >= r.objective - 1e-9, "\(label)")
            }
            // Its bound holds against the true optimum.
            #expect(problem.model.maximises ? fast.bound >= r.objective - 1e-6 : fast.bound <= r.objective * (1 + 1e-9), "\(label)")
        }
    }

    /// Road distances against networkx's Dijkstra and shapely's nearest-segment snapping.
    @Test func roadCostsMatchNetworkx() throws {
        let instance = try Self.load("hubs_road_grid.json")
        let expected = try #require(instance.cost)
        let network = try RoadNetwork(lines: try #require(instance.roads).map { $0.map { Coordinate($0[0], $0[1]) } })
        #expect(network.componentCount == 2, "the detached piece")
        let demand = instance.demandPoints.map(network.snap), candidates = instance.candidatePoints.map(network.snap)
        for (s, e) in zip(demand, try #require(instance.demand_snap)) { #expect(abs(s.distance - e) < 1e-6) }
        for (s, e) in zip(candidates, try #require(instance.candidate_snap)) { #expect(abs(s.distance - e) < 1e-6) }
        let costs = try CostMatrix.road(network, demand: demand, candidates: candidates)
        var worst = 0.0
        for i in expected.indices { for j in expected[i].indices { worst = max(worst, abs(costs.cost(i, j) - expected[i][j])) } }
        #expect(worst < 1e-6, "largest difference \(worst) m")
    }

    /// chiiki's own demand points for the hamlets are the fixture's (both GEOS PointOnSurface in
    /// zone III), so the Nagato instance is the same instance end to end.
    @Test func hamletDemandPointsAreTheFixtures() throws {
        let instance = try Self.load("hubs_nagato_hamlets.json")
        var options = HubDemandOptions()
        options.weight = .aged
        let demand = try HubDemand.load(try VectorReader.read(Repository.nagato("hamlets_2014_synthetic.geojson")), options: options)
        let byID = Dictionary(uniqueKeysWithValues: demand.points.map { ($0.id, $0) })
        let ids = try #require(instance.ids)
        var worst = 0.0
        for (k, id) in ids.enumerated() {
            let p = try #require(byID[id])
            worst = max(worst, planarDistance(p.planar, Coordinate(instance.demand[k][0], instance.demand[k][1])))
            #expect(p.weight == instance.weights[k])
        }
        #expect(worst < 0.01, "largest difference \(worst) m")
        #expect(demand.planarCRS.epsg == 6671)
    }
}
