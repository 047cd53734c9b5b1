import Testing
import GeoCore
@testable import Demography

@Suite struct CouncilMapTests {
    let sample = nagatoSample

    @Test func readsCSVMappings() throws {
        let path = try temporaryFile("c.csv", "name,fiscal_year,key_codes\r\n通まちづくり協議会,2015,352110010\r\n油谷,2016,352110250;352110260\r\n")
        let map = try CouncilMap.read(path)
        #expect(map.councils.map(\.name) == ["通まちづくり協議会", "油谷"])
        #expect(map.councils[1].keyCodes == ["352110250", "352110260"])
        #expect(map.councils[1].fiscalYear == 2016)
    }

    @Test func badYearNamesRecordAndField() throws {
        let path = try temporaryFile("c.csv", "name,fiscal_year,key_codes\n通,平成27,352110010\n")
        let error = #expect(throws: DataError.self) { try CouncilMap.read(path) }
        #expect(error?.record == 2 && error?.field == "fiscal_year")
    }

    @Test func unknownSmallAreaIsAnError() throws {
        let path = try temporaryFile("c.json", #"{"councils": [{"name": "X", "key_codes": ["352119999"]}]}"#)
        let error = #expect(throws: DataError.self) {
            try AgingStudy.run(districts: sample.load, census: sample.join, councils: try CouncilMap.read(path))
        }
        #expect(error?.message.contains("unknown small area 352119999") == true)
        #expect(error?.record == 1 && error?.field == "key_codes")
    }

    @Test func smallAreaInTwoCouncilsIsAnError() throws {
        let path = try temporaryFile("c.json", #"[{"name": "A", "key_codes": ["352110010"]}, {"name": "B", "key_codes": ["352110010"]}]"#)
        let error = #expect(throws: DataError.self) {
            try AgingStudy.run(districts: sample.load, census: sample.join, councils: try CouncilMap.read(path))
        }
        #expect(error?.message.contains("in both A and B") == true)
        #expect(error?.record == 2)
    }

    @Test func missingNameIsReported() throws {
        let path = try temporaryFile("c.json", #"{"councils": [{"name": "A"}, {"key_codes": []}]}"#)
        let error = #expect(throws: DataError.self) { try CouncilMap.read(path) }
        #expect(error?.record == 2 && error?.field == "name")
    }
}
