import Foundation
import GeoCore
import GeoIO
@testable import Demography
import TestSupport
import Testing

/// Hamilton–Perry projection: by hand on small tables written in the e-Stat layout, and the
/// Nagato sample against an independent Python computation.
@Suite struct ProjectionTests {
    /// The sample's two header rows: codes and the Japanese labels the reader matches.
    static let header: [String] = {
        let text = try! String(contentsOfFile: Repository.nagato("census_age_2015_synthetic.csv"), encoding: .shiftJIS)
        return text.components(separatedBy: "\r\n").prefix(2).map { $0 }
    }()

    /// One data row: identifying columns, then the 60 cells (total, 15 groups, <15, 15–64, 65+,
    /// 75+; for both sexes, then men, then women) from 16 groups per sex.
    static func row(_ key: String, level: Int, suppression: Int = 0, countedIn: String = "", male: [Int]?, female: [Int]?) -> String {
        guard let male, let female else { return ([key, String(level), "市", "", String(suppression), countedIn, ""] + Array(repeating: "X", count: 60)).joined(separator: ",") }
        func cells(_ g: [Int]) -> [Int] {
            let total: Int = g.reduce(0, +)
            let young: Int = g[0..<3].reduce(0, +), working: Int = g[3..<13].reduce(0, +), old: Int = g[13...].reduce(0, +)
            var out: [Int] = [total]
            out += g.prefix(15)
            out += [young, working, old, g[15]]
            return out
        }
        let both = zip(male, female).map(+)
        return ([key, String(level), "市", "area \(key)", String(suppression), countedIn, ""]
                + (cells(both) + cells(male) + cells(female)).map(String.init)).joined(separator: ",")
    }

    /// Writes a table (UTF-8) into `dir` and reads it as an age table.
    static func table(_ dir: TemporaryDirectory, _ name: String, _ rows: [String]) throws -> AgeTable {
        let path = dir.file(name)
        try ((header + rows).joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try AgeTable(try CensusCSV.read(path))
    }

    static let flat = Array(repeating: 100, count: 16)

    @Test func handComputedStep() throws {
        let dir = try TemporaryDirectory()
        // Five years on, each male cohort lost 10 %; women stayed; 75+ grew by the 70+ of before × 0.5.
        var newMale = [60] + Array(repeating: 90, count: 14) + [100]  // 75+: 0.5 × (100 + 100)
        newMale[0] = 60
        let newFemale = [40] + Array(repeating: 100, count: 14) + [100]
        let old = try Self.table(dir, "old.csv", [Self.row("01001", level: 1, male: Self.flat, female: Self.flat),
                                                  Self.row("010010001", level: 2, male: Self.flat, female: Self.flat)])
        let new = try Self.table(dir, "new.csv", [Self.row("01001", level: 1, male: newMale, female: newFemale),
                                                  Self.row("010010001", level: 2, male: newMale, female: newFemale)])
        var options = ProjectionOptions(baseYear: 2015, horizon: 2025)
        options.minPopulation = 0
        let p = try Projection.run(previous: old, current: new, options: options)
        let area = try #require(p.areas.first)
        #expect(area.ratiosFrom == "010010001" && area.borrowed == nil)
        let next = area.structures[1]
        // Cohorts: 0.9 × 90 for men, 1 × 100 for women; the open group 0.5 × (90 + 100) = 95.
        #expect(abs(next.male[5] - 81) < 1e-9)
        #expect(abs(next.female[5] - 100) < 1e-9)
        #expect(abs(next.male[15] - 95) < 1e-9)
        #expect(abs(next.female[15] - 100) < 1e-9)  // 1.0 × ... women: 100 / (100 + 100) × (100 + 100)
        // 0–4: child–woman ratios 60 / 700 and 40 / 700 (women 15–49: 7 groups of 100), times the projected women 15–49 (700).
        #expect(abs(next.male[0] - 60) < 1e-9)
        #expect(abs(next.female[0] - 40) < 1e-9)
        #expect(p.years == [2015, 2020, 2025])
    }

    @Test func smallAreasBorrowTheirParentsRatios() throws {
        let dir = try TemporaryDirectory()
        let small = Array(repeating: 3, count: 16)
        let newSmall = [1] + Array(repeating: 6, count: 15)  // ratios of 2: believable, but few people
        let old = try Self.table(dir, "old.csv", [Self.row("01001", level: 1, male: Self.flat, female: Self.flat),
                                                  Self.row("010010001", level: 2, male: small, female: small)])
        let new = try Self.table(dir, "new.csv", [Self.row("01001", level: 1, male: Self.flat, female: Self.flat),
                                                  Self.row("010010001", level: 2, male: newSmall, female: newSmall)])
        var options = ProjectionOptions(baseYear: 2015, horizon: 2020)
        let borrowed = try Projection.run(previous: old, current: new, options: options).areas[0]
        #expect(borrowed.ratiosFrom == "01001")
        #expect(borrowed.borrowed == "fewer than 200 people")
        // The municipality's ratios are all 1: each cohort moves up unchanged.
        #expect(borrowed.structures[1].male[3] == 6)
        options.minPopulation = 0
        let own = try Projection.run(previous: old, current: new, options: options).areas[0]
        #expect(own.ratiosFrom == "010010001")
        #expect(own.structures[1].male[3] == 12)
        // A ratio above the limit is not believed, whatever the size.
        options.maxRatio = 1.5
        #expect(try Projection.run(previous: old, current: new, options: options).areas[0].borrowed == "ratios out of bounds or undefined")
    }

    @Test func suppressedAreasGoWithTheirHost() throws {
        let dir = try TemporaryDirectory()
        let rows = [Self.row("01001", level: 1, male: Self.flat, female: Self.flat),
                    Self.row("010010001", level: 2, suppression: 1, male: Self.flat, female: Self.flat),
                    Self.row("010010002", level: 2, suppression: 2, countedIn: "010010001", male: nil, female: nil)]
        let table = try Self.table(dir, "t.csv", rows)
        let changed = try Self.table(dir, "u.csv", [Self.row("01001", level: 1, male: Self.flat.map { $0 + 1 }, female: Self.flat)] + rows.dropFirst())
        let p = try Projection.run(previous: changed, current: table, options: ProjectionOptions(baseYear: 2020, horizon: 2030))
        #expect(p.areas.map(\.id) == ["010010001"])
        #expect(p.countedIn == ["010010002": "010010001"])
        let hamlet = Hamlet(id: "h1", name: "h", keyCode: "010010002", figures: AgingFigures(population: 50, aged: 20, households: 18), geometry: nil)
        let projected = try ProjectionStudy.project([hamlet], with: p)
        #expect(projected[0].population.count == 3)
    }

    @Test func controlTotalsAddUpExactly() throws {
        let dir = try TemporaryDirectory()
        let a = [120, 90, 80, 70, 60, 80, 90, 100, 110, 120, 130, 140, 150, 140, 120, 160]
        let old = try Self.table(dir, "old.csv", [Self.row("01001", level: 1, male: a.map { $0 * 2 }, female: a.map { $0 * 2 }),
                                                  Self.row("010010001", level: 2, male: a, female: a),
                                                  Self.row("010010002", level: 2, male: a, female: a)])
        let b = a.map { $0 - 5 }
        let new = try Self.table(dir, "new.csv", [Self.row("01001", level: 1, male: zip(a, b).map(+), female: zip(a, b).map(+)),
                                                  Self.row("010010001", level: 2, male: a, female: a),
                                                  Self.row("010010002", level: 2, male: b, female: b)])
        let control = dir.file("control.csv")
        let lines = ["year,group,population"] + AgeStructure.groupLabels.enumerated().flatMap { g, label in
            ["2020,\(label),\(1_000 + 10 * g)", "2025,\(label),\(900 + 7 * g)"]
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: control, atomically: true, encoding: .utf8)
        var options = ProjectionOptions(baseYear: 2015, horizon: 2025)
        options.control = try ControlTotals.read(control)
        let p = try Projection.run(previous: old, current: new, options: options)
        for (y, year) in [(1, 2020), (2, 2025)] {
            for g in 0..<16 {
                let sum = p.city[y].male[g] + p.city[y].female[g]
                let target = Double(year == 2020 ? 1_000 + 10 * g : 900 + 7 * g)
                #expect(abs(sum - target) < 1e-9, "\(year) \(AgeStructure.groupLabels[g]): \(sum) vs \(target)")
            }
        }
        #expect(p.city[0].population == 2 * Double(a.reduce(0, +) + b.reduce(0, +)), "the base year is the census, never scaled")
    }

    @Test func badTablesAreErrors() throws {
        let dir = try TemporaryDirectory()
        let t = try Self.table(dir, "t.csv", [Self.row("01001", level: 1, male: Self.flat, female: Self.flat),
                                              Self.row("010010001", level: 2, male: Self.flat, female: Self.flat)])
        #expect(throws: DataError.self) { try Projection.run(previous: t, current: t, options: ProjectionOptions(baseYear: 2015, horizon: 2025)) }
        let other = try Self.table(dir, "o.csv", [Self.row("02001", level: 1, male: Self.flat, female: Self.flat),
                                                  Self.row("020010001", level: 2, male: Self.flat, female: Self.flat)])
        #expect(throws: DataError.self) { try Projection.run(previous: other, current: t, options: ProjectionOptions(baseYear: 2015, horizon: 2025)) }
        #expect(throws: ParameterError.self) { try Projection.run(previous: other, current: t, options: ProjectionOptions(baseYear: 2015, horizon: 2022)) }
    }

    /// The sample, 2015 → 2045, against Fixtures/projection_nagato_reference.csv (plain Python).
    @Test func nagatoMatchesTheReference() throws {
        let sources = ProjectionSources(census: Repository.nagato("census_age_2015_synthetic.csv"),
                                        previous: Repository.nagato("census_age_2010_synthetic.csv"))
        let study = try ProjectionStudy.run(sources, options: ProjectionOptions(baseYear: 2015, horizon: 2045))
        let text = try String(contentsOfFile: Repository.path("Tests/DemographyTests/Fixtures/projection_nagato_reference.csv"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n").dropFirst() {
            let c = line.split(separator: ",").map(String.init)
            let area = try #require(study.projection.areas.first { $0.id == c[0] }, "\(c[0])")
            let y = try #require(study.projection.years.firstIndex(of: Int(c[1])!))
            #expect(abs(area.structures[y].population - Double(c[2])!) < 1e-5, "\(c[0]) \(c[1])")
            #expect(abs(area.structures[y].aged - Double(c[3])!) < 1e-5, "\(c[0]) \(c[1])")
            #expect(area.ratiosFrom == c[4])
            checked += 1
        }
        #expect(checked == 26 * 7)
        // The base year is the census: 35,439 people of whom 5 of unknown age, aging rate 39.7 %.
        #expect(study.projection.city[0].population == 35_434)
        #expect(TextFormat.percent(study.projection.city[0].agingRate) == "39.7%")
    }
}
