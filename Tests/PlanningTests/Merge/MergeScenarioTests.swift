import Foundation
import Testing
import TestSupport
import Demography
import GeoCore
import GeoIO
@testable import Planning

/// The Nagato sample's hamlets as a merge layer, loaded once.
enum NagatoHamlets {
    static let path = nagato("hamlets_2014_synthetic.geojson")
    static let loaded = try! PlanningDistricts.load(try! VectorReader.read(path))
    static let layer = try! MergeLayer(loaded.districts, planarCRS: loaded.planarCRS, source: path)

    /// The sample's own attributes, read without chiiki's loaders: id → (households, population, aged).
    static let attributes: [String: (households: Int, population: Int, aged: Int)] = {
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var out: [String: (Int, Int, Int)] = [:]
        for f in json["features"] as! [[String: Any]] {
            let p = f["properties"] as! [String: Any]
            out[p["hamlet_id"] as! String] = (p["households"] as! Int, p["population"] as! Int, p["aged_65_plus"] as! Int)
        }
        return out
    }()
}

func scenarioFixture(_ name: String) -> String { Repository.path("Tests/PlanningTests/Fixtures/scenarios/\(name)") }

@Suite("merge scenarios")
struct MergeScenarioTests {
    let layer = NagatoHamlets.layer

    @Test func baselineMatchesThePlan() {
        // The plan's October 2014 figures, which the sample is calibrated to (geodata/nagato/README.md).
        #expect(layer.baseline == ClassCounts(units: 225, marginal: 56, support: 98, smallAndAged: 16))
    }

    @Test func yamlAndJSONReadTheSame() throws {
        let yaml = try MergeScenarioFile.read(Repository.nagato("merge_scenarios_example.yaml"))
        let json = try MergeScenarioFile.read(scenarioFixture("example.json"))
        #expect(yaml.map(\.name) == json.map(\.name))
        #expect(yaml.map { $0.merges.map(\.name) } == json.map { $0.merges.map(\.name) })
        #expect(yaml.map { $0.merges.map(\.ids) } == json.map { $0.merges.map(\.ids) })
        #expect(yaml.count == 2)
    }

    @Test func mergedFiguresAreTheMembersSums() throws {
        let scenarios = try MergeScenarioFile.read(Repository.nagato("merge_scenarios_example.yaml"))
        for scenario in scenarios {
            let result = try layer.evaluate(scenario, file: "example")
            #expect(result.units.count == 225 - scenario.merges.reduce(0) { $0 + $1.ids.count - 1 })
            for merge in scenario.merges {
                let unit = try #require(result.units.first { $0.id == merge.name })
                let expected = merge.ids.map { NagatoHamlets.attributes[$0]! }
                #expect(unit.figures.households == expected.reduce(0) { $0 + $1.households })
                #expect(unit.figures.population == expected.reduce(0) { $0 + $1.population })
                #expect(unit.figures.aged == expected.reduce(0) { $0 + $1.aged })
                #expect(unit.contiguity == .borders)
            }
            // The after counts, recounted from the sample's attributes with the plan's thresholds.
            let merged = Set(scenario.merges.flatMap(\.ids))
            var units = NagatoHamlets.attributes.filter { !merged.contains($0.key) }.map(\.value)
            for merge in scenario.merges {
                let m = merge.ids.map { NagatoHamlets.attributes[$0]! }
                units.append((m.reduce(0) { $0 + $1.households }, m.reduce(0) { $0 + $1.population }, m.reduce(0) { $0 + $1.aged }))
            }
            let rate = { (u: (households: Int, population: Int, aged: Int)) in Double(u.aged) / Double(u.population) }
            #expect(result.after.marginal == units.filter { rate($0) >= 0.5 }.count)
            #expect(result.after.support == units.filter { rate($0) >= 0.45 }.count)
            #expect(result.after.smallAndAged == units.filter { rate($0) >= 0.5 && $0.households <= 19 }.count)
        }
    }

    @Test func disjointMergeNeedsConsent() throws {
        let allowed = try MergeScenarioFile.read(scenarioFixture("disjoint_allowed.yaml"))
        let result = try layer.evaluate(allowed[0], file: "f")
        #expect(result.merges.map(\.contiguity) == [.disjoint])
    }

    /// Each bad scenario file gives one error naming the file, the line, the scenario or merge,
    /// and the ids at fault.
    @Test(arguments: [
        ("unknown_ids.yaml", "unknown ids 352110010-99, 999"),
        ("hamlet_twice.yaml", "352110010-04 is already in merge A"),
        ("empty_merge.yaml", "empty merge"),
        ("single_hamlet.yaml", "352110010-04 alone is not a merge"),
        ("not_contiguous.yaml", "not contiguous: 2 separate parts (352110010-04, 352110010-06 | 352110270-08)"),
        ("duplicate_names.yaml", "the name is used by another merge"),
        ("no_merges.yaml", "scenario nothing: no merges"),
        ("unknown_key.yaml", "unknown key 'allow_disjiont'"),
        ("not_yaml.yaml", "not valid YAML or JSON"),
    ])
    func badScenarioFiles(file: String, message: String) throws {
        let path = scenarioFixture(file)
        let error = #expect(throws: DataError.self) {
            for s in try MergeScenarioFile.read(path) { _ = try layer.evaluate(s, file: path) }
        }
        #expect(error?.file == path)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        if file != "not_yaml.yaml" { #expect(error?.field?.hasPrefix("line ") == true) }
    }
}
