import GeoCore
import GeoIO

/// The moves of the max-p heuristic: grow regions from seeds until they meet the thresholds,
/// give the units left over (enclaves) to a neighbouring region, and re-split regions with
/// room for more.
struct RegionBuilder: Sendable {
    let problem: RegionProblem

    init(_ problem: RegionProblem) { self.problem = problem }

    private func sum(_ units: [Int]) -> Double { units.reduce(0) { $0 + problem.values[$1] } }

    private func rateAllows(population: Int, aged: Int) -> Bool {
        guard let cap = problem.maximumAgingRate, population > 0 else { return true }
        return Double(aged) / Double(population) <= cap + 1e-12
    }

    func isValid(_ region: [Int]) -> Bool {
        sum(region) >= problem.floor - 1e-9
            && rateAllows(population: region.reduce(0) { $0 + problem.population[$1] }, aged: region.reduce(0) { $0 + problem.aged[$1] })
    }

    /// Connected parts of the whole layer; each must be able to hold one region. Returns an
    /// upper bound on the number of regions.
    func checkFeasible(source: String) throws -> Int {
        var seen = Array(repeating: false, count: problem.count)
        var bound = 0
        for start in 0..<problem.count where !seen[start] {
            var part: [Int] = [], stack = [start]
            seen[start] = true
            while let i = stack.popLast() {
                part.append(i)
                for j in problem.neighbours[i] where !seen[j] { seen[j] = true; stack.append(j) }
            }
            let total = sum(part)
            let ids = part.sorted().prefix(5).map { problem.ids[$0] }.joined(separator: ", ") + (part.count > 5 ? ", …" : "")
            guard total >= problem.floor - 1e-9 else {
                throw DataError(file: source, field: problem.floorName,
                                "no region can meet the floor: \(part.count) connected unit(s) (\(ids)) have \(formatReal(total)) \(problem.floorName) in all, below \(formatReal(problem.floor))")
            }
            guard isValid(part) else {
                throw DataError(file: source, field: problem.floorName,
                                "no region can meet an aging rate ≤ \(formatReal(problem.maximumAgingRate! * 100))%: the \(part.count) connected unit(s) (\(ids)) are older than that taken together")
            }
            // A region either holds a unit that meets the floor alone, or only smaller units.
            let alone = part.filter { problem.values[$0] >= problem.floor - 1e-9 }
            let rest = total - sum(alone)
            bound += alone.count + Int((rest / problem.floor + 1e-9).rounded(.down))
        }
        return bound
    }

    /// Partitions `units` (a union of connected parts, or of adjacent regions) into valid
    /// contiguous regions, or nil when this attempt leaves a unit no region can take.
    /// Greedy growth: the smallest neighbour that closes the gap to the floor, else the largest;
    /// when the region is too old, the youngest. A randomised attempt shuffles the seeds and now
    /// and then takes a random neighbour.
    func partition(_ units: [Int], rng: inout SplitMix64, greedy: Bool, repair: Bool = true) -> [[Int]]? {
        let p = problem
        var inside = [Bool](repeating: false, count: p.count)
        for u in units { inside[u] = true }
        var label = [Int](repeating: -1, count: p.count)
        // Which seed's growth last put a unit in the candidate pool (so each enters once per region).
        var pooled = [Int](repeating: -1, count: p.count)
        var regions: [[Int]] = []
        var seeds = units
        if greedy && p.maximumAgingRate != nil {
            // The oldest first: they need young neighbours before other regions take them.
            seeds.sort { (-agingRate($0), $0) < (-agingRate($1), $1) }
        } else if greedy {
            // Units with few neighbours first: peripheral units seed regions instead of ending as enclaves.
            seeds.sort { (p.neighbours[$0].count, $0) < (p.neighbours[$1].count, $1) }
        } else {
            for i in stride(from: seeds.count - 1, to: 0, by: -1) { seeds.swapAt(i, rng.below(i + 1)) }
        }
        for seed in seeds where label[seed] == -1 {
            var region = [seed]
            var total = p.values[seed], population = p.population[seed], aged = p.aged[seed]
            label[seed] = regions.count
            var pool: [Int] = []
            func offer(_ u: Int) {
                for n in p.neighbours[u] where inside[n] && label[n] == -1 && pooled[n] != seed { pooled[n] = seed; pool.append(n) }
            }
            offer(seed)
            while total < p.floor - 1e-9 || !rateAllows(population: population, aged: aged) {
                guard !pool.isEmpty else { break }
                var pick = 0
                if !greedy && rng.chance(0.1) {
                    pick = rng.below(pool.count)
                } else if total < p.floor - 1e-9 {
                    let deficit = p.floor - total
                    var closer = -1, largest = 0
                    for (k, c) in pool.enumerated() {
                        let v = p.values[c]
                        if v >= deficit - 1e-9, closer < 0 || (v, c) < (p.values[pool[closer]], pool[closer]) { closer = k }
                        if (v, c) > (p.values[pool[largest]], pool[largest]) { largest = k }
                    }
                    pick = closer >= 0 ? closer : largest
                } else {
                    func rate(_ u: Int) -> Double { p.population[u] > 0 ? Double(p.aged[u]) / Double(p.population[u]) : 1 }
                    for k in pool.indices where (rate(pool[k]), pool[k]) < (rate(pool[pick]), pool[pick]) { pick = k }
                }
                let c = pool.remove(at: pick)
                region.append(c)
                label[c] = regions.count
                total += p.values[c]; population += p.population[c]; aged += p.aged[c]
                offer(c)
            }
            if isValid(region) {
                regions.append(region)
            } else {
                for u in region { label[u] = -1 }
            }
        }
        if assignEnclaves(units, label: &label, regions: &regions) { return regions }
        return repair ? repairEnclaves(units, label: label, regions: regions, rng: &rng) : nil
    }

    /// When the aging cap leaves enclaves no neighbouring region can take, re-partitions each
    /// enclave together with the regions around it (fewer regions there, but a valid whole).
    private func repairEnclaves(_ units: [Int], label: [Int], regions: [[Int]], rng: inout SplitMix64) -> [[Int]]? {
        var label = label, regions = regions
        var alive = Array(repeating: true, count: regions.count)
        for enclave in units where label[enclave] == -1 {
            // Grow the neighbourhood ring by ring until it can be partitioned.
            var around = Set(problem.neighbours[enclave].map { label[$0] }.filter { $0 >= 0 })
            for _ in 0..<3 {
                let members = [enclave] + around.sorted().flatMap { regions[$0] } + units.filter { label[$0] == -1 && $0 != enclave }
                    .filter { u in problem.neighbours[u].contains { around.contains(label[$0]) } }
                var parts: [[Int]]?
                for attempt in 0..<10 where parts == nil {
                    parts = partition(members, rng: &rng, greedy: attempt == 0, repair: false)
                }
                if let parts {
                    for r in around { alive[r] = false }
                    for u in members { label[u] = -1 }
                    for part in parts {
                        for u in part { label[u] = regions.count }
                        regions.append(part)
                        alive.append(true)
                    }
                    break
                }
                around.formUnion(around.flatMap { r in regions[r].flatMap { problem.neighbours[$0] } }.map { label[$0] }.filter { $0 >= 0 })
            }
            if label[enclave] == -1 { return nil }
        }
        return regions.indices.filter { alive[$0] }.map { regions[$0] }
    }

    private func agingRate(_ u: Int) -> Double {
        problem.population[u] > 0 ? Double(problem.aged[u]) / Double(problem.population[u]) : 0
    }

    /// Gives each unit left unassigned to the adjacent region it touches most, keeping the aging
    /// constraint; younger enclaves go first since they make room for older ones.
    private func assignEnclaves(_ units: [Int], label: inout [Int], regions: inout [[Int]]) -> Bool {
        var left = units.filter { label[$0] == -1 }
        left.sort { (agingRate($0), $0) < (agingRate($1), $1) }
        while !left.isEmpty {
            var still: [Int] = []
            for u in left {
                var touching: [Int: Int] = [:]
                for n in problem.neighbours[u] where label[n] >= 0 { touching[label[n], default: 0] += 1 }
                let choice = touching.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key).first { r in
                    isValid(regions[r] + [u])
                }
                if let r = choice { regions[r].append(u); label[u] = r } else { still.append(u) }
            }
            if still.count == left.count { return false }
            left = still
        }
        return true
    }

    /// Re-splits regions with room for more: a region holding at least two floors, then two
    /// adjacent regions holding at least three, into more regions, until no attempt gains one.
    func improve(_ start: [[Int]], rng: inout SplitMix64, attempts: Int) -> [[Int]] {
        var regions = start
        // Unit sets that could not be split; they are not tried again after another split.
        var failed = Set<[Int]>()
        var improved = true
        while improved {
            improved = false
            var label = Array(repeating: -1, count: problem.count)
            for (r, members) in regions.enumerated() { for m in members { label[m] = r } }
            // Single regions first, then adjacent pairs, each tried in a fixed order.
            var groups: [[Int]] = regions.indices.filter { sum(regions[$0]) >= 2 * problem.floor - 1e-9 }.map { [$0] }
            var pairs = Set<[Int]>()
            for (r, members) in regions.enumerated() {
                for m in members { for n in problem.neighbours[m] where label[n] > r { pairs.insert([r, label[n]]) } }
            }
            groups += pairs.sorted { $0.lexicographicallyPrecedes($1) }
                .filter { sum(regions[$0[0]] + regions[$0[1]]) >= 3 * problem.floor - 1e-9 }
            for group in groups {
                let units = group.flatMap { regions[$0] }.sorted()
                guard !failed.contains(units) else { continue }
                for attempt in 0..<attempts {
                    guard let parts = partition(units, rng: &rng, greedy: attempt == 0, repair: false), parts.count > group.count else { continue }
                    regions = regions.enumerated().filter { !group.contains($0.offset) }.map(\.element) + parts
                    improved = true
                    break
                }
                if improved { break }
                failed.insert(units)
            }
        }
        return regions
    }
}
