import GeoCore
import GeoIO

/// How far a vehicle drives between two points.
public enum Driving: Sendable {
    /// Straight line × a detour factor. Road distance over straight distance ("circuity") is
    /// reported around 1.2–1.4 for road networks in many countries, higher in mountains; 1.3 is
    /// the default. Give a road layer where one exists.
    case straight(detour: Double)
    /// Along the road network: the access legs from each point to its nearest road (at their
    /// straight length: lanes the layer lacks) plus the shortest path between the joins.
    case road(RoadNetwork)

    public static let defaultDetour = 1.3

    public var description: String {
        switch self {
        case .straight(let f): return "straight line × \(formatReal(f)) detour factor"
        case .road: return "road network (shortest paths; access to the nearest road at straight length)"
        }
    }

    /// Distances between all points (row-major, metres), 0 on the diagonal, symmetric.
    public func table(_ points: [Coordinate]) throws -> [Double] {
        let n = points.count
        var table = [Double](repeating: 0, count: n * n)
        switch self {
        case .straight(let detour):
            for i in 0..<n { for j in 0..<n where i != j { table[i * n + j] = planarDistance(points[i], points[j]) * detour } }
        case .road(let network):
            let snaps = points.map(network.snap)
            let costs = try CostMatrix.road(network, demand: snaps, candidates: snaps)
            // One shortest-path search per column: take the shorter direction so both agree to the bit.
            for i in 0..<n { for j in (i + 1)..<n {
                let d = min(costs.cost(i, j), costs.cost(j, i))
                table[i * n + j] = d
                table[j * n + i] = d
            } }
        }
        return table
    }

    /// The line a vehicle follows from a to b: straight, or along the roads.
    public func path(_ a: Coordinate, _ b: Coordinate) -> [Coordinate] {
        switch self {
        case .straight: return [a, b]
        case .road(let network): return network.path(from: a, to: b)
        }
    }

    /// The line a vehicle follows through `points` in order: each leg's path, joined.
    public func path(through points: [Coordinate]) -> [Coordinate] {
        var line: [Coordinate] = []
        for (a, b) in zip(points, points.dropFirst()) {
            let piece = path(a, b)
            line += line.isEmpty ? piece : Array(piece.dropFirst())
        }
        return line
    }

    /// Routes as lines: each vehicle's route (numbered from 1 in `field`) in its colour
    /// (Palette.routes), named in the legend, wider with `widthField`.
    public static func routeStyle(vehicles names: [String], field: String = "route", width: Double, widthField: String) -> LayerStyle {
        let classes = names.indices.map { k in LayerStyle.Class.category(String(k + 1), Palette.routes[k % Palette.routes.count], names[k]) }
        return LayerStyle(.line, .categorized(field: field, classes: classes, other: nil), width: width, widthField: widthField)
    }
}

extension RoadNetwork {
    /// The shortest way from a to b: to the nearest road, along it, off to b (as `CostMatrix.road`
    /// measures it). Points with no road path between them get a straight line.
    public func path(from a: Coordinate, to b: Coordinate) -> [Coordinate] {
        let s = snap(a), t = snap(b)
        guard s.component == t.component else { return [a, b] }
        // Both on one segment and nearer along it than through its ends.
        let sameSegment = (s.a == t.a && s.b == t.b) ? abs(s.toA - t.toA) : ((s.a == t.b && s.b == t.a) ? abs(s.toA - t.toB) : .infinity)
        var dist = [Double](repeating: .infinity, count: nodes.count)
        var previous = [Int32](repeating: -1, count: nodes.count)
        var heap = MinHeap()
        func relax(_ v: Int32, _ d: Double, from u: Int32) {
            if d < dist[Int(v)] { dist[Int(v)] = d; previous[Int(v)] = u; heap.push(d, v) }
        }
        relax(s.a, s.toA, from: -1)
        relax(s.b, s.toB, from: -1)
        while let (d, v) = heap.pop() {
            guard d <= dist[Int(v)] else { continue }
            for k in adjacencyStart[Int(v)]..<adjacencyStart[Int(v) + 1] { relax(neighbour[k], d + neighbourLength[k], from: v) }
        }
        let viaA = dist[Int(t.a)] + t.toA, viaB = dist[Int(t.b)] + t.toB
        if sameSegment <= min(viaA, viaB) { return dedup([a, s.point, t.point, b]) }
        var v = viaA <= viaB ? t.a : t.b
        var chain: [Coordinate] = []
        while v >= 0 { chain.append(nodes[Int(v)]); v = previous[Int(v)] }
        return dedup([a, s.point] + chain.reversed() + [t.point, b])
    }

    private func dedup(_ line: [Coordinate]) -> [Coordinate] {
        var out: [Coordinate] = []
        for c in line where out.last != c { out.append(c) }
        return out.count == 1 ? [out[0], out[0]] : out
    }
}
