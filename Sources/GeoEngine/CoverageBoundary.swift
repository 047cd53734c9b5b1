import GeoCore

/// The outline of a polygon coverage as lines: every ring's segments, oriented (exteriors
/// counter-clockwise, holes clockwise), with each segment that two neighbours share in opposite
/// directions dropped, and what is left joined into chains that break only where more than one
/// line meets.
///
/// Why: GEOS 3.11's coverage union does the same dropping and then hands every remaining
/// segment to its polygonizer as a line of its own; building and tearing down that graph was
/// most of the time of the union (16 s of 33 for the whole-Japan districts). Polygonizing the
/// few hundred chains of a prefecture instead gives the same faces.
enum CoverageBoundary {
    /// The chains, in a fixed order for the same input; nil when a segment is run along twice in
    /// the same direction or by more than two rings (parts overlap there: not a clean coverage).
    static func chains(_ polygons: [Polygon]) -> [[Coordinate]]? {
        let total = polygons.reduce(0) { $0 + $1.exterior.count + $1.holes.reduce(0) { $0 + $1.count } }
        var segments = SegmentTable(capacity: total)
        for polygon in polygons {
            for r in 0...polygon.holes.count {
                let ring = r == 0 ? polygon.exterior : polygon.holes[r - 1]
                guard ring.count >= 4 else { continue }
                let forward = (twiceSignedArea(ring) > 0) == (r == 0)
                for i in 0..<(ring.count - 1) {
                    let (from, to) = forward ? (ring[i], ring[i + 1]) : (ring[i + 1], ring[i])
                    if from != to, !segments.add(from, to) { return nil }
                }
            }
        }
        let kept = segments.from.indices.filter { segments.alive[$0] }
        // The kept segments' end points as dense ids, and the segments leaving each point in order.
        var points = PointIDs(capacity: 2 * kept.count)
        let start = kept.map { points.id(segments.from[$0]) }, end = kept.map { points.id(segments.to[$0]) }
        var incoming = [Int](repeating: 0, count: points.count), firstOut = [Int](repeating: 0, count: points.count + 1)
        for j in kept.indices { incoming[end[j]] += 1; firstOut[start[j] + 1] += 1 }
        for p in 0..<points.count { firstOut[p + 1] += firstOut[p] }
        var fill = firstOut, outgoing = [Int](repeating: 0, count: kept.count)
        for j in kept.indices { outgoing[fill[start[j]]] = j; fill[start[j]] += 1 }
        // A chain passes through a point with one line in and one out, and ends anywhere else.
        func isNode(_ p: Int) -> Bool { firstOut[p + 1] - firstOut[p] != 1 || incoming[p] != 1 }
        var used = [Bool](repeating: false, count: kept.count)
        var chains: [[Coordinate]] = []
        func follow(from j: Int) {
            var line = [points.points[start[j]]]
            var j = j
            while !used[j] {
                used[j] = true
                line.append(points.points[end[j]])
                if isNode(end[j]) { break }
                j = outgoing[firstOut[end[j]]]
            }
            chains.append(line)
        }
        for j in kept.indices where !used[j] && isNode(start[j]) { follow(from: j) }
        for j in kept.indices where !used[j] { follow(from: j) }  // rings that touch nothing else
        return chains
    }
}

/// Open addressing on coordinates' bits, sized once (the tables of a prefecture hold half a
/// million segments: Swift's Dictionary spent three times as long, mostly waiting on memory).
/// A slot keeps a fingerprint of the key so that a probe rarely reads the key itself.
private struct Slots {
    private var fingerprints: [UInt32]
    private var indices: [Int32]  // -1: empty
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity + capacity / 2 { size <<= 1 }
        fingerprints = [UInt32](repeating: 0, count: size)
        indices = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    private static func bits(_ v: Double) -> UInt64 { v == 0 ? 0 : v.bitPattern }  // -0 is 0

    static func hash(_ a: Coordinate, _ b: Coordinate) -> UInt64 {
        var h = bits(a.x) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ (h >> 29) ^ bits(a.y)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 31) ^ bits(b.x)) &* 0x94D0_49BB_1331_11EB
        h = (h ^ (h >> 29) ^ bits(b.y)) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 32)
    }

    /// The index stored under `hash` for which `matches` holds, else `insert()` stored there.
    mutating func find(_ hash: UInt64, matches: (Int) -> Bool, insert: () -> Int) -> (index: Int, inserted: Bool) {
        let fingerprint = UInt32(truncatingIfNeeded: hash >> 32)
        var i = Int(truncatingIfNeeded: hash) & mask
        while indices[i] >= 0 {
            if fingerprints[i] == fingerprint, matches(Int(indices[i])) { return (Int(indices[i]), false) }
            i = (i + 1) & mask
        }
        let index = insert()
        fingerprints[i] = fingerprint
        indices[i] = Int32(index)
        return (index, true)
    }
}

/// Directed segments in the order added; a segment is dropped when its reverse comes.
private struct SegmentTable {
    var from: [Coordinate] = [], to: [Coordinate] = []
    var alive: [Bool] = []
    private var slots: Slots

    init(capacity: Int) {
        slots = Slots(capacity: capacity)
        from.reserveCapacity(capacity); to.reserveCapacity(capacity); alive.reserveCapacity(capacity)
    }

    /// Adds a → b, or drops the kept b → a. False when a → b is kept already or the segment was
    /// met twice before (an overlap).
    mutating func add(_ a: Coordinate, _ b: Coordinate) -> Bool {
        let ascending = (a.x, a.y) < (b.x, b.y)
        let (lo, hi) = ascending ? (a, b) : (b, a)
        let found = slots.find(Slots.hash(lo, hi), matches: { k in
            (from[k] == lo && to[k] == hi) || (from[k] == hi && to[k] == lo)
        }, insert: {
            from.append(a); to.append(b); alive.append(true)
            return from.count - 1
        })
        if found.inserted { return true }
        let k = found.index
        guard alive[k], from[k] == b else { return false }
        alive[k] = false
        return true
    }
}

/// Coordinates as dense ids 0, 1, 2, … in the order first seen.
private struct PointIDs {
    private(set) var points: [Coordinate] = []
    private var slots: Slots
    var count: Int { points.count }

    init(capacity: Int) { slots = Slots(capacity: capacity) }

    mutating func id(_ c: Coordinate) -> Int {
        slots.find(Slots.hash(c, c), matches: { points[$0] == c }, insert: {
            points.append(c)
            return points.count - 1
        }).index
    }
}
