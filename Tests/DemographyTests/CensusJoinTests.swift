import Testing
import GeoCore
import GeoIO
@testable import Demography

@Suite struct CensusJoinTests {
    /// An urban table with three levels: 倉吉市-like municipality, a 大字 parent and its 字.
    func threeLevelTable() throws -> CensusTable {
        let text = censusCSV([
            ("31203", 1, "", 0, "", ["300", "30", "150", "120"]),
            ("312030010", 2, "上井", 0, "", ["200", "20", "100", "80"]),
            ("31203001001", 3, "上井１丁目", 0, "", ["120", "10", "60", "50"]),
            ("31203001002", 3, "上井２丁目", 0, "", ["80", "10", "40", "30"]),
            ("312030020", 2, "下田", 0, "", ["100", "10", "50", "40"]),
        ])
        return try CensusCSV.read(try temporaryFile("t.csv", text, encoding: .cp932))
    }

    @Test func parentsAreHierarchyNotUnmatched() throws {
        let table = try threeLevelTable()
        #expect(table.encoding == .cp932)
        let columns = try CensusColumns.find(in: table)
        let join = try CensusJoin.join(table, columns: columns,
                                       boundaryKeys: ["31203001001", "31203001002", "312030020"])
        #expect(join.matched == 3)
        #expect(join.hierarchyRows == 2)
        #expect(join.unmatchedCensusKeys.isEmpty && join.warnings.isEmpty)
        #expect(join.total.population == 300)
        #expect(join.total.aged == 120)
    }

    @Test func unmatchedKeysAreWarningsBothWays() throws {
        let table = try threeLevelTable()
        let join = try CensusJoin.join(table, columns: try CensusColumns.find(in: table),
                                       boundaryKeys: ["31203001001", "31203001002", "31203999999"])
        #expect(join.unmatchedCensusKeys == ["312030020"])
        #expect(join.unmatchedBoundaryKeys == ["31203999999"])
        #expect(join.warnings.count == 2)
        #expect(join.warnings[0].contains("312030020"))
        #expect(join.areas["31203999999"] == .missing)
    }

    @Test func strictMakesUnmatchedAnError() throws {
        let table = try threeLevelTable()
        let error = #expect(throws: DataError.self) {
            try CensusJoin.join(table, columns: try CensusColumns.find(in: table),
                                boundaryKeys: ["31203001001", "31203001002"], strict: true)
        }
        #expect(error?.field == "KEY_CODE")
        #expect(error?.record == 7)
        #expect(error?.message.contains("312030020") == true)
    }

    @Test func nothingMatchingIsAnError() throws {
        let table = try threeLevelTable()
        let error = #expect(throws: DataError.self) {
            try CensusJoin.join(table, columns: try CensusColumns.find(in: table), boundaryKeys: ["35211001"])
        }
        #expect(error?.message.contains("no census key matches") == true)
    }

    @Test func suppressedCellsAndDashes() throws {
        let text = censusCSV([
            ("35211", 1, "", 0, "", ["10", "-", "5", "5"]),
            ("352110010", 2, "通", 1, "", ["10", "-", "5", "5"]),
            ("352110020", 2, "仙崎", 2, "352110010", ["X", "X", "X", "X"]),
        ])
        let table = try CensusCSV.read(try temporaryFile("s.csv", text))
        #expect(table.rows[1].cells[1] == .count(0))
        #expect(table.rows[2].cells[0] == .suppressed)
        let join = try CensusJoin.join(table, columns: try CensusColumns.find(in: table),
                                       boundaryKeys: ["352110010", "352110020"])
        #expect(join.areas["352110020"] == .countedIn("352110010"))
        #expect(join.total.population == 10)
    }

    @Test func agedAboveTotalIsAnError() throws {
        let text = censusCSV([("352110010", 2, "通", 0, "", ["10", "0", "0", "11"])])
        let table = try CensusCSV.read(try temporaryFile("a.csv", text))
        let error = #expect(throws: DataError.self) {
            try CensusJoin.join(table, columns: try CensusColumns.find(in: table), boundaryKeys: ["352110010"])
        }
        #expect(error?.record == 3 && error?.field == "T001082019")
    }
}

@Suite struct AgingClassTests {
    let t = AgingThresholds()

    @Test(arguments: [
        (532, 1064, 467, AgingClasses([.marginal, .support])),       // 俵山: exactly 50.00 %
        (9, 18, 19, AgingClasses([.marginal, .support, .smallAndAged])),
        (9, 18, 20, AgingClasses([.marginal, .support])),
        (45, 100, 10, AgingClasses([.support])),
        (44, 100, 10, AgingClasses()),
    ])
    func classes(aged: Int, population: Int, households: Int, expected: AgingClasses) {
        #expect(t.classes(AgingFigures(population: population, aged: aged, households: households)) == expected)
    }

    @Test func emptyUnitHasNoRateAndNoClass() {
        let f = AgingFigures(population: 0, aged: 0, households: 0)
        #expect(f.rate == nil)
        #expect(t.classes(f).isEmpty)
    }

    @Test func unknownAgeIsLeftOutOfTheDenominator() {
        let f = AgingFigures(population: 105, aged: 50, households: nil, unknownAge: 5)
        #expect(f.rate == 0.5)
    }

    @Test func percentFormatsLikeThePlan() {
        #expect(percent(0.397) == "39.70")
        #expect(percent(0.0505) == "5.05")
        #expect(percent(0.3722) == "37.22")
    }
}
