import GeoCore
import GeoEngine
import GeoIO
import TestSupport
import Testing
@testable import Demography

/// The union's area, the check on the districts' total: per prefecture and plane zone, so data
/// from several prefectures is measured in each one's own zone.
@Suite("Union area")
struct UnionAreaTests {
    @Test func nagatoUnionIsItsArea() throws {
        let load = nagatoSample.load
        let union = try Districts.unionArea(load)
        // Small areas tile the city: the union is their total, to rounding.
        #expect(abs(union - load.totalArea) / load.totalArea < 1e-9, "\(union) vs \(load.totalArea)")
    }

    /// Nagato (Yamaguchi, zone III) and Tottori (zone V) in one layer: the union is the sum of
    /// the two prefectures' unions, each measured in its own zone; Nagato measured in Tottori's
    /// zone would be off by more than the tolerance.
    @Test func twoPrefecturesInTwoZones() throws {
        let nagato = try VectorReader.read(Repository.nagato("h27ka35211.shp"))
        let tottori = try VectorReader.read(Repository.geodata("tottori/h27ka31.shp"))
        try #require(nagato.layer.fields.map(\.type) == tottori.layer.fields.map(\.type), "both are e-Stat h27ka layouts")
        var both = tottori
        both.layer.features += nagato.layer.features
        let a = try Districts.unionArea(Districts.load(nagato))
        let b = try Districts.unionArea(Districts.load(tottori))
        let combined = try Districts.load(both)
        #expect(combined.zones.map(\.number) == [3, 5])
        let union = try Districts.unionArea(combined)
        #expect(abs(union - (a + b)) / (a + b) < 1e-12, "\(union) vs \(a) + \(b)")
        #expect(abs(union - combined.totalArea) / union < 1e-9)
        let nagatoInZoneV = try Measurer().areas(Districts.load(nagato).districts.map(\.geometry), crs: nagato.layer.crs,
                                                 metric: .plane, zones: Array(repeating: PlaneZone(5)!, count: 27)).reduce(0, +)
        #expect(abs(nagatoInZoneV - a) / a > 1e-5, "the zone matters: \(nagatoInZoneV) vs \(a)")
    }
}
