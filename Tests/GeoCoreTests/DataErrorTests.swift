import GeoCore
import Testing

@Suite struct DataErrorTests {
    @Test func descriptionNamesFileRecordAndField() {
        let e = DataError(file: "census.csv", record: 3, field: "JINKO", "not a whole number: \"1,2\"")
        #expect(e.description == "census.csv, record 3, field JINKO: not a whole number: \"1,2\"")
        #expect("\(e)" == e.description)
    }

    @Test func partsAreOptional() {
        #expect(DataError(file: "a.shp", "file not found").description == "a.shp: file not found")
        #expect(DataError(file: "a.shp", record: 12, "unreadable record").description == "a.shp, record 12: unreadable record")
        #expect(DataError(file: "a.shp", field: "geometry", "lat/lon swapped").description == "a.shp, field geometry: lat/lon swapped")
    }

    @Test func equatableAndThrowable() throws {
        let e = DataError(file: "f", record: 1, field: "KEY_CODE", "m")
        #expect(e == DataError(file: "f", record: 1, field: "KEY_CODE", "m"))
        #expect(e != DataError(file: "f", record: 2, field: "KEY_CODE", "m"))
        #expect(e != DataError(file: "f", record: 1, "m"))
        #expect(throws: e) { throw e }
        let caught = #expect(throws: DataError.self) { throw e }
        #expect(caught?.record == 1)
    }

    @Test func engineErrorDescription() {
        let e = EngineError(library: "PROJ", operation: "transform EPSG:4612 → EPSG:1", message: "crs not found")
        #expect(e.description == "PROJ transform EPSG:4612 → EPSG:1 failed: crs not found")
        #expect(EngineError(library: "GEOS", operation: "union", message: "").description == "GEOS union failed")
    }
}
