import GeoCore
import GeoEngine

/// Which districts are neighbours: polygons sharing more than `minimumSharedLength` metres of
/// boundary, plus each district with no such neighbour (an island) linked to its nearest
/// district within `islandLinkDistance` metres, flagged as a link rather than a border.
public struct ContiguityGraph: Sendable {
    public struct Edge: Sendable, Hashable {
        public var a: Int
        public var b: Int
        /// Shared boundary in metres; 0 for an island link.
        public var sharedLength: Double
        /// Distance in metres for an island link; 0 for a shared border.
        public var gap: Double
        public var isIslandLink: Bool { sharedLength == 0 }
    }

    public var count: Int
    public var edges: [Edge]
    /// Districts left with no neighbour at all (nothing within the island link distance).
    public var isolated: [Int]

    public func neighbours(_ i: Int) -> [Int] { adjacency[i] }
    private var adjacency: [[Int]]

    /// `geometries` must be in a projected CRS in metres (see `Measurer.project`).
    public init(_ geometries: [Geometry], crs: CRS, minimumSharedLength: Double = 1,
                islandLinkDistance: Double = 5_000, engine: GeometryEngine = GeometryEngine()) throws {
        // Shared boundaries dominate the time: split the first index across cores, each with
        // its own engine and index (GEOS contexts are not shared between threads).
        var edges = try parallelMap(Array(geometries.indices)) { firsts in
            let local = try PolygonIndex(geometries, crs: crs)
            return try local.adjacencies(minimumLength: minimumSharedLength, from: firsts).map {
                Edge(a: $0.a, b: $0.b, sharedLength: $0.sharedLength, gap: 0)
            }
        }
        var linked = Set(edges.flatMap { [$0.a, $0.b] })
        var isolated: [Int] = []
        let unlinked = geometries.indices.filter { !linked.contains($0) }
        // Islands are rare: index all districts once more only when there is one to link.
        let index = unlinked.isEmpty ? nil : try PolygonIndex(geometries, crs: crs, engine: engine)
        for i in unlinked {
            if let near = try index!.nearest(to: i, within: islandLinkDistance) {
                edges.append(Edge(a: min(i, near.index), b: max(i, near.index), sharedLength: 0, gap: near.distance))
                linked.insert(i)
            } else {
                isolated.append(i)
            }
        }
        edges.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        var adjacency = Array(repeating: [Int](), count: geometries.count)
        for e in edges { adjacency[e.a].append(e.b); adjacency[e.b].append(e.a) }
        self.count = geometries.count
        self.edges = edges
        self.isolated = isolated
        self.adjacency = adjacency.map { $0.sorted() }
    }

    /// Connected components of the sub-graph induced by `members`, each sorted, in order of
    /// their smallest member.
    public func components(of members: Set<Int>) -> [[Int]] {
        var seen = Set<Int>()
        var result: [[Int]] = []
        for start in members.sorted() where !seen.contains(start) {
            var component: [Int] = []
            var stack = [start]
            seen.insert(start)
            while let i = stack.popLast() {
                component.append(i)
                for j in adjacency[i] where members.contains(j) && !seen.contains(j) {
                    seen.insert(j)
                    stack.append(j)
                }
            }
            result.append(component.sorted())
        }
        return result
    }
}
