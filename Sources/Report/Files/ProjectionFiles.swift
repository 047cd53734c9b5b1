import Demography
import Foundation
import GeoCore
import GeoIO

extension ProjectionStudy {
    /// The files `write(to:)` puts in its folder (the hamlets' layer only with hamlets).
    public var files: [String] {
        ["projection.csv", "projection_hamlets.csv", "projection_city.csv"]
            + (hamlets.isEmpty ? [] : ["projection_hamlets.geojson"]) + ["projection.html"]
    }

    /// The hamlets with the year each first reaches 50 % and is first small and aged, their rate
    /// in every year, styled by that year for geojson.io.
    public func hamletLayer() -> Layer {
        let years = projection.years
        var columns: [Column<HamletProjection>] = [
            .string("id") { $0.hamlet.id },
            .string("name") { $0.hamlet.name },
            .string("key_code") { $0.hamlet.keyCode },
            .integer("first_year_50") { firstYears($0).aged50 },
            .integer("first_year_small_and_aged") { firstYears($0).smallAndAged },
        ]
        for (y, year) in years.enumerated() {
            columns.append(.real("aging_rate_\(year)", digits: 4) { rates($0)[y] })
        }
        return Layer(name: "projection_hamlets", crs: hamletFrame?.source ?? .wgs84, rows: hamlets, geometry: \.hamlet.geometry,
                     columns: columns).styled(firstYearStyle)
    }

    /// Units by the year they first reach 50 % (Palette.projectionYears: darkest for the base year).
    public var firstYearStyle: LayerStyle {
        let years = projection.years
        let classes = years.enumerated().map { k, year in
            LayerStyle.Class.category(String(year), Palette.projectionYears[min(k, Palette.projectionYears.count - 1)],
                                      k == 0 ? "already (\(year))" : "from \(year)")
        }
        return LayerStyle(.fill, .categorized(field: "first_year_50", classes: classes,
                                              other: .category(nil, Palette.notReached, "not by \(years.last!)")),
                          opacity: 0.8, labelField: "name", labelScale: 50_000)
    }

    /// Writes `files` into `folder` (created if missing; every path checked first) and returns their paths.
    @discardableResult
    public func write(to folder: String, excel: Bool = false, progress: (String) -> Void = { _ in }) throws -> [String] {
        progress("writing \(files.count) files into \(folder)")
        let page = try HTMLReport.projection(self, title: "Aging projection \(projection.years.first!)–\(projection.years.last!)")
        return try OutputFolder.write(folder, files: files, replacing: { $0 == "projection_hamlets.geojson" }) { folder in
            try areaTable().write(to: "\(folder)/projection.csv", excel: excel)
            try hamletTable().write(to: "\(folder)/projection_hamlets.csv", excel: excel)
            try cityTable().write(to: "\(folder)/projection_city.csv", excel: excel)
            if !hamlets.isEmpty { try VectorWriter.write(hamletLayer(), to: "\(folder)/projection_hamlets.geojson") }
            try AtomicOutput.write(Array(page.html.utf8), to: "\(folder)/projection.html")
        }
    }
}
