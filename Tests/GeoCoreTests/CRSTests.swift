import GeoCore
import Testing

@Suite struct CRSTests {
    @Test func constants() {
        #expect(CRS.jgd2000.epsg == 4612)
        #expect(CRS.jgd2000.definition == "EPSG:4612")
        #expect(CRS.jgd2000.isGeographic)
        #expect(CRS.jgd2011.epsg == 6668)
        #expect(CRS.wgs84.epsg == 4326)
        #expect(CRS.jgd2000.description == "JGD2000 (EPSG:4612)")
        #expect(CRS(epsg: nil, definition: "+proj=laea", isGeographic: false, name: "LAEA").description == "LAEA")
    }

    @Test(arguments: [
        (4612, JapaneseDatum?.some(.jgd2000)), (2443, .jgd2000), (2445, .jgd2000), (2461, .jgd2000),
        (6668, .jgd2011), (6669, .jgd2011), (6671, .jgd2011), (6687, .jgd2011),
        (4326, nil), (2442, nil), (2462, nil), (6688, nil), (3857, nil),
    ])
    func japaneseDatum(_ code: Int, _ datum: JapaneseDatum?) {
        #expect(CRS.epsg(code, geographic: false, name: "x").japaneseDatum == datum)
    }

    @Test func customDefinitionsHaveNoDatum() {
        #expect(CRS(epsg: nil, definition: "+proj=longlat", isGeographic: true, name: "x").japaneseDatum == nil)
    }
}
