import Foundation
import Testing
import GeoCore
import GeoEngine
import GeoIO
import Demography
@testable import Planning

/// Random demand points (weights 1–9) and candidate sites in a 2 km square.
private func coverInstance(seed: UInt64, demand: Int = 40, candidates: Int = 14, p: Int = 3, spacing: Double = 500) throws
    -> (SpacedCover, [Coordinate]) {
    var rng = SplitMix64(seed: seed)
    func point() -> Coordinate { Coordinate(Double(rng.below(2_000)), Double(rng.below(2_000))) }
    let points = (0..<demand).map { _ in point() }
    let sites = (0..<candidates).map { _ in point() }
    let weights = points.map { _ in Double(1 + rng.below(9)) }
    let costs = try CostMatrix.euclidean(from: points, to: sites, radius: 400)
    let problem = try HubProblem(model: .mclp(radius: 400, p: p), weights: weights, costs: costs)
    return (SpacedCover(problem: problem, radius: 400, p: p, positions: sites, spacing: spacing), sites)
}

/// The most weight any set of at most p sites, pairwise at least the spacing apart, covers.
private func bruteForce(_ cover: SpacedCover, _ sites: [Coordinate], spacing: Double) -> Double {
    let m = sites.count
    var best = 0.0
    for mask in 0..<(1 << m) where mask.nonzeroBitCount <= cover.p {
        let open = (0..<m).filter { mask & (1 << $0) != 0 }
        let spaced = open.allSatisfy { a in open.allSatisfy { b in a == b || planarDistance(sites[a], sites[b]) >= spacing } }
        guard spaced else { continue }
        best = max(best, covered(cover, open))
    }
    return best
}

private func covered(_ cover: SpacedCover, _ open: [Int]) -> Double {
    let set = Set(open)
    return cover.sets.byDemand.enumerated().reduce(0) { total, row in
        total + (row.element.contains { set.contains(Int($0)) } ? cover.problem.weights[row.offset] : 0)
    }
}

@Suite("taxi: stop proposals")
struct TaxiProposalTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func spacedCoverAgainstBruteForce(_ seed: UInt64) throws {
        let (cover, sites) = try coverInstance(seed: seed)
        let optimum = bruteForce(cover, sites, spacing: 500)
        let heuristic = cover.greedyAndSwaps()
        #expect(cover.keepsSpacing(heuristic))
        #expect(heuristic.count <= cover.p)
        #expect(covered(cover, heuristic) <= optimum + 1e-9)
        let exact = try cover.exact(start: heuristic, timeLimit: 30)
        #expect(exact.provenOptimal)
        #expect(cover.keepsSpacing(exact.open))
        #expect(abs(covered(cover, exact.open) - optimum) < 1e-9, "CBC \(covered(cover, exact.open)), brute force \(optimum)")
        // The hub models' MCLP without the spacing rule bounds the spaced problem from above.
        let free = try HubSolver.solve(cover.problem, method: .heuristic)
        #expect(free.bound >= optimum - 1e-9)
    }

    @Test func proposalsOnAHandMadeGap() throws {
        // A 3 km square with one stop in a corner; 900 aged 65+ spread evenly.
        let square = rectangle(0, 0, 3_000, 3_000)
        let d = District(id: "sq", name: "四角", areaM2: 9e6, figures: AgingFigures(population: 2_000, aged: 900, households: nil),
                                 geometry: square, planar: square)
        let corner = TransitStop(point: NamedPoint(name: "角", source: "test", record: 1, position: Coordinate(0, 0)), kind: .busStop)
        let gap = try TransitGap.analyse([d], stops: [corner], planarCRS: zoneIII)
        var options = StopProposalOptions()
        options.count = 4
        options.spacing = 800
        options.cell = 150
        let proposal = try StopProposals.propose(gap, districts: [d], existing: [corner], options: options)
        #expect(proposal.stops.count == 4)
        let positions = proposal.stops.map(\.position)
        for a in positions.indices {
            #expect(planarDistance(positions[a], Coordinate(0, 0)) >= 800)
            for b in positions.indices where a != b { #expect(planarDistance(positions[a], positions[b]) >= 800) }
        }
        #expect(abs(proposal.stops.reduce(0) { $0 + $1.aged } - proposal.coveredAged) < 1e-9)
        #expect(proposal.coveredAged <= proposal.bound + 1e-9)
        #expect(abs(proposal.gapAged - gap.agedInGap) < 1e-6)
        // Four discs of 300 m on an even spread of 900 over 9 km² (less the corner): about 4 × 28 = 113.
        #expect(proposal.coveredAged > 100 && proposal.coveredAged < 130, "\(proposal.coveredAged)")
        #expect(proposal.stops.first?.name == "新01 四角")
    }

    @Test func noOneInTheGapIsAnError() throws {
        let square = rectangle(0, 0, 500, 500)
        let d = District(id: "sq", name: "sq", areaM2: 250_000, figures: AgingFigures(population: 10, aged: 4, households: nil),
                                 geometry: square, planar: square)
        let centre = TransitStop(point: NamedPoint(name: "c", source: "test", record: 1, position: Coordinate(250, 250)), kind: .station)
        let gap = try TransitGap.analyse([d], stops: [centre], planarCRS: zoneIII)
        #expect(throws: DataError.self) { try StopProposals.propose(gap, districts: [d], existing: [centre], options: StopProposalOptions()) }
    }
}
