import Demography
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import TestSupport
import Testing

/// What `chiiki project` writes: the tables, the hamlets' layer and the page with its figures.
@Suite struct ProjectionReportTests {
    @Test func sampleOutputs() throws {
        var sources = ProjectionSources(census: Repository.nagato("census_age_2015_synthetic.csv"),
                                        previous: Repository.nagato("census_age_2010_synthetic.csv"))
        sources.hamlets = Repository.nagato("hamlets_2014_synthetic.geojson")
        let study = try ProjectionStudy.run(sources, options: ProjectionOptions(baseYear: 2015, horizon: 2045))
        let dir = try TemporaryDirectory()
        try study.write(to: dir.path)
        #expect(Set(try dir.contents()) == Set(study.files))
        // 225 hamlets × 7 years; the base year's figures are the layer's own.
        let rows = String(decoding: try dir.data("projection_hamlets.csv"), as: UTF8.self).split(separator: "\r\n")
        #expect(rows.count == 1 + 225 * 7)
        let base = study.hamlets.filter { h in (study.rates(h)[0] ?? 0) >= 0.5 }.count
        #expect(base == 56, "the sample's 56 hamlets at ≥ 50 % in the base year")
        // The layer's first year at ≥ 50 % agrees with the rates.
        let layer = try JSONSerialization.jsonObject(with: try dir.data("projection_hamlets.geojson")) as! [String: Any]
        let features = layer["features"] as! [[String: Any]]
        #expect(features.count == 225)
        for (h, f) in zip(study.hamlets, features) {
            let properties = f["properties"] as! [String: Any]
            let rates = study.rates(h)
            let expected = zip(study.projection.years, rates).first { ($0.1 ?? 0) >= 0.5 }?.0
            #expect(properties["first_year_50"] as? Int == expected, "\(h.hamlet.id)")
        }
        let page = try HTMLReport.projection(study, title: "t")
        #expect(page.figures.map(\.name) == ["map_projection_hamlets.svg", "chart_projection_pyramid.svg"])
        for figure in page.figures { #expect(XMLParser(data: Data(figure.svg.utf8)).parse(), "\(figure.name)") }
        #expect(page.html.contains("56 → "))
    }
}
