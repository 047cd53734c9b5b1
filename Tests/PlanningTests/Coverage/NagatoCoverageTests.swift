import Foundation
import Testing
import GeoCore
import GeoEngine
import GeoIO
import Demography
@testable import Planning

/// The sample's README: covered shares by FY, and the seed's FY2016 figure of about 65 %.
@Suite struct NagatoCoverageTests {
    static let smallAreas = try! PlanningDistricts.load(try! VectorReader.read(nagato("h27ka35211.shp")))
    static let councils = try! CouncilMap.read(nagato("councils_2017.json"))

    func run(_ loaded: PlanningDistricts.Loaded) throws -> CoverageReport {
        let membership = try CoverageInputs.membership(Self.councils, districtIDs: loaded.districts.map(\.id))
        return try Coverage.run(loaded.districts, planarCRS: loaded.planarCRS, membership: membership,
                                councils: Self.councils.councils,
                                denominator: loaded.districts.reduce(0) { $0 + $1.areaM2 }, denominatorSource: "districts")
    }

    @Test func timelineBySmallAreaMatchesTheReadme() throws {
        let report = try run(Self.smallAreas)
        let shares = Dictionary(uniqueKeysWithValues: report.timeline.map { ($0.fiscalYear, ($0.share * 1000).rounded() / 10) })
        #expect(shares == [2013: 33.1, 2014: 36.7, 2015: 50.4, 2016: 65.6])
        #expect(abs(report.share - 0.656) < 0.0005)
        #expect(report.warnings.filter { $0.contains("no district") }.count == 3)   // the three urban councils
    }

    @Test func planReaches85PercentWithTheFewestSmallAreas() throws {
        let report = try run(Self.smallAreas)
        let plan = report.plan
        #expect(plan.provenOptimal)
        #expect(report.coveredArea + plan.addedArea >= 0.85 * report.denominator)
        // Fewest: no smaller number of the largest uncovered areas reaches the gap.
        let largest = report.uncovered.map { report.districts[$0].areaM2 }.sorted(by: >)
        let fewest = largest.indices.first { largest[...$0].reduce(0, +) >= report.gapArea }! + 1
        #expect(plan.additions.count == fewest)
        // Every addition touches its council directly or through other additions.
        let byCouncil = Dictionary(grouping: plan.additions, by: \.council)
        for (council, members) in byCouncil where members[0].joinsExisting {
            let group = Set(members.map(\.district))
            for component in report.graph.components(of: group) {
                #expect(component.contains { i in report.graph.neighbours(i).contains { report.councilOf[$0] == council } })
            }
        }
    }

    @Test func hamletLayerGivesTheHamletShares() throws {
        let hamlets = try PlanningDistricts.load(try VectorReader.read(nagato("hamlets_2014_synthetic.geojson")))
        #expect(hamlets.districts.count == 225)
        let report = try run(hamlets)
        let shares = Dictionary(uniqueKeysWithValues: report.timeline.map { ($0.fiscalYear, ($0.share * 1000).rounded() / 10) })
        #expect(shares == [2013: 33.1, 2014: 36.7, 2015: 50.6, 2016: 66.3])
        #expect(report.councils.first { $0.name == "湊地区まちづくり協議会" }!.members.count > 0)
    }

    @Test func councilPolygonsGiveTheSameMembershipByOverlay() throws {
        let report = try run(Self.smallAreas)
        let layer = try report.councilLayer(crs: Self.smallAreas.crs)
        let dir = try temporaryDirectory()
        try VectorWriter.write(layer, to: "\(dir)/councils.geojson")
        let overlay = try CouncilOverlay.membership(
            polygons: try VectorReader.read("\(dir)/councils.geojson"), nameField: "council", yearField: "fiscal_year",
            districts: Self.smallAreas.districts, planarCRS: Self.smallAreas.zone.crs(.jgd2000))
        let mapped = try CoverageInputs.membership(Self.councils, districtIDs: Self.smallAreas.districts.map(\.id))
        #expect(overlay.membership == mapped)
        #expect(overlay.councils.count == 7)
    }

    @Test func overlappingCouncilPolygonsAreAnError() throws {
        let crs = CRS.jgd2000
        let square = { (x: Double) in
            Geometry.polygon(Polygon(exterior: [Coordinate(x, 34.3), Coordinate(x + 0.05, 34.3), Coordinate(x + 0.05, 34.35),
                                                Coordinate(x, 34.35), Coordinate(x, 34.3)]))
        }
        let layer = Layer(name: "c", crs: crs, fields: [Field("name", .string)], features: [
            Feature(geometry: square(131.1), values: [.string("A")]),
            Feature(geometry: square(131.12), values: [.string("B")]),
        ])
        let dir = try temporaryDirectory()
        try VectorWriter.write(layer, to: "\(dir)/c.geojson")
        let error = #expect(throws: DataError.self) {
            try CouncilOverlay.membership(polygons: try VectorReader.read("\(dir)/c.geojson"), nameField: "name",
                                          yearField: "fiscal_year", districts: Self.smallAreas.districts,
                                          planarCRS: Self.smallAreas.zone.crs(.jgd2000))
        }
        #expect(error?.message.contains("overlaps A") == true)
        #expect(error?.record == 2)
    }

    @Test func councilPolygonWithoutAreaIsAnError() throws {
        // Out and back along one segment: no area in any projection.
        let flat = Geometry.polygon(Polygon(exterior: [Coordinate(131.1, 34.3), Coordinate(131.2, 34.35),
                                                       Coordinate(131.2, 34.35), Coordinate(131.1, 34.3)]))
        let layer = Layer(name: "c", crs: .jgd2000, fields: [Field("name", .string)],
                          features: [Feature(geometry: flat, values: [.string("A")])])
        let dir = try temporaryDirectory()
        try VectorWriter.write(layer, to: "\(dir)/flat.geojson")
        let error = #expect(throws: DataError.self) {
            try CouncilOverlay.membership(polygons: try VectorReader.read("\(dir)/flat.geojson"), nameField: "name",
                                          yearField: "fiscal_year", districts: Self.smallAreas.districts,
                                          planarCRS: Self.smallAreas.zone.crs(.jgd2000))
        }
        #expect(error?.message.contains("has no area") == true)
        #expect(error?.record == 1)
    }

    @Test func unknownIdAndDoubleMembershipAreErrors() throws {
        let ids = Self.smallAreas.districts.map(\.id)
        let unknown = CouncilMap(path: "m.json", councils: [Council(name: "X", keyCodes: ["352119999"])], target: nil)
        let e1 = #expect(throws: DataError.self) { try CoverageInputs.membership(unknown, districtIDs: ids) }
        #expect(e1?.message.contains("unknown small area 352119999") == true)
        let twice = CouncilMap(path: "m.json", councils: [Council(name: "A", keyCodes: ["352110010"]),
                                                          Council(name: "B", keyCodes: ["352110010"])], target: nil)
        let e2 = #expect(throws: DataError.self) { try CoverageInputs.membership(twice, districtIDs: ids) }
        #expect(e2?.record == 2 && e2?.message.contains("in both A and B") == true)
    }

    @Test func outputsAreDeterministicAndStyled() throws {
        let report = try run(Self.smallAreas)
        let a = try report.summaryJSON(), b = try report.summaryJSON()
        #expect(a == b)
        let dir = try temporaryDirectory()
        try VectorWriter.write(report.districtLayer(crs: Self.smallAreas.crs), to: "\(dir)/coverage.geojson")
        let back = try VectorReader.read("\(dir)/coverage.geojson").layer
        #expect(back.features.count == 27)
        let fills = Set(back.features.map { back.value($0, "fill").stringValue ?? "" })
        // Covered districts by the fiscal year their council began (FY2013 darkest), then the plan.
        #expect(fills == Set(Palette.coverageYears.prefix(4) + [Palette.joinsCouncil, Palette.notReached]))
        #expect(report.districtStyle.legend.map(\.label) == ["council since FY2013", "council since FY2014", "council since FY2015",
                                                               "council since FY2016", "plan: joins a council", "plan: new council", "not covered"])
        #expect(back.features.filter { back.value($0, "covered").intValue == 1 }.count == 17)
    }
}
