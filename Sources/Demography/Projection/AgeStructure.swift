import GeoCore
import GeoIO

/// People by sex and 5-year age group (0–4 … 70–74, then the open group 75+), as e-Stat's
/// small-area table of population by age (T001082) gives them. Counts are Double so that
/// projected (fractional) people are the same kind of value as counted ones.
public struct AgeStructure: Sendable, Hashable {
    /// 16 groups each: index g is ages 5g … 5g+4, index 15 is 75 and over.
    public var male: [Double]
    public var female: [Double]

    public static let groupCount = 16
    /// Labels of the groups, as the outputs and a control file name them.
    public static let groupLabels = (0..<15).map { "\($0 * 5)-\($0 * 5 + 4)" } + ["75+"]
    /// Groups 65–69, 70–74 and 75+.
    public static let agedGroups = 13...15
    /// Women 15–49, the mothers of the 0–4 year olds five years on.
    public static let motherGroups = 3...9

    public init(male: [Double], female: [Double]) {
        precondition(male.count == Self.groupCount && female.count == Self.groupCount, "16 age groups per sex")
        self.male = male
        self.female = female
    }

    public static let zero = AgeStructure(male: Array(repeating: 0, count: groupCount), female: Array(repeating: 0, count: groupCount))

    /// People of known age.
    public var population: Double { male.reduce(0, +) + female.reduce(0, +) }
    public var aged: Double { Self.agedGroups.reduce(0) { $0 + male[$1] + female[$1] } }
    public var agingRate: Double? { population > 0 ? aged / population : nil }
    public var mothers: Double { Self.motherGroups.reduce(0) { $0 + female[$1] } }

    public static func + (a: AgeStructure, b: AgeStructure) -> AgeStructure {
        AgeStructure(male: zip(a.male, b.male).map(+), female: zip(a.female, b.female).map(+))
    }
}

/// The age structures of a census table: one per row whose 32 sex-and-age cells are counted.
public struct AgeTable: Sendable {
    public var path: String
    public var rows: [CensusRow]
    /// By KEY_CODE; rows with a suppressed cell (X) have none.
    public var structures: [String: AgeStructure]

    /// Finds the male and female 5-year groups by their labels (男０～４歳 … 男７０～７４歳, 男７５歳以上,
    /// and the same for 女): full-width digits and either wave dash are accepted.
    public init(_ table: CensusTable) throws {
        func normalised(_ label: String) -> String {
            String(label.unicodeScalars.map { c -> Character in
                if (0xFF10...0xFF19).contains(c.value) { return Character(Unicode.Scalar(c.value - 0xFF10 + 0x30)!) }
                if c == "〜" || c == "～" || c == "~" { return "-" }
                return Character(c)
            }).replacingOccurrences(of: " ", with: "")
        }
        let labels = table.valueLabels.map(normalised)
        func columns(_ sex: String) throws -> [Int] {
            let wanted = (0..<15).map { "\(sex)\($0 * 5)-\($0 * 5 + 4)歳" } + ["\(sex)75歳以上"]
            return try wanted.map { label in
                guard let i = labels.firstIndex(of: label) else {
                    throw DataError(file: table.path, record: 2, field: label,
                                    "no such column: population by sex and 5-year age group (e-Stat T001082) was expected")
                }
                return i
            }
        }
        let (male, female) = (try columns("男"), try columns("女"))
        var structures: [String: AgeStructure] = [:]
        for row in table.rows {
            func counts(_ columns: [Int]) -> [Double]? {
                var out: [Double] = []
                for c in columns { guard case .count(let n) = row.cells[c] else { return nil }; out.append(Double(n)) }
                return out
            }
            if let m = counts(male), let f = counts(female) { structures[row.keyCode] = AgeStructure(male: m, female: f) }
        }
        path = table.path
        rows = table.rows
        self.structures = structures
    }
}
