import Testing
import GeoCore
@testable import Demography

/// The facts geodata/nagato/README.md and the 2nd Nagato Collaboration Action Plan state.
@Suite struct NagatoSampleTests {
    let sample = nagatoSample

    @Test func boundariesDissolveTo27SmallAreas() {
        #expect(sample.load.records == 46)
        #expect(sample.load.districts.count == 27)
        #expect(sample.load.encoding == .cp932)
        #expect(sample.load.totalPopulation == 35_439)
        #expect(sample.load.districts.compactMap(\.figures?.households).reduce(0, +) == 14_666)
        #expect(sample.load.repaired.isEmpty)
        #expect(sample.load.zones.map(\.number) == [3])
        // AREA sums to 356.95 km² (the polygons' planar area in zone III).
        #expect(abs(sample.load.totalArea / 1e6 - 356.95) < 0.005)
        #expect(sample.load.districts.contains { $0.name == "仙崎" && $0.cityName == "長門市" })
    }

    @Test func censusJoinSeparatesHierarchyAndSuppression() throws {
        let join = sample.join
        #expect(join.matched == 27)
        #expect(join.hierarchyRows == 1)
        #expect(join.unmatchedCensusKeys.isEmpty && join.unmatchedBoundaryKeys.isEmpty)
        #expect(join.areas["352110170"] == .countedIn("352110130"))
        guard case .counted(let host, let absorbs) = try #require(join.areas["352110130"]) else {
            Issue.record("日置上 should be counted"); return
        }
        #expect(host.population == 2_621)
        #expect(absorbs == ["352110170"])
        // 日置上 counts 蔵小田's households with its people: 2,616 + 5 people, so SETAI too.
        let setai = Dictionary(uniqueKeysWithValues: sample.load.districts.map { ($0.id, $0.figures!.households!) })
        #expect(host.households == setai["352110130"]! + setai["352110170"]!)
    }

    @Test func cityAgingRateIsThePublished39Point7() throws {
        let city = sample.join.total
        #expect(city.population == 35_439)
        #expect(city.aged == 14_069)
        #expect(city.unknownAge == 5)
        #expect(sample.join.municipalityTotals["35211"]?.population == 35_439)
        let rate = try #require(city.rate)
        #expect((rate * 1000).rounded() / 10 == 39.7)
        #expect((Double(city.aged) / Double(city.population) * 1000).rounded() / 10 == 39.7)
    }

    @Test func hamletClassesMatchThePlans2014Counts() throws {
        let study = try AgingStudy.run(districts: sample.load, census: sample.join, hamlets: sample.hamlets)
        #expect(study.hamlets.count == 225)
        #expect(study.count(study.hamlets, .marginal) == 56)
        #expect(study.count(study.hamlets, .smallAndAged) == 16)
        #expect(study.count(study.hamlets, .support) == 98)
        #expect(study.hamlets.filter { ($0.figures?.households ?? 99) <= 19 }.count == 32)
        // Per small area, hamlets add up to the census small area (README): population to JINKO.
        let byArea = Dictionary(grouping: sample.hamlets, by: \.keyCode).mapValues { $0.reduce(0) { $0 + $1.figures.population } }
        for d in sample.load.districts { #expect(byArea[d.id] == d.figures?.population, "\(d.id)") }
    }

    @Test func councilsAggregateTheirMembers() throws {
        let study = try AgingStudy.run(districts: sample.load, census: sample.join, hamlets: sample.hamlets,
                                       councils: sample.councils)
        #expect(study.councils.count == 10)
        #expect(sample.councils.target == 0.85)
        let tori = try #require(study.councils.first { $0.council.name == "通まちづくり協議会" })
        #expect(tori.basis == "hamlets" && tori.members == 10)
        // The sample gives council areas their council's published aging rate.
        #expect(abs(tori.figures.rate! - tori.council.published!.rate!) < 0.0005)
        // Members of a council are marked on the units.
        #expect(study.hamlets.filter { $0.council == "通まちづくり協議会" }.count == 10)
        #expect(study.areas.first { $0.id == "352110010" }?.council == "通まちづくり協議会")
    }

    @Test func smallAreasWithoutHamletsUseCensusAndKeepStatus() throws {
        let study = try AgingStudy.run(districts: sample.load, census: sample.join, councils: sample.councils)
        let kuraoda = try #require(study.areas.first { $0.id == "352110170" })
        #expect(kuraoda.figures == nil && kuraoda.status == "counted in 352110130")
        // Without hamlets, councils fall back to small areas; the three urban ones have none.
        let minato = try #require(study.councils.first { $0.council.name == "湊地区まちづくり協議会" })
        #expect(minato.basis == "small areas" && minato.members == 0)
    }
}
