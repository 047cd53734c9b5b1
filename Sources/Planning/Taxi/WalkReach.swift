import Demography
import GeoCore
import GeoEngine

/// Walking reach of every stop at once along a road network. Each stop has a budget (its
/// radius); walking to the road and along it uses the budget up. One search from all stops
/// together (largest budget left first) gives, at every road node, the most budget any stop
/// still has there; a point is within reach when that is at least its own walk to the road.
struct WalkReach: Sendable {
    let network: RoadNetwork
    /// Per node: the most budget left over all stops (metres); −∞ where no stop reaches.
    let slack: [Double]
    /// Stops on each segment (keyed by its end nodes), so a point on a stop's own segment is
    /// measured along the segment rather than through its ends.
    let onSegment: [Int64: [(position: Double, slack: Double)]]

    init(_ network: RoadNetwork, stops: [(position: Coordinate, radius: Double)]) {
        self.network = network
        var slack = [Double](repeating: -.infinity, count: network.nodes.count)
        var onSegment: [Int64: [(position: Double, slack: Double)]] = [:]
        var heap = MinHeap()
        func relax(_ v: Int32, _ left: Double) {
            if left >= 0 && left > slack[Int(v)] { slack[Int(v)] = left; heap.push(-left, v) }
        }
        for stop in stops {
            let s = network.snap(stop.position)
            let left = stop.radius - s.distance
            guard left >= 0 else { continue }
            onSegment[Self.key(s), default: []].append((Self.position(s), left))
            relax(s.a, left - s.toA)
            relax(s.b, left - s.toB)
        }
        while let (key, v) = heap.pop() {
            let left = -key
            guard left >= slack[Int(v)] else { continue }
            for k in network.adjacencyStart[Int(v)]..<network.adjacencyStart[Int(v) + 1] {
                relax(network.neighbour[k], left - network.neighbourLength[k])
            }
        }
        self.slack = slack
        self.onSegment = onSegment
    }

    static func key(_ s: RoadNetwork.Snap) -> Int64 {
        let (lo, hi) = s.a < s.b ? (s.a, s.b) : (s.b, s.a)
        return Int64(lo) << 32 | Int64(hi)
    }

    /// Distance along the segment from its lower-numbered end.
    static func position(_ s: RoadNetwork.Snap) -> Double { s.a < s.b ? s.toA : s.toB }

    /// Budget left on arriving at `p` (≥ 0: within some stop's reach).
    func left(at p: Coordinate) -> Double {
        let s = network.snap(p)
        var best = max(slack[Int(s.a)] - s.toA, slack[Int(s.b)] - s.toB)
        if let here = onSegment[Self.key(s)] {
            let position = Self.position(s)
            for stop in here { best = max(best, stop.slack - abs(stop.position - position)) }
        }
        return best - s.distance
    }

    /// The district's gap: the cells (on a grid aligned to multiples of `cell`, so neighbouring
    /// districts share cells) whose centre is out of reach, merged along rows, unioned and
    /// clipped to the district.
    func gap(of district: District, index: Int, cell: Double, measurer: Measurer, planarCRS: CRS) throws -> DistrictGap {
        guard let box = try district.planeShape().boundingBox else { return DistrictGap.empty(index, district) }
        let x0 = (box.minX / cell).rounded(.down) * cell, y0 = (box.minY / cell).rounded(.down) * cell
        let columns = Int(((box.maxX - x0) / cell).rounded(.up)), rows = Int(((box.maxY - y0) / cell).rounded(.up))
        var runs: [Geometry] = []
        func run(_ row: Int, _ from: Int, _ to: Int) {
            let y = y0 + Double(row) * cell
            runs.append(Self.rectangle(x0 + Double(from) * cell, y, x0 + Double(to) * cell, y + cell))
        }
        for r in 0..<max(rows, 1) {
            var start: Int?
            for c in 0..<max(columns, 1) {
                let centre = Coordinate(x0 + (Double(c) + 0.5) * cell, y0 + (Double(r) + 0.5) * cell)
                if left(at: centre) < 0 {
                    if start == nil { start = c }
                } else if let s = start {
                    run(r, s, c)
                    start = nil
                }
            }
            if let s = start { run(r, s, max(columns, 1)) }
        }
        let engine = measurer.engine
        let gap: Geometry = runs.isEmpty ? .multiPolygon([]) : try engine.intersection(try district.planeShape(), try engine.union(runs))
        return try DistrictGap.apportioned(index, district, gap: gap, measurer: measurer, planarCRS: planarCRS)
    }

    static func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
        .polygon(Polygon(exterior: [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]))
    }
}
