import Testing
import GeoCore

/// JIS X 0410 grid squares against jismesh 2.1.0 (`jismesh.utils.to_meshcode(lat, lon, level)`
/// and `to_meshpoint(code, 0, 0)` / `(code, 1, 1)`), the reference values pasted below.
@Suite struct MeshCodeTests {
    struct Place: Sendable, CustomTestStringConvertible {
        var name: String
        var lon: Double
        var lat: Double
        var codes: [String]
        var testDescription: String { name }
    }

    static let places = [
        Place(name: "Tokyo Station", lon: 139.767125, lat: 35.681236, codes: ["53394611", "533946113", "5339461132"]),
        Place(name: "Nagato city hall", lon: 131.182227, lat: 34.371094, codes: ["51314144", "513141444", "5131414441"]),
        Place(name: "Tottori prefectural office", lon: 134.238261, lat: 35.503869, codes: ["53342109", "533421091", "5334210913"]),
        Place(name: "Sapporo", lon: 141.354376, lat: 43.062096, codes: ["64414278", "644142781", "6441427814"]),
        Place(name: "Naha", lon: 127.681111, lat: 26.2125, codes: ["39272554", "392725543", "3927255432"]),
        Place(name: "Yonago", lon: 133.331, lat: 35.428, codes: ["53331216", "533312161", "5333121614"]),
        Place(name: "Wakkanai", lon: 141.673, lat: 45.415, codes: ["68410593", "684105934", "6841059344"]),
    ]

    @Test(arguments: places)
    func codesFromCoordinates(_ place: Place) throws {
        for (level, expected) in zip(MeshLevel.allCases, place.codes) {
            let mesh = try #require(MeshCode(longitude: place.lon, latitude: place.lat, level: level))
            #expect(mesh.code == expected, "\(level)")
            #expect(mesh.level == level)
            // The square holds the point, and the code reads back as the same square.
            #expect(mesh.west <= place.lon && place.lon < mesh.east && mesh.south <= place.lat && place.lat < mesh.north)
            #expect(MeshCode(expected) == mesh)
        }
    }

    /// (code, south, west, north, east) from jismesh.
    static let squares: [(String, Double, Double, Double, Double)] = [
        ("51310548", 34.03333333333333, 131.725, 34.041666666666664, 131.73749999999998),
        ("513105481", 34.03333333333333, 131.725, 34.0375, 131.73125),
        ("5131054812", 34.03333333333333, 131.728125, 34.03541666666666, 131.73125000000002),
        ("53394611", 35.675, 139.7625, 35.68333333333333, 139.77499999999998),
        ("533946114", 35.67916666666667, 139.76874999999998, 35.68333333333334, 139.77499999999998),
        ("5339461143", 35.68125, 139.76874999999998, 35.68333333333333, 139.771875),
        ("61414000", 41.0, 141.0, 41.00833333333333, 141.0125),
        ("36247747", 24.616666666666667, 124.9625, 24.625, 124.97500000000001),
    ]

    @Test func squaresFromCodes() throws {
        for (code, south, west, north, east) in Self.squares {
            let mesh = try #require(MeshCode(code), "\(code)")
            #expect(mesh.code == code)
            #expect(abs(mesh.south - south) < 1e-12 && abs(mesh.west - west) < 1e-12, "\(code)")
            #expect(abs(mesh.north - north) < 1e-12 && abs(mesh.east - east) < 1e-12, "\(code)")
            // The corners computed from the code belong to the square (edges go north and east).
            #expect(MeshCode(longitude: mesh.west, latitude: mesh.south, level: mesh.level) == mesh)
            #expect(MeshCode(longitude: mesh.east, latitude: mesh.north, level: mesh.level) != mesh)
            #expect(MeshCode(mesh.center, level: mesh.level) == mesh)
        }
    }

    @Test func sidesAreAboutTheirNominalLength() throws {
        // At 35°N a degree of latitude is 110.95 km and of longitude 91.29 km (GRS80).
        let mesh = try #require(MeshCode(longitude: 135, latitude: 35, level: .km1))
        #expect(abs((mesh.north - mesh.south) * 110_950 - 924.6) < 1)
        #expect(abs((mesh.east - mesh.west) * 91_290 - 1_141.1) < 1)
        #expect(mesh.polygon.exterior.count == 5 && mesh.polygon.exterior.first == mesh.polygon.exterior.last)
    }

    @Test(arguments: ["5339461", "53394611x", "53398611", "53394611" + "5", "533946110", "5339461105", "５３３９４６１１"])
    func malformedCodesAreRejected(_ code: String) {
        #expect(MeshCode(code) == nil)
    }

    @Test func outsideTheCodeRangeIsNil() {
        #expect(MeshCode(longitude: 99.9, latitude: 35, level: .km1) == nil)
        #expect(MeshCode(longitude: 139, latitude: -1, level: .km1) == nil)
        #expect(MeshCode(longitude: .nan, latitude: 35, level: .km1) == nil)
    }

    @Test func coveringABoxTilesIt() throws {
        let box = BoundingBox(minX: 131.18, minY: 34.37, maxX: 131.20, maxY: 34.38)
        let squares = MeshCode.covering(box, level: .m500)
        // 0.02° of longitude / 22.5″ → 4–5 columns; 0.01° of latitude / 15″ → 3–4 rows.
        #expect(squares.count == 20, "\(squares.count)")
        #expect(Set(squares).count == squares.count)
        for corner in [Coordinate(box.minX, box.minY), Coordinate(box.maxX, box.maxY), box.center] {
            let mesh = try #require(MeshCode(corner, level: .m500))
            #expect(squares.contains(mesh))
        }
        let area = squares.reduce(0) { $0 + ($1.east - $1.west) * ($1.north - $1.south) }
        #expect(area >= box.width * box.height)
    }
}
