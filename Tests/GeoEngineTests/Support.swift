import Foundation
import TestSupport
import GeoCore
import GeoEngine
import GeoIO
import Testing

/// Paths to the repository's sample data and to this target's reference fixtures.
enum Repo {
    static let nagatoPath = Repository.nagato("h27ka35211.shp")
    static let tottoriPath = Repository.geodata("tottori/h27ka31.shp")

    /// Read once per test process and shared: the tests only read them.
    static let nagato: Result<VectorFile, any Error> = Result { try VectorReader.read(nagatoPath) }
    static let tottori: Result<VectorFile, any Error> = Result { try VectorReader.read(tottoriPath) }
}

/// The CSVs written by Tests/Fixtures/make_references.py (plain CSV: no quoted commas).
enum Fixture {
    static func url(_ name: String) throws -> URL {
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        return try #require(Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures"),
                            "fixture \(name) missing from the test bundle")
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    /// Rows as dictionaries keyed by the header.
    static func rows(_ name: String) throws -> [[String: String]] {
        let lines = try text(name).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = try #require(lines.first).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
    }
}

extension Dictionary where Key == String, Value == String {
    func double(_ key: String) throws -> Double { try #require(self[key].flatMap(Double.init), "column \(key)") }
    func int(_ key: String) throws -> Int { try #require(self[key].flatMap { Int($0) }, "column \(key)") }
}

/// Equal to a fixture value within `relative`, or within the fixture's own rounding: areas are
/// written with 6 decimals, so a 437 m² record carries up to 5e-7 m² (1.1e-9 relative) of it.
func matchesFixture(_ value: Double, _ reference: Double, relative: Double = 1e-9) -> Bool {
    relativeDifference(value, reference) <= relative || abs(value - reference) <= 1e-6
}

func relativeDifference(_ a: Double, _ b: Double) -> Double {
    a == b ? 0 : abs(a - b) / max(abs(a), abs(b))
}

/// A closed axis-aligned rectangle ring, counter-clockwise.
func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
    .polygon(Polygon(exterior: [
        Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0),
    ]))
}

func square(_ x: Double, _ y: Double, side: Double = 1) -> Geometry {
    rectangle(x, y, x + side, y + side)
}

/// JGD2011 plane zone III (EPSG:6671): coordinates in metres, so areas need no projection.
let zoneIII2011 = PlaneZone(3)!.crs(.jgd2011)

/// Planar areas of geometries already in a plane-zone CRS, the way callers measure them:
/// planeZones (which returns the layer's own zone) then areas(metric: .plane).
func planeAreas(_ geometries: [Geometry], crs: CRS = zoneIII2011, measurer: Measurer = Measurer()) throws -> [Double] {
    let zones = try measurer.planeZones(geometries, crs: crs, codes: geometries.map { _ in nil }, source: "test")
    return try measurer.areas(geometries, crs: crs, metric: .plane, zones: zones)
}

func vertexCount(_ g: Geometry) -> Int {
    var n = 0
    g.forEachCoordinate { _ in n += 1 }
    return n
}

/// KEY_CODE text of each feature, and the prefecture code (its first two digits).
func keyCodes(_ layer: Layer) throws -> [String] {
    try layer.features.map { try #require(layer.value($0, "KEY_CODE").stringValue) }
}

func prefectureCodes(_ layer: Layer) throws -> [Int?] {
    try keyCodes(layer).map { Int($0.prefix(2)) }
}
