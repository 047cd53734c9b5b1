import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import Testing

/// Names from the data are data: a hamlet called `<script>…</script>` with a right-to-left
/// override, quotes and a newline, and one called `=HYPERLINK(…)`, pass through every output
/// as text — escaped in HTML and SVG, exact in GeoJSON, CSV cells a spreadsheet will not run.
@Suite struct HostileNameTests {
    static let hamlets = Repository.path("Tests/Hostile/corpus/hamlets_hostile_name.geojson")
    static let script = "<script>alert('通')</script>\u{202E}&\"\n"
    static let formula = "=HYPERLINK(\"http://example.invalid\",\"通2区\")"

    @Test func reportAndSVGsKeepThemAsText() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(["report", "--boundaries", CLITests.boundaries, "--census", CLITests.census, "--hamlets", Self.hamlets,
                               "--councils", CLITests.councils, "-o", dir.path, "-q"])
        try #require(run.status == 0, "\(run)")
        let html = String(decoding: try dir.data("index.html"), as: UTF8.self)
        #expect(!html.contains("<script>alert("), "the name became markup")
        #expect(html.contains("&lt;script&gt;alert(&#39;通&#39;)&lt;/script&gt;[U+202E]&amp;&quot;"), "the name is shown escaped")
        #expect(html.contains("\\u003cscript>alert('通')\\u003c/script>"), "the interactive map's data keeps it as a JSON string")
        #expect(!html.contains("\u{202E}"), "no raw right-to-left override in the page")
        for name in try dir.contents() where name.hasSuffix(".svg") {
            let svg = try dir.data(name)
            #expect(XMLParser(data: svg).parse(), "\(name) is not well-formed")
            #expect(!String(decoding: svg, as: UTF8.self).contains("<script"), "\(name) holds a script element")
        }
    }

    @Test func geoJSONAndCSVKeepThemExactly() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(CLITests.agingArguments(hamlets: Self.hamlets, output: dir.file("aging.geojson")) + ["-q"])
        try #require(run.status == 0, "\(run)")
        let names = try geoJSONFeatures(dir.file("aging_hamlets.geojson")).compactMap { property($0, "name") as? String }
        #expect(names.contains(Self.script))
        #expect(names.contains(Self.formula))

        let csv = try CLI.run(CLITests.agingArguments(hamlets: Self.hamlets, output: dir.file("aging.csv")) + ["-q"])
        try #require(csv.status == 0, "\(csv)")
        let text = String(decoding: try dir.data("aging_hamlets.csv"), as: UTF8.self)
        // RFC 4180: the newline and quotes inside one quoted cell; the formula defused with an apostrophe.
        #expect(text.contains("\"<script>alert('通')</script>\u{202E}&\"\"\n\""))
        #expect(text.contains("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"通2区\"\")\""))
    }
}
