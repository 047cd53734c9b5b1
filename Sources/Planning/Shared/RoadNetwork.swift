import GeoCore

/// A road graph built from line geometries in a plane zone (metres): a node at every vertex
/// (vertices at the same position, to the millimetre, are one node, so lines that share an end
/// or a crossing vertex connect; lines that merely cross, such as an overpass, do not), an
/// undirected edge along every segment with its length.
public struct RoadNetwork: Sendable {
    public let nodes: [Coordinate]
    /// Segments as node pairs, with their lengths.
    public let edges: [(a: Int32, b: Int32, length: Double)]
    /// Adjacency in CSR form: node v's neighbours are `neighbour[adjacencyStart[v]..<adjacencyStart[v + 1]]`.
    let adjacencyStart: [Int]
    let neighbour: [Int32]
    let neighbourLength: [Double]
    /// Connected component of each node; components are numbered by their first node.
    public let component: [Int32]
    public let componentCount: Int
    /// Total length of each component's edges (metres).
    public let componentLength: [Double]
    let segments: SegmentGrid

    /// `lines` are vertex sequences in a projected CRS; lines of fewer than two distinct
    /// vertices are skipped (and counted in `skipped`).
    public init(lines: [[Coordinate]]) throws {
        var index: [Int64: [Int32]] = [:]
        var nodes: [Coordinate] = []
        var edges: [(a: Int32, b: Int32, length: Double)] = []
        func node(_ c: Coordinate) -> Int32 {
            let key = Self.key(c)
            if let found = index[key]?.first(where: { nodes[Int($0)] == Self.snapped(c) }) { return found }
            nodes.append(Self.snapped(c))
            let id = Int32(nodes.count - 1)
            index[key, default: []].append(id)
            return id
        }
        for line in lines {
            var previous: Int32?
            for c in line {
                let v = node(c)
                if let u = previous, u != v {
                    edges.append((u, v, planarDistance(nodes[Int(u)], nodes[Int(v)])))
                }
                previous = v
            }
        }
        guard !edges.isEmpty else {
            throw DataError(file: "roads", "no road segment: the road layer needs LineStrings with at least two distinct vertices")
        }
        self.nodes = nodes
        self.edges = edges
        var degree = [Int](repeating: 0, count: nodes.count)
        for e in edges { degree[Int(e.a)] += 1; degree[Int(e.b)] += 1 }
        var start = [0]
        for d in degree { start.append(start.last! + d) }
        var fill = Array(start.dropLast())
        var neighbour = [Int32](repeating: 0, count: start.last!), length = [Double](repeating: 0, count: start.last!)
        for e in edges {
            neighbour[fill[Int(e.a)]] = e.b; length[fill[Int(e.a)]] = e.length; fill[Int(e.a)] += 1
            neighbour[fill[Int(e.b)]] = e.a; length[fill[Int(e.b)]] = e.length; fill[Int(e.b)] += 1
        }
        adjacencyStart = start
        self.neighbour = neighbour
        neighbourLength = length
        // Components by depth-first search from each unvisited node in order.
        var component = [Int32](repeating: -1, count: nodes.count)
        var count: Int32 = 0
        for s in 0..<nodes.count where component[s] < 0 {
            var stack = [s]
            component[s] = count
            while let v = stack.popLast() {
                for k in start[v]..<start[v + 1] where component[Int(neighbour[k])] < 0 {
                    component[Int(neighbour[k])] = count
                    stack.append(Int(neighbour[k]))
                }
            }
            count += 1
        }
        self.component = component
        componentCount = Int(count)
        var lengths = [Double](repeating: 0, count: Int(count))
        for e in edges { lengths[Int(component[Int(e.a)])] += e.length }
        componentLength = lengths
        segments = SegmentGrid(nodes: nodes, edges: edges.map { ($0.a, $0.b) })
    }

    /// Coordinates rounded to the millimetre, so a vertex shared by two lines is one node even
    /// when their reprojections differ in the last bits.
    static func snapped(_ c: Coordinate) -> Coordinate {
        Coordinate((c.x * 1000).rounded() / 1000, (c.y * 1000).rounded() / 1000)
    }

    static func key(_ c: Coordinate) -> Int64 {
        let s = snapped(c)
        return Int64((s.x * 1000).rounded()) &* 73_856_093 ^ Int64((s.y * 1000).rounded()) &* 19_349_663
    }

    public var totalLength: Double { componentLength.reduce(0, +) }
    /// The component with the most road length.
    public var largestComponent: Int {
        componentLength.indices.max { (componentLength[$0], -$0) < (componentLength[$1], -$1) } ?? 0
    }

    /// Where a point joins the network: the nearest point on the nearest segment.
    public struct Snap: Sendable, Hashable {
        /// The point on the road.
        public var point: Coordinate
        /// Straight-line distance from the point to the road (metres), walked at both ends of a trip.
        public var distance: Double
        /// The segment's end nodes and the distances along it from the snapped point to each.
        public var a: Int32
        public var b: Int32
        public var toA: Double
        public var toB: Double
        public var component: Int32
    }

    public func snap(_ p: Coordinate) -> Snap {
        let hit = segments.nearest(p)
        let e = edges[hit.edge]
        let length = e.length
        let along = hit.t * length
        return Snap(point: hit.point, distance: hit.distance, a: e.a, b: e.b, toA: along, toB: length - along,
                    component: component[Int(e.a)])
    }

    /// Shortest road distance (metres, along edges) from `source` to every node; +∞ where
    /// unreachable or beyond `limit`. Dijkstra with a binary heap.
    func distances(from source: Snap, limit: Double = .infinity) -> [Double] {
        var dist = [Double](repeating: .infinity, count: nodes.count)
        var heap = MinHeap()
        func relax(_ v: Int32, _ d: Double) {
            if d < dist[Int(v)] && d <= limit { dist[Int(v)] = d; heap.push(d, v) }
        }
        relax(source.a, source.toA)
        relax(source.b, source.toB)
        while let (d, v) = heap.pop() {
            guard d <= dist[Int(v)] else { continue }
            for k in adjacencyStart[Int(v)]..<adjacencyStart[Int(v) + 1] { relax(neighbour[k], d + neighbourLength[k]) }
        }
        return dist
    }

    /// Road distance between two snapped points given the node distances from the second:
    /// along the network from either end of the first's segment, or straight along the segment
    /// when both are on the same one. Snapping distances are not included.
    static func between(_ s: Snap, _ t: Snap, nodeDistances dist: [Double]) -> Double {
        var d = min(s.toA + dist[Int(s.a)], s.toB + dist[Int(s.b)])
        if s.a == t.a && s.b == t.b { d = min(d, abs(s.toA - t.toA)) }
        if s.a == t.b && s.b == t.a { d = min(d, abs(s.toA - t.toB)) }
        return d
    }
}

extension CostMatrix {
    /// Road distances from every demand point to every candidate: the walk to the road at both
    /// ends (snapping distance) plus the shortest path between the snapped points. Pairs on
    /// different components are unreachable (+∞). With `radius`, only pairs within it are kept
    /// and each search stops there.
    public static func road(_ network: RoadNetwork, demand: [RoadNetwork.Snap], candidates: [RoadNetwork.Snap],
                            radius: Double? = nil) throws -> CostMatrix {
        if radius == nil { try checkSize(demand.count, candidates.count) }
        // One search per candidate (there are usually fewer candidates than demand points), in parallel.
        let columns = try parallelMap(Array(candidates.indices)) { chunk in
            chunk.map { j -> [Double] in
                let c = candidates[j]
                let limit = radius.map { $0 - c.distance } ?? .infinity
                guard limit >= 0 else { return Array(repeating: .infinity, count: demand.count) }
                let dist = network.distances(from: c, limit: limit)
                return demand.map { s in
                    let d = s.distance + RoadNetwork.between(s, c, nodeDistances: dist) + c.distance
                    return d <= (radius ?? .infinity) ? d : .infinity
                }
            }
        }
        if let radius {
            var rows: [[(Int32, Double)]] = Array(repeating: [], count: demand.count)
            for (j, column) in columns.enumerated() {
                for (i, d) in column.enumerated() where d.isFinite { rows[i].append((Int32(j), d)) }
            }
            return CostMatrix(rows: rows, candidateCount: candidates.count, radius: radius)
        }
        var table = [Double](repeating: .infinity, count: demand.count * candidates.count)
        for (j, column) in columns.enumerated() {
            for (i, d) in column.enumerated() { table[i * candidates.count + j] = d }
        }
        return CostMatrix(complete: table, demandCount: demand.count, candidateCount: candidates.count)
    }
}

/// A binary min-heap of (distance, node), for Dijkstra.
struct MinHeap {
    private var keys: [Double] = []
    private var values: [Int32] = []

    mutating func push(_ key: Double, _ value: Int32) {
        keys.append(key); values.append(value)
        var i = keys.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard keys[i] < keys[parent] else { break }
            keys.swapAt(i, parent); values.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Double, Int32)? {
        guard let top = keys.first else { return nil }
        let value = values[0]
        keys[0] = keys[keys.count - 1]; values[0] = values[values.count - 1]
        keys.removeLast(); values.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < keys.count && keys[l] < keys[smallest] { smallest = l }
            if r < keys.count && keys[r] < keys[smallest] { smallest = r }
            guard smallest != i else { break }
            keys.swapAt(i, smallest); values.swapAt(i, smallest)
            i = smallest
        }
        return (top, value)
    }
}
