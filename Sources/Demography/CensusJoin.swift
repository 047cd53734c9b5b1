import GeoCore
import GeoIO

/// Which census columns hold the total and the aged 65+; found from the labels of e-Stat's
/// age tables unless given.
public struct CensusColumns: Sendable {
    public var total: Int
    public var aged: Int
    /// Under 15 and 15–64, to find the unknown-age count (total − the three age groups).
    public var under15: Int?
    public var working: Int?

    public static func find(in table: CensusTable, total: String? = nil, aged: String? = nil) throws -> CensusColumns {
        let labels = table.valueLabels.map(asciiDigits)
        func pick(_ given: String?, _ label: (String) -> Bool, _ what: String) throws -> Int {
            if let given {
                guard let i = table.column(given) else {
                    throw DataError(file: table.path, field: given, "no such column (\(what))")
                }
                return i
            }
            guard let i = labels.firstIndex(where: label) else {
                throw DataError(file: table.path, record: 2, "no column labelled as \(what); name it with an option")
            }
            return i
        }
        return CensusColumns(
            total: try pick(total, { $0 == "総数" || ($0.hasPrefix("総数") && $0.contains("不詳")) }, "total population (総数)"),
            aged: try pick(aged, { $0 == "総数65歳以上" }, "aged 65+ (総数６５歳以上)"),
            under15: labels.firstIndex(of: "総数15歳未満"),
            working: labels.firstIndex(where: { $0 == "総数15～64歳" || $0 == "総数15〜64歳" }))
    }

    static func asciiDigits(_ s: String) -> String {
        String(s.unicodeScalars.map { c -> Character in
            (0xFF10...0xFF19).contains(c.value) ? Character(Unicode.Scalar(c.value - 0xFF10 + 0x30)!) : Character(c)
        })
    }
}

/// The census figures of one boundary area.
public enum AreaCensus: Sendable, Hashable {
    /// Counted here; `absorbs` lists suppressed areas whose people are included (GASSAN).
    case counted(AgingFigures, absorbs: [String])
    /// Suppressed (HTKSYORI 2): its people are counted in another area (HTKSAKI).
    case countedIn(String)
    /// Cells suppressed with no area named to hold them.
    case suppressed
    /// No census row for this boundary key.
    case missing
}

/// The census table joined to boundary keys, with everything that did not match, both ways.
public struct CensusJoin: Sendable {
    public var table: String
    public var areas: [String: AreaCensus]
    /// Rows that are the municipality or sums of finer rows (HYOSYO), not areas to match.
    public var hierarchyRows: Int
    public var municipalityTotals: [String: AgingFigures]
    /// Finest-level census keys with no boundary.
    public var unmatchedCensusKeys: [String]
    /// Boundary keys with no census row.
    public var unmatchedBoundaryKeys: [String]

    public init(table: String, areas: [String: AreaCensus], hierarchyRows: Int = 0,
                municipalityTotals: [String: AgingFigures] = [:], unmatchedCensusKeys: [String] = [],
                unmatchedBoundaryKeys: [String] = []) {
        self.table = table; self.areas = areas; self.hierarchyRows = hierarchyRows
        self.municipalityTotals = municipalityTotals; self.unmatchedCensusKeys = unmatchedCensusKeys
        self.unmatchedBoundaryKeys = unmatchedBoundaryKeys
    }

    public var matched: Int { areas.values.filter { if case .missing = $0 { return false }; return true }.count }

    public var warnings: [String] {
        var out: [String] = []
        if !unmatchedCensusKeys.isEmpty {
            out.append("\(unmatchedCensusKeys.count) census key(s) match no boundary: \(unmatchedCensusKeys.joined(separator: ", "))")
        }
        if !unmatchedBoundaryKeys.isEmpty {
            out.append("\(unmatchedBoundaryKeys.count) boundary key(s) have no census row: \(unmatchedBoundaryKeys.joined(separator: ", "))")
        }
        return out
    }

    /// Sum over the areas counted here (suppressed ones are inside their hosts).
    public var total: AgingFigures {
        areas.keys.sorted().reduce(AgingFigures.zero) { sum, key in
            if case .counted(let f, _) = areas[key]! { return sum + f }
            return sum
        }
    }

    /// Joins census rows to the boundary keys (and households from the boundaries).
    /// An unmatched key is a warning; an error only if nothing matches or `strict`.
    public static func join(_ table: CensusTable, columns: CensusColumns, boundaryKeys: [String],
                            households: [String: Int] = [:], strict: Bool = false) throws -> CensusJoin {
        let boundary = Set(boundaryKeys)
        let keys = table.rows.map(\.keyCode)
        // A row is hierarchy if it is the municipality or a finer row lies under its key.
        let sortedKeys = keys.sorted()
        func hasChildren(_ key: String) -> Bool {
            var lo = 0, hi = sortedKeys.count
            while lo < hi { let mid = (lo + hi) / 2; if sortedKeys[mid] <= key { lo = mid + 1 } else { hi = mid } }
            return lo < sortedKeys.count && sortedKeys[lo].hasPrefix(key)
        }
        var areas: [String: AreaCensus] = [:]
        areas.reserveCapacity(boundary.count)
        var hierarchy = 0
        var municipality: [String: AgingFigures] = [:]
        var unmatched: [String] = []
        for row in table.rows {
            // An area that absorbed suppressed neighbours (GASSAN) counts their households too.
            let homes = households[row.keyCode].map { own in row.absorbs.reduce(own) { $0 + (households[$1] ?? 0) } }
            let figures = try Self.figures(row, columns, table: table, households: homes)
            if boundary.contains(row.keyCode) {
                if row.suppression == 2 {
                    areas[row.keyCode] = .countedIn(row.countedIn ?? "")
                } else if let figures {
                    areas[row.keyCode] = .counted(figures, absorbs: row.absorbs)
                } else {
                    areas[row.keyCode] = .suppressed
                }
            } else if row.level == 1 || hasChildren(row.keyCode) {
                hierarchy += 1
                if row.level == 1, let figures { municipality[row.keyCode] = figures }
            } else {
                unmatched.append(row.keyCode)
            }
        }
        let missing = boundaryKeys.filter { areas[$0] == nil }.sorted()
        for key in missing { areas[key] = .missing }
        let join = CensusJoin(table: table.path, areas: areas, hierarchyRows: hierarchy, municipalityTotals: municipality,
                              unmatchedCensusKeys: unmatched, unmatchedBoundaryKeys: missing)
        if join.matched == 0 {
            throw DataError(file: table.path, field: "KEY_CODE",
                            "no census key matches a boundary key (census e.g. \(keys.prefix(3).joined(separator: ", ")); boundaries e.g. \(boundaryKeys.sorted().prefix(3).joined(separator: ", ")))")
        }
        if strict, let first = unmatched.first {
            let row = table.rows.first { $0.keyCode == first }!
            throw DataError(file: table.path, record: row.line, field: "KEY_CODE", "\(first) matches no boundary (--strict)")
        }
        if strict, let first = missing.first {
            throw DataError(file: table.path, field: "KEY_CODE", "boundary key \(first) has no census row (--strict)")
        }
        return join
    }

    static func figures(_ row: CensusRow, _ c: CensusColumns, table: CensusTable, households: Int?) throws -> AgingFigures? {
        guard case .count(let total) = row.cells[c.total], case .count(let aged) = row.cells[c.aged] else { return nil }
        guard aged <= total else {
            throw DataError(file: table.path, record: row.line, field: table.valueCodes[c.aged],
                            "aged 65+ (\(aged)) exceeds the total (\(total))")
        }
        var unknown = 0
        if let u = c.under15, let w = c.working, case .count(let young) = row.cells[u], case .count(let work) = row.cells[w] {
            unknown = max(0, total - young - work - aged)
        }
        return AgingFigures(population: total, aged: aged, households: households, unknownAge: unknown)
    }
}

extension CensusJoin {
    /// The one way a census reaches districts: joins `table` to them by id (households from
    /// their SETAI) and gives each area it counts its census figures, so small areas get their
    /// people aged 65+ (e-Stat boundaries carry only JINKO and SETAI).
    public static func join(_ table: CensusTable, to districts: inout [District], columns: CensusColumns,
                            strict: Bool = false) throws -> CensusJoin {
        let households = Dictionary(districts.compactMap { d in d.figures?.households.map { (d.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let join = try join(table, columns: columns, boundaryKeys: districts.map(\.id), households: households, strict: strict)
        for i in districts.indices {
            guard case .counted(let f, _) = join.areas[districts[i].id] else { continue }
            districts[i].figures = AgingFigures(population: f.population, aged: f.aged,
                                                households: districts[i].figures?.households, unknownAge: f.unknownAge)
            districts[i].agedKnown = true
        }
        return join
    }
}
