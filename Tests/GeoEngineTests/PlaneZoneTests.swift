import GeoCore
import GeoEngine
import Testing

/// Japan Plane Rectangular zones chosen from the prefecture code and a location, per the MLIT
/// notice (平成14年国土交通省告示第9号).
@Suite struct PlaneZoneTests {
    struct Place: Sendable, CustomTestStringConvertible {
        let name: String
        let prefecture: Int
        let lon: Double, lat: Double
        let zone: Int
        var municipality: Int? = nil
        var testDescription: String { "\(name) (\(prefecture)) → \(zone)" }
    }

    static let places: [Place] = [
        Place(name: "Nagato, Yamaguchi", prefecture: 35, lon: 131.18, lat: 34.37, zone: 3),
        Place(name: "Tottori city", prefecture: 31, lon: 134.24, lat: 35.50, zone: 5),
        Place(name: "Matsue, Shimane", prefecture: 32, lon: 133.05, lat: 35.47, zone: 3),
        Place(name: "Okayama city", prefecture: 33, lon: 133.93, lat: 34.66, zone: 5),
        Place(name: "Kobe, Hyogo", prefecture: 28, lon: 135.18, lat: 34.69, zone: 5),
        Place(name: "Shinjuku, Tokyo", prefecture: 13, lon: 139.69, lat: 35.69, zone: 9),
        Place(name: "Hachijojima, Tokyo", prefecture: 13, lon: 139.79, lat: 33.11, zone: 9),
        Place(name: "Chichijima, Ogasawara", prefecture: 13, lon: 142.19, lat: 27.09, zone: 14),
        Place(name: "Minamitorishima", prefecture: 13, lon: 153.98, lat: 24.28, zone: 19),
        Place(name: "Okinotorishima", prefecture: 13, lon: 136.08, lat: 20.42, zone: 18),
        Place(name: "Naha, Okinawa", prefecture: 47, lon: 127.68, lat: 26.21, zone: 15),
        Place(name: "Ishigaki", prefecture: 47, lon: 124.16, lat: 24.34, zone: 16),
        Place(name: "Minamidaito", prefecture: 47, lon: 131.24, lat: 25.83, zone: 17),
        Place(name: "Kagoshima city", prefecture: 46, lon: 130.56, lat: 31.60, zone: 2),
        Place(name: "Amami", prefecture: 46, lon: 129.49, lat: 28.38, zone: 1),
        Place(name: "Kamikoshiki, Koshikijima", prefecture: 46, lon: 129.85, lat: 31.83, zone: 1),
        Place(name: "Yakushima", prefecture: 46, lon: 130.53, lat: 30.35, zone: 2),
        Place(name: "Hakodate", prefecture: 1, lon: 140.73, lat: 41.77, zone: 11),
        Place(name: "Sapporo", prefecture: 1, lon: 141.35, lat: 43.06, zone: 12),
        Place(name: "Kushiro", prefecture: 1, lon: 144.38, lat: 42.98, zone: 13),
        Place(name: "Nagasaki", prefecture: 42, lon: 129.87, lat: 32.75, zone: 1),
        Place(name: "Aomori", prefecture: 2, lon: 140.74, lat: 40.82, zone: 10),
    ]

    @Test(arguments: places)
    func zoneForPrefectureAndLocation(_ place: Place) throws {
        let zone = try #require(PlaneZone.forPrefecture(place.prefecture, at: Coordinate(place.lon, place.lat)))
        #expect(zone.number == place.zone, "\(place.name): got \(zone)")
    }

    /// Hokkaido's zones follow sub-prefecture and municipal borders (XI: Otaru, Hakodate, Date,
    /// Hokuto, Shiribeshi, Oshima, Hiyama and three Iburi towns; XIII: Kitami, Obihiro, Kushiro,
    /// Abashiri, Nemuro, nine Okhotsk towns, Tokachi, Kushiro, Nemuro; XII: the rest). Longitude
    /// alone misplaces these real places; their municipality codes settle them.
    static let hokkaidoBorderPlaces: [Place] = [
        Place(name: "Muroran (Iburi, XII)", prefecture: 1, lon: 140.97, lat: 42.32, zone: 12, municipality: 1205),
        Place(name: "Monbetsu (Okhotsk, XII)", prefecture: 1, lon: 143.35, lat: 44.36, zone: 12, municipality: 1219),
        Place(name: "Engaru (Okhotsk, XII)", prefecture: 1, lon: 143.53, lat: 44.06, zone: 12, municipality: 1555),
        Place(name: "Urakawa (Hidaka, XII)", prefecture: 1, lon: 142.77, lat: 42.17, zone: 12, municipality: 1607),
        Place(name: "Erimo (Hidaka, XII)", prefecture: 1, lon: 143.20, lat: 42.02, zone: 12, municipality: 1609),
        Place(name: "Hakodate (XI)", prefecture: 1, lon: 140.73, lat: 41.77, zone: 11, municipality: 1202),
        Place(name: "Toyako (Iburi, XI)", prefecture: 1, lon: 140.76, lat: 42.55, zone: 11, municipality: 1584),
        Place(name: "Niseko (Shiribeshi, XI)", prefecture: 1, lon: 140.69, lat: 42.80, zone: 11, municipality: 1395),
        Place(name: "Sapporo Chuo-ku (XII)", prefecture: 1, lon: 141.35, lat: 43.06, zone: 12, municipality: 1101),
        Place(name: "Bihoro (Okhotsk, XIII)", prefecture: 1, lon: 144.11, lat: 43.83, zone: 13, municipality: 1543),
        Place(name: "Obihiro (XIII)", prefecture: 1, lon: 143.20, lat: 42.92, zone: 13, municipality: 1207),
        Place(name: "Nemuro (XIII)", prefecture: 1, lon: 145.58, lat: 43.33, zone: 13, municipality: 1223),
    ]

    @Test(arguments: hokkaidoBorderPlaces)
    func hokkaidoZonesFollowMunicipalBorders(_ place: Place) throws {
        let zone = try #require(PlaneZone.forAreaCode(place.municipality!, at: Coordinate(place.lon, place.lat)))
        #expect(zone.number == place.zone, "\(place.name): got \(zone)")
    }

    @Test func municipalityCodesOutsideHokkaidoUseThePrefecture() throws {
        #expect(PlaneZone.forAreaCode(35211, at: Coordinate(131.18, 34.37))?.number == 3)
        #expect(PlaneZone.forAreaCode(31201, at: Coordinate(134.24, 35.50))?.number == 5)
        #expect(PlaneZone.forAreaCode(13421, at: Coordinate(142.19, 27.09))?.number == 14)
        #expect(PlaneZone.forAreaCode(99001, at: Coordinate(135, 35)) == nil)
    }

    @Test func everyPrefectureHasAZone() {
        for code in 1...47 {
            #expect(PlaneZone.forPrefecture(code, at: Coordinate(135, 35)) != nil, "prefecture \(code)")
        }
        #expect(PlaneZone.forPrefecture(0, at: Coordinate(135, 35)) == nil)
        #expect(PlaneZone.forPrefecture(48, at: Coordinate(135, 35)) == nil)
    }

    @Test func epsgCodesOnBothDatums() throws {
        let iii = try #require(PlaneZone(3))
        #expect(iii.crs(.jgd2000).epsg == 2445)
        #expect(iii.crs(.jgd2011).epsg == 6671)
        #expect(iii.crs(.jgd2000).definition == "EPSG:2445")
        #expect(!iii.crs(.jgd2011).isGeographic)
        #expect(iii.roman == "III")
        #expect(iii.description == "zone III")
        #expect(PlaneZone(1)!.crs(.jgd2000).epsg == 2443)
        #expect(PlaneZone(19)!.crs(.jgd2011).epsg == 6687)
        #expect(PlaneZone(19)!.roman == "XIX")
        #expect(PlaneZone(0) == nil)
        #expect(PlaneZone(20) == nil)
        #expect(PlaneZone(4)! < PlaneZone(12)!)
    }

    @Test(arguments: 1...19)
    func planeZoneOfItsOwnCRSRoundTrips(_ number: Int) throws {
        let zone = try #require(PlaneZone(number))
        #expect(zone.crs(.jgd2000).planeZone == zone)
        #expect(zone.crs(.jgd2011).planeZone == zone)
        #expect(zone.crs(.jgd2000).japaneseDatum == .jgd2000)
        #expect(zone.crs(.jgd2011).japaneseDatum == .jgd2011)
    }

    @Test func measurerUsesTheLayersOwnZoneForAPlaneCRS() throws {
        let geometries: [Geometry?] = [square(0, 0), nil, square(5, 5)]
        let zones = try Measurer().planeZones(geometries, crs: zoneIII2011, codes: [nil, nil, 47], source: "x")
        #expect(zones == Array(repeating: PlaneZone(3)!, count: 3))
        let fixed = try Measurer().planeZones(geometries, crs: .jgd2000, codes: [nil, nil, nil],
                                              fixed: PlaneZone(7), source: "x")
        #expect(fixed == Array(repeating: PlaneZone(7)!, count: 3))
    }

    @Test func measurerPicksZonesPerFeatureByLocation() throws {
        // Two features of one Okinawa layer in different zones (Naha XV, Ishigaki XVI).
        let naha = rectangle(127.67, 26.20, 127.69, 26.22), ishigaki = rectangle(124.15, 24.33, 124.17, 24.35)
        let zones = try Measurer().planeZones([naha, ishigaki], crs: .jgd2011, codes: [47, 47], source: "okinawa")
        #expect(zones.map(\.number) == [15, 16])
    }

    @Test func missingOrBadPrefectureIsADataErrorNamingTheRecord() throws {
        let geometries: [Geometry?] = [rectangle(131, 34, 131.1, 34.1), rectangle(131, 34, 131.1, 34.1)]
        let missing = #expect(throws: DataError.self) {
            try Measurer().planeZones(geometries, crs: .jgd2000, codes: [35, nil], source: "areas.shp")
        }
        #expect(missing?.file == "areas.shp")
        #expect(missing?.record == 2)
        #expect(missing?.field == "KEY_CODE")
        let bad = #expect(throws: DataError.self) {
            try Measurer().planeZones(geometries, crs: .jgd2000, codes: [99, 35], source: "areas.shp")
        }
        #expect(bad?.record == 1)
        #expect(bad?.message.contains("99") == true)
    }
}
