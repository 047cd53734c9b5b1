/// Local search on routes, each move taken as soon as it shortens the total and keeps every
/// route within its seats and ride, until no move does:
/// - within a route: 2-opt (reverse a stretch) and Or-opt (move a stretch of 1–3 stops,
///   either way round);
/// - between routes: relocate a stop (to another route or a new one), swap two stops, and
///   2-opt* (exchange the routes' tails, straight or crossed).
enum RouteLocalSearch {
    static let epsilon = 1e-7

    static func improve(_ set: inout RouteSet, maximumPasses: Int = 1_000) {
        for _ in 0..<maximumPasses {
            // A stop left over may fit once others have moved.
            let waiting = set.unserved
            set.unserved = []
            for u in waiting where !set.insertCheapest(u) { set.unserved.append(u) }
            var improved = false
            for r in set.sequences.indices { improved = intraRoute(&set, r) || improved }
            improved = relocate(&set) || improved
            improved = swap(&set) || improved
            improved = twoOptStar(&set) || improved
            if !improved { break }
        }
    }

    /// 2-opt and Or-opt inside route r.
    static func intraRoute(_ set: inout RouteSet, _ r: Int) -> Bool {
        var any = false
        var changed = true
        while changed {
            changed = false
            let seq = set.sequences[r], n = seq.count, h = set.hub[r]
            guard n > 1 else { return any }
            var best = set.length[r] - epsilon
            var bestSeq: [Int]?
            for i in 0..<(n - 1) {
                for j in (i + 1)..<n {
                    var candidate = seq
                    candidate[i...j].reverse()
                    let fit = set.fits(hub: h, candidate)
                    if fit.ok && fit.length < best { best = fit.length; bestSeq = candidate }
                }
            }
            for length in 1...min(3, n - 1) {
                for i in 0...(n - length) {
                    let segment = Array(seq[i..<(i + length)])
                    var rest = seq
                    rest.removeSubrange(i..<(i + length))
                    for k in 0...rest.count where k != i {
                        for piece in [segment, segment.reversed()] {
                            var candidate = rest
                            candidate.insert(contentsOf: piece, at: k)
                            let fit = set.fits(hub: h, candidate)
                            if fit.ok && fit.length < best { best = fit.length; bestSeq = candidate }
                        }
                    }
                }
            }
            if let bestSeq {
                set.replace(r, with: bestSeq)
                changed = true
                any = true
            }
        }
        return any
    }

    /// The length saved by taking the stop at position k out of route r.
    static func removalSaving(_ set: RouteSet, _ r: Int, _ k: Int) -> Double {
        let seq = set.sequences[r], h = set.hub[r], p = set.problem
        let a = k == 0 ? h : seq[k - 1], b = k == seq.count - 1 ? h : seq[k + 1]
        return p.distance(a, seq[k]) + p.distance(seq[k], b) - p.distance(a, b)
    }

    static func relocate(_ set: inout RouteSet) -> Bool {
        var any = false
        var r1 = 0
        while r1 < set.sequences.count {
            var k = 0
            var moved = false
            while k < set.sequences[r1].count {
                let u = set.sequences[r1][k]
                let saving = removalSaving(set, r1, k)
                var best = -epsilon, bestRoute = -1, bestAt = 0, bestHub = -1
                for r2 in set.sequences.indices where r2 != r1 {
                    for at in 0...set.sequences[r2].count {
                        if let delta = set.insertion(u, route: r2, at: at), delta - saving < best {
                            best = delta - saving; bestRoute = r2; bestAt = at
                        }
                    }
                }
                // A route of its own, from a hub with a free vehicle (not the same route again).
                for h in set.problem.hubs.indices where !(set.sequences[r1].count == 1 && set.hub[r1] == h) {
                    if let d = set.newRoute(u, hub: h), d - saving < best { best = d - saving; bestHub = h; bestRoute = -1 }
                }
                guard bestRoute >= 0 || bestHub >= 0 else { k += 1; continue }
                var from = set.sequences[r1]
                from.remove(at: k)
                if bestHub >= 0 {
                    set.add(hub: bestHub, [u])
                } else {
                    var to = set.sequences[bestRoute]
                    to.insert(u, at: bestAt)
                    set.replace(bestRoute, with: to)
                }
                set.replace(r1, with: from)
                any = true
                moved = true
                break
            }
            if !moved { r1 += 1 }
        }
        return any
    }

    static func swap(_ set: inout RouteSet) -> Bool {
        var any = false
        for r1 in set.sequences.indices {
            for r2 in set.sequences.indices where r2 > r1 {
                var i = 0
                while i < set.sequences[r1].count {
                    var j = 0
                    while j < set.sequences[r2].count {
                        var a = set.sequences[r1], b = set.sequences[r2]
                        (a[i], b[j]) = (b[j], a[i])
                        let fa = set.fits(hub: set.hub[r1], a), fb = set.fits(hub: set.hub[r2], b)
                        if fa.ok && fb.ok && fa.length + fb.length < set.length[r1] + set.length[r2] - epsilon {
                            set.replace(r1, with: a)
                            set.replace(r2, with: b)
                            any = true
                        }
                        j += 1
                    }
                    i += 1
                }
            }
        }
        return any
    }

    /// Exchanges the ends of two routes: r1's head with r2's tail and r2's head with r1's tail,
    /// or the heads joined crossed (r1's head with r2's head turned round).
    static func twoOptStar(_ set: inout RouteSet) -> Bool {
        var any = false
        var r1 = 0
        while r1 < set.sequences.count {
            var r2 = r1 + 1
            var changed = false
            while r2 < set.sequences.count && !changed {
                let a = set.sequences[r1], b = set.sequences[r2]
                let before = set.length[r1] + set.length[r2]
                search: for i in 0...a.count {
                    for j in 0...b.count {
                        let options: [([Int], [Int])] = [
                            (Array(a[..<i] + b[j...]), Array(b[..<j] + a[i...])),
                            (Array(a[..<i]) + b[..<j].reversed(), Array(a[i...].reversed()) + Array(b[j...])),
                        ]
                        for (x, y) in options {
                            let fx = set.fits(hub: set.hub[r1], x), fy = set.fits(hub: set.hub[r2], y)
                            guard fx.ok, fy.ok, fx.length + fy.length < before - epsilon else { continue }
                            // Replace the later route first: an emptied route disappears and shifts the indices after it.
                            set.replace(r2, with: y)
                            set.replace(r1, with: x)
                            changed = true
                            break search
                        }
                    }
                }
                if !changed { r2 += 1 }
            }
            if changed { any = true } else { r1 += 1 }
        }
        return any
    }
}
