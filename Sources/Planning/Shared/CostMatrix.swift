import GeoCore

/// Distances in metres from every demand point (row) to every candidate site (column).
///
/// Each row keeps its reachable candidates sorted by distance (ties by column), which is what
/// every model asks: "the nearest open site", "the sites within S". A complete matrix also keeps
/// the row-major table for direct look-up; a sparse one (built with a radius) keeps only the
/// pairs within the radius, so coverage models on large instances need memory for the pairs
/// they use. Unreachable pairs (another road component, beyond the radius) are +∞.
public struct CostMatrix: Sendable {
    public let demandCount: Int
    public let candidateCount: Int
    /// nil for a complete matrix; else only pairs at most this far are kept.
    public let radius: Double?
    /// Row-major distances, present for complete matrices only.
    let table: [Double]?
    /// Row i's sorted entries are `order[rowStart[i]..<rowStart[i + 1]]`, with `sorted` distances.
    let rowStart: [Int]
    let order: [Int32]
    let sorted: [Double]
    /// For a matrix of each point's nearest candidates: the plane coordinates, from which any
    /// other pair's straight-line distance is computed.
    let planar: Planar?
    /// For that matrix: per row, the distance of the nearest candidate left out (+∞ when none is).
    let beyond: [Double]?

    struct Planar: Sendable {
        var demand: [Coordinate]
        var candidates: [Coordinate]
    }

    /// Above this many pairs a complete matrix is refused (about 1 GB at 12 bytes a pair).
    public static let maximumPairs = 80_000_000

    /// A complete matrix from a row-major table (`demandCount × candidateCount`, +∞ allowed).
    public init(complete table: [Double], demandCount: Int, candidateCount: Int) {
        precondition(table.count == demandCount * candidateCount, "one distance per pair")
        self.demandCount = demandCount
        self.candidateCount = candidateCount
        radius = nil
        self.table = table
        planar = nil
        beyond = nil
        let rows = (try? parallelMap(Array(0..<demandCount)) { chunk in
            chunk.map { i -> [(Int32, Double)] in
                let base = i * candidateCount
                var row: [(Int32, Double)] = []
                row.reserveCapacity(candidateCount)
                for j in 0..<candidateCount where table[base + j].isFinite { row.append((Int32(j), table[base + j])) }
                row.sort { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
                return row
            }
        }) ?? []
        (rowStart, order, sorted) = Self.flatten(rows)
    }

    /// A sparse matrix from each row's (column, distance) pairs within `radius`.
    public init(rows: [[(Int32, Double)]], candidateCount: Int, radius: Double) {
        demandCount = rows.count
        self.candidateCount = candidateCount
        self.radius = radius
        table = nil
        planar = nil
        beyond = nil
        let sortedRows = rows.map { row in
            row.filter { $0.1 <= radius }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        }
        (rowStart, order, sorted) = Self.flatten(sortedRows)
    }

    private static func flatten(_ rows: [[(Int32, Double)]]) -> ([Int], [Int32], [Double]) {
        var start = [0]
        start.reserveCapacity(rows.count + 1)
        var order: [Int32] = [], sorted: [Double] = []
        let total = rows.reduce(0) { $0 + $1.count }
        order.reserveCapacity(total)
        sorted.reserveCapacity(total)
        for row in rows {
            for (j, d) in row { order.append(j); sorted.append(d) }
            start.append(order.count)
        }
        return (start, order, sorted)
    }

    public var isComplete: Bool { table != nil }

    /// Whether `cost(i, j)` knows every pair: a complete matrix, or nearest candidates with the
    /// coordinates for the rest.
    public var knowsEveryPair: Bool { table != nil || planar != nil }

    /// Row i holds every candidate nearer than this (+∞ for a complete row); only matrices of
    /// nearest candidates leave nearer ones out.
    public func leftOut(_ i: Int) -> Double { beyond?[i] ?? radius ?? .infinity }

    /// Distance from demand `i` to candidate `j`; +∞ when unreachable or beyond the radius.
    @inline(__always)
    public func cost(_ i: Int, _ j: Int) -> Double {
        if let table { return table[i * candidateCount + j] }
        if let planar { return planarDistance(planar.demand[i], planar.candidates[j]) }
        for k in rowStart[i]..<rowStart[i + 1] where Int(order[k]) == j { return sorted[k] }
        return .infinity
    }

    /// Row i's reachable candidates, nearest first: indices into `column(_:)` and `distance(_:)`.
    @inline(__always)
    public func entries(_ i: Int) -> Range<Int> { rowStart[i]..<rowStart[i + 1] }
    @inline(__always)
    public func column(_ k: Int) -> Int { Int(order[k]) }
    @inline(__always)
    public func distance(_ k: Int) -> Double { sorted[k] }

    /// How many pairs are stored (reachable, within the radius if any).
    public var storedPairs: Int { order.count }

    /// The candidates within `radius` of each demand point (nearest first), and the demand points
    /// within `radius` of each candidate (ascending): the coverage sets of LSCP and MCLP.
    public func coverage(within radius: Double) -> Coverage {
        var byDemand: [[Int32]] = Array(repeating: [], count: demandCount)
        var byCandidate: [[Int32]] = Array(repeating: [], count: candidateCount)
        for i in 0..<demandCount {
            for k in entries(i) {
                guard sorted[k] <= radius else { break }
                byDemand[i].append(order[k])
                byCandidate[Int(order[k])].append(Int32(i))
            }
        }
        return Coverage(byDemand: byDemand, byCandidate: byCandidate)
    }

    /// Who covers whom within a radius.
    public struct Coverage: Sendable {
        public var byDemand: [[Int32]]
        public var byCandidate: [[Int32]]
    }
}

extension CostMatrix {
    /// Straight-line distances in the plane (metres): complete, or only pairs within `radius`
    /// (found through a grid of candidates with cells the size of the radius).
    public static func euclidean(from demand: [Coordinate], to candidates: [Coordinate], radius: Double? = nil) throws -> CostMatrix {
        if let radius {
            let grid = PointGrid(candidates, cell: max(radius, 1))
            let rows = try parallelMap(demand) { chunk in
                chunk.map { p in grid.within(radius, of: p).map { (Int32($0.index), $0.distance) } }
            }
            return CostMatrix(rows: rows, candidateCount: candidates.count, radius: radius)
        }
        try checkSize(demand.count, candidates.count)
        let m = candidates.count
        let rows = try parallelMap(demand) { chunk in
            chunk.map { p in candidates.map { planarDistance(p, $0) } }
        }
        var table: [Double] = []
        table.reserveCapacity(demand.count * m)
        for row in rows { table += row }
        return CostMatrix(complete: table, demandCount: demand.count, candidateCount: m)
    }

    /// Each demand point's `count` nearest candidates (straight line, ties by index) and the
    /// distance of the next, with the coordinates for every other pair: p-median on instances
    /// whose complete matrix would not fit in memory.
    public static func nearest(from demand: [Coordinate], to candidates: [Coordinate], count: Int) throws -> CostMatrix {
        let m = candidates.count
        let keep = max(1, min(count, m))
        // A radius holding keep + 1 candidates at the mean density, doubled where it holds fewer.
        let xs = candidates.map(\.x), ys = candidates.map(\.y)
        let area = max(1, ((xs.max() ?? 0) - (xs.min() ?? 0)) * ((ys.max() ?? 0) - (ys.min() ?? 0)))
        let start = max(1, (Double(keep + 1) / Double(max(m, 1)) * area / .pi).squareRoot())
        let grid = PointGrid(candidates, cell: start)
        let found = try parallelMap(demand) { chunk in
            chunk.map { p -> (row: [(Int32, Double)], next: Double) in
                var r = start
                while true {
                    var near = grid.within(r, of: p)
                    if near.count > keep || near.count == m {
                        near.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
                        return (near.prefix(keep).map { (Int32($0.index), $0.distance) }, near.count > keep ? near[keep].distance : .infinity)
                    }
                    r *= 2
                }
            }
        }
        return CostMatrix(nearest: found.map(\.row), beyond: found.map(\.next), candidateCount: m,
                          planar: Planar(demand: demand, candidates: candidates))
    }

    private init(nearest rows: [[(Int32, Double)]], beyond: [Double], candidateCount: Int, planar: Planar) {
        demandCount = rows.count
        self.candidateCount = candidateCount
        radius = nil
        table = nil
        self.planar = planar
        self.beyond = beyond
        (rowStart, order, sorted) = Self.flatten(rows)
    }

    static func checkSize(_ n: Int, _ m: Int) throws {
        guard n.multipliedReportingOverflow(by: m).partialValue <= maximumPairs else {
            throw DataError(file: "hubs", "\(n) demand points × \(m) candidates = \(n * m) distances, more than the "
                            + "\(maximumPairs) a complete matrix may hold: use a coarser mesh or fewer candidates, or a "
                            + "radius model (LSCP, MCLP), whose matrix keeps only pairs within the radius")
        }
    }
}

/// Euclidean distance in metres between two planar points, computed as scipy's cdist does
/// (square root of the summed squares), so objectives agree to the last digit.
@inline(__always)
public func planarDistance(_ a: Coordinate, _ b: Coordinate) -> Double {
    let dx = a.x - b.x, dy = a.y - b.y
    return (dx * dx + dy * dy).squareRoot()
}

/// Points bucketed in square cells, for "everything within r of p" without testing every point.
struct PointGrid: Sendable {
    let cell: Double
    let origin: Coordinate
    let points: [Coordinate]
    let buckets: [Int64: [Int]]

    init(_ points: [Coordinate], cell: Double) {
        self.cell = cell
        self.points = points
        origin = Coordinate(points.map(\.x).min() ?? 0, points.map(\.y).min() ?? 0)
        var buckets: [Int64: [Int]] = [:]
        for (i, p) in points.enumerated() { buckets[Self.key(Self.index(p.x, origin.x, cell), Self.index(p.y, origin.y, cell)), default: []].append(i) }
        self.buckets = buckets
    }

    static func index(_ v: Double, _ o: Double, _ cell: Double) -> Int { Int(((v - o) / cell).rounded(.down)) }
    static func key(_ cx: Int, _ cy: Int) -> Int64 { Int64(cx) << 32 ^ Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: cy))) }

    /// Points at most `r` from `p`, ascending by index.
    func within(_ r: Double, of p: Coordinate) -> [(index: Int, distance: Double)] {
        let x0 = Self.index(p.x - r, origin.x, cell), x1 = Self.index(p.x + r, origin.x, cell)
        let y0 = Self.index(p.y - r, origin.y, cell), y1 = Self.index(p.y + r, origin.y, cell)
        var out: [(index: Int, distance: Double)] = []
        for cx in x0...x1 {
            for cy in y0...y1 {
                for i in buckets[Self.key(cx, cy)] ?? [] {
                    let d = planarDistance(p, points[i])
                    if d <= r { out.append((i, d)) }
                }
            }
        }
        return out.sorted { $0.index < $1.index }
    }
}
