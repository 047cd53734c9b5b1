import GeoCore

/// MCLP with a minimum spacing between open sites: the most weight within the radius of at
/// most p sites, no two of them closer than `spacing`.
struct SpacedCover {
    let problem: HubProblem
    let p: Int
    let sets: CostMatrix.Coverage
    /// For each candidate, the candidates closer than the spacing (itself excluded).
    let conflicts: [[Int]]

    /// `radius` and `p`: the MCLP's (`problem.model` is `.mclp(radius, p)`).
    init(problem: HubProblem, radius: Double, p: Int, positions: [Coordinate], spacing: Double) {
        self.problem = problem
        self.p = p
        sets = problem.costs.coverage(within: radius)
        let grid = PointGrid(positions, cell: max(spacing, 1))
        conflicts = positions.indices.map { j in
            grid.within(spacing, of: positions[j]).filter { $0.index != j && $0.distance < spacing }.map(\.index)
        }
    }

    func keepsSpacing(_ open: [Int]) -> Bool {
        let set = Set(open)
        return open.allSatisfy { j in conflicts[j].allSatisfy { !set.contains($0) } }
    }

    /// Greedy (most uncovered weight first, among sites the spacing still allows), then the
    /// best swap of one open site for one closed one while the covered weight grows.
    func greedyAndSwaps() -> [Int] {
        let m = problem.candidateCount, w = problem.weights
        var gain = (0..<m).map { j in sets.byCandidate[j].reduce(0.0) { $0 + w[Int($1)] } }
        var blocked = [Int](repeating: 0, count: m)
        var covered = [Bool](repeating: false, count: problem.demandCount)
        var open: [Int] = []
        while open.count < p {
            var best = -1
            for j in 0..<m where blocked[j] == 0 && gain[j] > 1e-12 && (best < 0 || gain[j] > gain[best]) { best = j }
            guard best >= 0 else { break }
            open.append(best)
            blocked[best] += 1
            for k in conflicts[best] { blocked[k] += 1 }
            for i in sets.byCandidate[best] where !covered[Int(i)] {
                covered[Int(i)] = true
                for j in sets.byDemand[Int(i)] { gain[Int(j)] -= w[Int(i)] }
            }
        }
        return swaps(open)
    }

    func swaps(_ start: [Int]) -> [Int] {
        let m = problem.candidateCount, w = problem.weights
        var open = start
        var isOpen = [Bool](repeating: false, count: m)
        for j in open { isOpen[j] = true }
        var count = [Int](repeating: 0, count: problem.demandCount)
        for j in open { for i in sets.byCandidate[j] { count[Int(i)] += 1 } }
        // Conflicting open sites per candidate.
        var clash = [Int](repeating: 0, count: m)
        for j in open { for k in conflicts[j] { clash[k] += 1 } }
        for _ in 0..<10_000 {
            var bestDelta = 1e-9 * max(1, w.reduce(0, +)), bestOut = -1, bestIn = -1
            for (slot, s) in open.enumerated() {
                let covers = Set(sets.byCandidate[s]), near = Set(conflicts[s])
                var loss = 0.0
                for i in sets.byCandidate[s] where count[Int(i)] == 1 { loss += w[Int(i)] }
                for c in 0..<m where !isOpen[c] {
                    // c may open once s closes if s is its only conflict among the open sites.
                    let clashes = clash[c] - (near.contains(c) ? 1 : 0)
                    guard clashes == 0 else { continue }
                    var gainIn = 0.0
                    for i in sets.byCandidate[c] where count[Int(i)] == 0 || (count[Int(i)] == 1 && covers.contains(i)) {
                        gainIn += w[Int(i)]
                    }
                    if gainIn - loss > bestDelta { bestDelta = gainIn - loss; bestOut = slot; bestIn = c }
                }
            }
            guard bestOut >= 0 else { break }
            let out = open[bestOut]
            isOpen[out] = false; isOpen[bestIn] = true
            for i in sets.byCandidate[out] { count[Int(i)] -= 1 }
            for i in sets.byCandidate[bestIn] { count[Int(i)] += 1 }
            for k in conflicts[out] { clash[k] -= 1 }
            for k in conflicts[bestIn] { clash[k] += 1 }
            open[bestOut] = bestIn
        }
        return open.sorted()
    }

    /// CBC on the covering model with one row per pair of sites closer than the spacing:
    ///     max Σ w_i z_i   s.t.  z_i ≤ Σ_{j covers i} y_j,  Σ y_j ≤ p,  y_j + y_k ≤ 1 (j, k too close)
    func exact(start: [Int], timeLimit: Double) throws -> (open: [Int], provenOptimal: Bool) {
        var model = MILP()
        let y = (0..<problem.candidateCount).map { _ in model.variable(cost: 0) }
        model.constraint(y.map { ($0, 1) }, .lessOrEqual, Double(p))
        for (i, row) in sets.byDemand.enumerated() where !row.isEmpty && problem.weights[i] > 0 {
            let z = model.variable(cost: -problem.weights[i], integer: false)
            model.constraint([(z, 1)] + row.map { (y[Int($0)], -1) }, .lessOrEqual, 0)
        }
        for (j, others) in conflicts.enumerated() {
            for k in others where k > j { model.constraint([(y[j], 1), (y[k], 1)], .lessOrEqual, 1) }
        }
        let open = Set(start)
        let warm = Dictionary(uniqueKeysWithValues: y.indices.map { (y[$0], open.contains($0) ? 1.0 : 0.0) })
        let s = try CBC.solve(model, timeLimit: timeLimit, start: warm)
        return (y.indices.filter { s.values[y[$0]] > 0.5 }, s.provenOptimal)
    }
}
