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
    func partition(_ units: [Int], rng: inout SplitMix64, greedy: Bool) -> [[Int]]? {
        let inside = Set(units)
        var label = [Int: Int]()
        var regions: [[Int]] = []
        var seeds = units
        if greedy {
            // Units with few neighbours first: peripheral units seed regions instead of ending as enclaves.
            seeds.sort { (problem.neighbours[$0].count, $0) < (problem.neighbours[$1].count, $1) }
        } else {
            for i in stride(from: seeds.count - 1, to: 0, by: -1) { seeds.swapAt(i, rng.below(i + 1)) }
        }
        for seed in seeds where label[seed] == nil {
            var region = [seed]
            var total = problem.values[seed], population = problem.population[seed], aged = problem.aged[seed]
            var taken: Set<Int> = [seed]
            var candidates = Set(problem.neighbours[seed].filter { inside.contains($0) && label[$0] == nil })
            while total < problem.floor - 1e-9 || !rateAllows(population: population, aged: aged) {
                guard !candidates.isEmpty else { break }
                let pool = candidates.sorted()
                let c: Int
                if !greedy && rng.chance(0.2) {
                    c = pool[rng.below(pool.count)]
                } else if total < problem.floor - 1e-9 {
                    // The smallest neighbour that closes the gap, else the largest (fewest steps).
                    let deficit = problem.floor - total
                    c = pool.filter { problem.values[$0] >= deficit - 1e-9 }.min { problem.values[$0] < problem.values[$1] }
                        ?? pool.max { problem.values[$0] < problem.values[$1] }!
                } else {
                    // Too old: the youngest neighbour.
                    func rate(_ u: Int) -> Double { problem.population[u] > 0 ? Double(problem.aged[u]) / Double(problem.population[u]) : 1 }
                    c = pool.min { rate($0) < rate($1) }!
                }
                candidates.remove(c)
                region.append(c); taken.insert(c)
                total += problem.values[c]; population += problem.population[c]; aged += problem.aged[c]
                for n in problem.neighbours[c] where inside.contains(n) && label[n] == nil && !taken.contains(n) { candidates.insert(n) }
            }
            guard isValid(region) else { continue }
            for u in region { label[u] = regions.count }
            regions.append(region)
        }
        return assignEnclaves(units, label: &label, regions: &regions) ? regions : nil
    }

    /// Gives each unit left unassigned to the adjacent region it touches most, keeping the aging
    /// constraint; younger enclaves go first since they make room for older ones.
    private func assignEnclaves(_ units: [Int], label: inout [Int: Int], regions: inout [[Int]]) -> Bool {
        var left = units.filter { label[$0] == nil }
        func rate(_ u: Int) -> Double { problem.population[u] > 0 ? Double(problem.aged[u]) / Double(problem.population[u]) : 0 }
        left.sort { (rate($0), $0) < (rate($1), $1) }
        while !left.isEmpty {
            var still: [Int] = []
            for u in left {
                var touching: [Int: Int] = [:]
                for n in problem.neighbours[u] { if let r = label[n] { touching[r, default: 0] += 1 } }
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
                    guard let parts = partition(units, rng: &rng, greedy: attempt == 0), parts.count > group.count else { continue }
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
