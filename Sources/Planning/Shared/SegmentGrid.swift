import GeoCore

/// Road segments bucketed in square cells, for "the nearest segment to this point": cells are
/// searched in growing rings around the point until no unvisited cell can hold anything nearer.
struct SegmentGrid: Sendable {
    let nodes: [Coordinate]
    let edges: [(Int32, Int32)]
    let origin: Coordinate
    let cell: Double
    let columns: Int
    let rows: Int
    let buckets: [Int: [Int32]]

    init(nodes: [Coordinate], edges: [(Int32, Int32)]) {
        self.nodes = nodes
        self.edges = edges
        let xs = nodes.map(\.x), ys = nodes.map(\.y)
        let minX = xs.min() ?? 0, minY = ys.min() ?? 0, maxX = xs.max() ?? 0, maxY = ys.max() ?? 0
        origin = Coordinate(minX, minY)
        // About two segments per cell on average, never under 10 m.
        let area = max((maxX - minX) * (maxY - minY), 1)
        cell = max(10, (2 * area / Double(max(edges.count, 1))).squareRoot())
        columns = Int((maxX - minX) / cell) + 1
        rows = Int((maxY - minY) / cell) + 1
        var buckets: [Int: [Int32]] = [:]
        for (k, e) in edges.enumerated() {
            let a = nodes[Int(e.0)], b = nodes[Int(e.1)]
            let c0 = Int((min(a.x, b.x) - minX) / cell), c1 = Int((max(a.x, b.x) - minX) / cell)
            let r0 = Int((min(a.y, b.y) - minY) / cell), r1 = Int((max(a.y, b.y) - minY) / cell)
            for c in c0...c1 { for r in r0...r1 { buckets[r * columns + c, default: []].append(Int32(k)) } }
        }
        self.buckets = buckets
    }

    struct Hit {
        var edge: Int
        var point: Coordinate
        /// Position along the segment from its first node, 0…1.
        var t: Double
        var distance: Double
    }

    func nearest(_ p: Coordinate) -> Hit {
        let pc = Int(((p.x - origin.x) / cell).rounded(.down)), pr = Int(((p.y - origin.y) / cell).rounded(.down))
        var best = Hit(edge: -1, point: p, t: 0, distance: .infinity)
        // Rings nearer than the grid itself hold no cell: a point far away starts at the grid.
        var ring = max(0, -pc, pc - (columns - 1), -pr, pr - (rows - 1))
        func visit(_ c: Int, _ r: Int) {
            guard c >= 0, c < columns, r >= 0, r < rows else { return }
            for k in buckets[r * columns + c] ?? [] {
                let hit = project(p, Int(k))
                if hit.distance < best.distance || (hit.distance == best.distance && hit.edge < best.edge) { best = hit }
            }
        }
        while true {
            for c in stride(from: max(0, pc - ring), through: min(columns - 1, pc + ring), by: 1) {
                visit(c, pr - ring)
                if ring > 0 { visit(c, pr + ring) }
            }
            if ring > 0 {
                for r in stride(from: max(0, pr - ring + 1), through: min(rows - 1, pr + ring - 1), by: 1) {
                    visit(pc - ring, r)
                    visit(pc + ring, r)
                }
            }
            // Everything outside the rings searched is at least `ring` cells away.
            let covered = pc - ring <= 0 && pr - ring <= 0 && pc + ring >= columns - 1 && pr + ring >= rows - 1
            if covered || (best.edge >= 0 && best.distance <= Double(ring) * cell) { return best }
            ring += 1
        }
    }

    func project(_ p: Coordinate, _ k: Int) -> Hit {
        let a = nodes[Int(edges[k].0)], b = nodes[Int(edges[k].1)]
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared)) : 0
        let q = Coordinate(a.x + t * dx, a.y + t * dy)
        return Hit(edge: k, point: q, t: t, distance: planarDistance(p, q))
    }
}
