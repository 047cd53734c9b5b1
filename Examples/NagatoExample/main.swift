// A coverage plan and a hub study from Swift: the toolkit without the command line.
// Run from the repository root: swift run NagatoExample [geodata/nagato]
import ChiikiKit

let data = CommandLine.arguments.dropFirst().first ?? "geodata/nagato"

// One study area, loaded once: small areas, census ages and the councils of March 2017.
let area = try StudyArea.load(StudyAreaSources(boundaries: "\(data)/h27ka35211.shp",
                                               census: "\(data)/census_age_2015_synthetic.csv",
                                               councils: "\(data)/councils_2017.json"))

// Council coverage against the 85 % target, and the fewest districts to add (CBC).
let coverage = try CoverageStudy.run(area).report
print("covered \(TextFormat.percent(coverage.share)); adding \(coverage.plan.additions.count) districts reaches "
      + TextFormat.percent((coverage.coveredArea + coverage.plan.addedArea) / coverage.denominator))

// Five small hubs (小さな拠点) serving the most people aged 65+ within 3 km.
let hubs = try HubStudy.run(area, options: HubStudyOptions(model: .mclp(radius: 3_000, p: 5)))
print("5 hubs reach \(TextFormat.percent(hubs.coveredWeight! / hubs.totalWeight)) of the aged within 3 km: "
      + hubs.solution.open.map { hubs.candidates[$0].name }.joined(separator: ", "))
