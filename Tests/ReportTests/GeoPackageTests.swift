import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore
import GeoIO
import Report
import TestSupport
import Testing

/// The run's GeoPackage: every layer, each with its QGIS style, checked in QGIS itself.
@Suite struct GeoPackageTests {
    /// QGIS (Debian python3-qgis, installed by `make test` and .ci/run) opens the demo's layers
    /// from the GeoPackage alone and finds the styles chiiki means: renderer, field, class
    /// bounds or values, colours, labels. Never skipped: without QGIS this fails.
    @Test func everyLayerOpensInQGISWithItsStyle() throws {
        let content = try ReportStudyTests.nagatoContent()
        let layers = try content.layers()
        #expect(layers.map(\.name) == ["small_areas", "hamlets", "coverage", "councils", "merge_scenario_01", "merge_scenario_02",
                                       "merge_proposal", "merge_regions", "projection_hamlets", "transit_gap", "proposed_stops",
                                       "routes", "route_legs", "hubs", "hub_assignments", "hub_assignment_lines", "hub_candidates",
                                       "hub_catchments"])
        let dir = try TemporaryDirectory()
        let gpkg = dir.file("nagato.gpkg")
        try GeoPackage.write(layers, to: gpkg)
        try JSONSerialization.data(withJSONObject: Self.expectations(layers), options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: dir.file("expected.json")))
        let pictures = ProcessInfo.processInfo.environment["CHIIKI_RECORD_DOCS"] != nil ? Repository.path("docs/qgis") : dir.file("png")
        let run = try Self.run("/usr/bin/python3", [Repository.path("Tests/qgis/check_styles.py"), gpkg, dir.file("expected.json"), pictures])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("\(layers.count) passed, 0 failed"), "\(run.output)")
    }

    /// What QGIS must find for each layer, from the styles chiiki attached.
    static func expectations(_ layers: [Layer]) -> [String: Any] {
        var all: [String: Any] = [:]
        for layer in layers {
            guard let style = layer.style else { continue }
            var want: [String: Any] = [:]
            switch style.renderer {
            case .single(let colour, _):
                want = ["renderer": "singleSymbol", "classes": [["colour": colour]]]
            case .graduated(let field, let classes, let noData):
                want = ["renderer": "graduatedSymbol", "field": field,
                        "classes": [["lower": -1.0, "colour": noData.colour]] + classes.map { ["lower": $0.lower, "colour": $0.colour] }]
            case .categorized(let field, let classes, let other):
                want = ["renderer": "categorizedSymbol", "field": field,
                        "classes": (classes + (other.map { [$0] } ?? [])).map { c -> [String: Any] in
                            c.value.map { ["value": $0, "colour": c.colour] } ?? ["colour": c.colour]
                        }]
            }
            if let label = style.labelField { want["label"] = label }
            if let width = style.widthField { want["width_field"] = width }
            all[layer.name] = want
        }
        return all
    }

    @Test func sameLayersSameBytes() throws {
        let layers = try ReportStudyTests.nagatoContent().layers()
        let dir = try TemporaryDirectory()
        try GeoPackage.write(layers, to: dir.file("a.gpkg"))
        try GeoPackage.write(layers, to: dir.file("b.gpkg"))
        #expect(try dir.data("a.gpkg") == dir.data("b.gpkg"))
        // Written again over itself: replaced whole, still the same bytes.
        try GeoPackage.write(layers, to: dir.file("a.gpkg"))
        #expect(try dir.data("a.gpkg") == dir.data("b.gpkg"))
    }

    /// A .gpkg path that holds something else is kept, with a one-line error naming it.
    @Test func anotherKindOfFileIsKept() throws {
        let dir = try TemporaryDirectory()
        let layer = Layer(name: "points", crs: .wgs84, fields: [Field("name", .string)],
                          features: [Feature(geometry: .point(Coordinate(131.18, 34.37)), values: [.string("長門")])])
        let text = dir.file("notes.gpkg")
        try Data("minutes of the council meeting\n".utf8).write(to: URL(fileURLWithPath: text))
        #expect { try GeoPackage.write([layer], to: text) } throws: { "\($0)".contains("is not a GeoPackage: it is kept") }
        #expect(try dir.data("notes.gpkg") == Data("minutes of the council meeting\n".utf8))

        try GeoPackage.write([layer], to: dir.file("kept.gpkg"))
        let before = try dir.data("kept.gpkg")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dir.file("kept.gpkg"))
        #expect { try GeoPackage.write([layer, Layer(name: "more", crs: .wgs84, fields: [])], to: dir.file("kept.gpkg")) } throws: {
            "\($0)".contains("is read-only: it is kept")
        }
        #expect(try dir.data("kept.gpkg") == before)

        let folder = dir.file("folder.gpkg")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        #expect { try GeoPackage.write([layer], to: folder) } throws: { "\($0)".contains("is a folder") }

        #expect { try GeoPackage.write([layer], to: dir.file("out.geojson")) } throws: { "\($0)".contains("ends in .gpkg") }
        #expect { try GeoPackage.write([layer, layer], to: dir.file("twice.gpkg")) } throws: { "\($0)".contains("two layers named 'points'") }
        #expect(try dir.contents().sorted() == ["folder.gpkg", "kept.gpkg", "notes.gpkg"], "nothing else written, no temporary left")
    }

    /// The GSI basemap only when asked: tiles from GSI with their attribution; the default page
    /// loads nothing from the network, not even in its script.
    @Test func gsiTilesOnlyWithTheBasemapOption() throws {
        var content = try ReportStudyTests.nagatoContent()
        let plain = try HTMLReport.document(content).html
        #expect(!plain.contains("cyberjapandata.gsi.go.jp") && !plain.contains("L.tileLayer("))
        content.basemap = .gsi
        let gsi = try HTMLReport.document(content).html
        #expect(gsi.contains("L.tileLayer('https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png'"))
        #expect(gsi.contains("地理院タイル"))
        #expect(gsi.contains("Background: GSI tiles"))
    }

    /// Names from the data stay data in the QML: labels and category values are escaped.
    @Test func qmlEscapesNamesFromTheData() throws {
        let hostile = "<script>alert(\"x\")</script> & 'y'\n\u{202E}"
        let style = LayerStyle(.fill, .categorized(field: "name", classes: [.category(hostile, "#ff0000", hostile)], other: nil),
                               labelField: "name")
        let qml = QGISStyle.qml(style)
        #expect(!qml.contains("<script>"))
        #expect(XMLParser(data: Data(qml.utf8)).parse(), "QML is not well-formed")
        #expect(QGISStyle.sld(LayerStyle(.marker, .single(colour: "#000000", label: hostile)), layerName: hostile).map {
            XMLParser(data: Data($0.utf8)).parse()
        } == true)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
