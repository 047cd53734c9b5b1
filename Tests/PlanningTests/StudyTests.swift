import Demography
import Foundation
import GeoCore
import GeoEngine
import GeoIO
@testable import Planning
import TestSupport
import Testing

/// The studies run from Swift as a library user runs them, on the Nagato sample: one study
/// area, loaded once, handed to coverage, mergers, hubs and taxis.
enum NagatoArea {
    static let sources = StudyAreaSources(boundaries: nagato("h27ka35211.shp"), census: nagato("census_age_2015_synthetic.csv"),
                                          hamlets: nagato("hamlets_2014_synthetic.geojson"), councils: nagato("councils_2017.json"),
                                          outline: nagato("outline_n03.geojson"))
    /// Small areas, census, hamlets, councils and outline.
    static let full = Result { try StudyArea.load(sources) }
    /// The small areas and the census only.
    static let smallAreas = Result { try StudyArea.load(StudyAreaSources(boundaries: nagato("h27ka35211.shp"),
                                                                         census: nagato("census_age_2015_synthetic.csv"))) }
}

@Suite struct StudyAreaTests {
    @Test func loadsEveryLayerOnceAndJoinsTheCensus() throws {
        let area = try NagatoArea.full.get()
        #expect(area.boundaries.districts.count == 27)
        #expect(area.districts.districts.count == 27)
        #expect(area.hamlets?.hamlets.count == 225)
        #expect(area.councils?.councils.count == 10)
        #expect(area.outline != nil)
        // The census is joined into the planning view: every small area it counts knows its people aged 65+.
        let counted = area.census!.join.areas.values.filter { if case .counted = $0 { true } else { false } }.count
        #expect(counted > 20)
        #expect(area.districts.districts.filter { $0.agedKnown }.count == counted)
        let aged = area.districts.districts.reduce(0) { $0 + ($1.figures?.aged ?? 0) }
        #expect(aged == 14_069)
    }

    /// Another metric re-measures the dissolved shapes; the result equals loading in that metric
    /// (to 1e-9 geodesic; equal-area to 1e-7, as its projection is centred on the shapes measured).
    @Test(arguments: [Metric.geodesic, .equalArea])
    func otherMetricsEqualALoadInThatMetric(_ metric: Metric) throws {
        var sources = StudyAreaSources(boundaries: nagato("h27ka35211.shp"))
        sources.metric = metric
        let area = try StudyArea.load(sources)
        let reference = try Districts.load(try VectorReader.read(nagato("h27ka35211.shp")), metric: metric)
        #expect(area.boundaries.metric == metric)
        for (a, b) in zip(area.boundaries.districts, reference.districts) {
            #expect(a.id == b.id)
            #expect(abs(a.areaM2 - b.areaM2) <= (metric == .geodesic ? 1e-9 : 1e-7) * b.areaM2, "\(a.id)")
            #expect(a.zone == b.zone)
        }
        // The planning view stays in the plane zone whatever the metric.
        let plane = try NagatoArea.smallAreas.get()
        #expect(area.districts.districts.map(\.areaM2) == plane.districts.districts.map(\.areaM2))
    }
}

@Suite struct CoverageStudyTests {
    @Test func nagatoReachesTheTargetWithAProvenPlan() throws {
        let study = try CoverageStudy.run(try NagatoArea.full.get())
        let r = study.report
        #expect(r.districts.count == 27)
        let fy2016 = try #require(r.timeline.first { $0.fiscalYear == 2016 })
        #expect(abs(fy2016.share - 0.6557) < 0.00005)
        #expect(r.plan.provenOptimal)
        #expect((r.coveredArea + r.plan.addedArea) / r.denominator >= 0.85)
        #expect(r.denominatorSource.hasPrefix("the sum of the 27 districts' areas"))
    }

    /// Councils given as polygons (the dissolved councils of a first run) give the same membership by overlay.
    @Test func councilPolygonsAndTheOutlineDenominator() throws {
        let first = try CoverageStudy.run(try NagatoArea.full.get())
        let dir = try TemporaryDirectory()
        try VectorWriter.write(try first.report.councilLayer(crs: first.crs), to: dir.file("councils.geojson"))
        var sources = NagatoArea.sources
        sources.councils = dir.file("councils.geojson")
        sources.councilName = "council"
        let area = try StudyArea.load(sources)
        let second = try CoverageStudy.run(area, denominator: .outline)
        #expect(second.report.councilOf == first.report.councilOf)
        #expect(second.report.denominatorSource.hasPrefix("the outline"))
        #expect(second.report.warnings.contains("outline is in WGS 84 (EPSG:4326), districts in JGD2000 (EPSG:4612): outline transformed"))
    }

    @Test func missingInputsAreParameterErrors() throws {
        #expect(throws: ParameterError("councils", "coverage needs the councils (a mapping or polygons)")) {
            try CoverageStudy.run(try NagatoArea.smallAreas.get())
        }
        var options = CoverageOptions()
        options.target = 1.2
        #expect(throws: ParameterError.self) { try CoverageStudy.run(try NagatoArea.full.get(), options: options) }
    }
}

@Suite struct MergeStudyTests {
    @Test func scenariosProposalAndRegionsOnTheHamlets() throws {
        var options = MergeStudyOptions()
        options.scenarios = nagato("merge_scenarios_example.yaml")
        options.propose = true
        options.regions = RegionFloor("households:20")
        let study = try MergeStudy.run(try NagatoArea.full.get(), options: options)
        let b = study.units.baseline
        #expect((b.units, b.smallAndAged, b.marginal, b.support) == (225, 16, 56, 98))
        #expect(study.results.map(\.geojson) == ["scenario_01.geojson", "scenario_02.geojson", "proposal.geojson", "regions.geojson"])
        let proposal = try #require(study.proposal)
        #expect(proposal.scenario.merges.count == 15)
        #expect(proposal.outcomes.count == 16)
        #expect(proposal.scenario.units.count == 210)
        #expect(proposal.scenario.units.filter(\.isMerge).allSatisfy { ($0.figures.households ?? 0) >= 20 })
        #expect(proposal.scenario.units.reduce(0) { $0 + ($1.figures.households ?? 0) } == 14_666)
        let regions = try #require(study.regions)
        #expect(Set(regions.solution.labels).count == regions.solution.p)
        #expect(regions.solution.labels.count == 225)
        #expect(regions.solution.p <= regions.solution.upperBound)

        let dir = try TemporaryDirectory()
        try study.write(to: dir.path)
        #expect(Set(try dir.contents()) == Set(study.files))
    }

    @Test func mergingWithinCouncilsNeedsTheCouncils() throws {
        var options = MergeStudyOptions()
        options.propose = true
        options.within = .council
        let area = try StudyArea.load(StudyAreaSources(boundaries: nagato("hamlets_2014_synthetic.geojson")))
        #expect(throws: ParameterError.self) { try MergeStudy.run(area, options: options) }
    }
}

@Suite struct TaxiStudyTests {
    static func options(propose: Int? = nil) -> TaxiStudyOptions {
        var o = TaxiStudyOptions()
        o.busStops = [nagato("bus_stops_p11_synthetic.geojson")]
        o.stations = [nagato("stations_n02_synthetic.geojson")]
        o.propose = propose
        return o
    }

    @Test func gapProposalsAndRoutesOnTheHamlets() throws {
        var options = Self.options(propose: 10)
        options.hubs = nagato("taxi_hubs_synthetic.geojson")
        options.roads = nagato("main_roads_synthetic.geojson")
        let study = try TaxiStudy.run(try NagatoArea.full.get(), options: options)
        let gap = try #require(study.gap)
        #expect(study.districts.count == 225)
        #expect(gap.totals(study.districts).aged == 14_069)
        #expect(abs(gap.districts.reduce(0) { $0 + $1.aged } - gap.agedInGap) < 1e-6)
        #expect(gap.stopsOutside.map(\.point.label) == ["長門粟野 (record 7)"])
        #expect(study.proposal?.stops.count == 10)
        let routes = try #require(study.routes)
        #expect(routes.plan.unserved.isEmpty)
        #expect(routes.plan.routes.allSatisfy { $0.ride <= 45 * 60 + 1e-6 && $0.riders <= 9 })
        #expect(Set(routes.plan.routes.flatMap(\.stops)).count == 10)
        let dir = try TemporaryDirectory()
        try study.write(to: dir.path)
        #expect(Set(try dir.contents()) == Set(study.files))
    }

    /// Walking along the synthetic main roads reaches less than the straight line.
    @Test func walkingAlongRoadsLeavesMoreInTheGap() throws {
        let area = try NagatoArea.full.get()
        let straight = try TaxiStudy.run(area, options: Self.options())
        var options = Self.options()
        options.walk = .road
        options.roads = nagato("main_roads_synthetic.geojson")
        options.cell = 100
        let road = try TaxiStudy.run(area, options: options)
        #expect(road.gap!.agedInGap > straight.gap!.agedInGap)
    }

    @Test func inconsistentOptionsAreParameterErrors() throws {
        #expect(throws: ParameterError("hubs", "routing without a demand layer needs the hubs")) {
            try TaxiStudy.run(TaxiStudyOptions(), demand: nil)
        }
        var options = Self.options()
        options.walk = .road
        #expect(throws: ParameterError("walk", "walking along roads needs the road layer")) {
            try TaxiStudy.run(try NagatoArea.full.get(), options: options)
        }
    }
}

@Suite struct HubStudyAreaTests {
    /// From a study area, hubs serve its hamlets; without hamlets, its small areas with the census.
    @Test func demandFollowsTheArea() throws {
        let options = HubStudyOptions(model: .mclp(radius: 3_000, p: 5))
        let hamlets = try HubStudy.run(try NagatoArea.full.get(), options: options)
        #expect(hamlets.demand.count + hamlets.droppedZeroWeight == 225)
        let areas = try HubStudy.run(try NagatoArea.smallAreas.get(), options: options)
        #expect(areas.demand.count + areas.droppedZeroWeight == 27)
        #expect(abs(areas.totalWeight - 14_069) < 1e-6)
        #expect(hamlets.solution.open.count == 5)
    }
}
