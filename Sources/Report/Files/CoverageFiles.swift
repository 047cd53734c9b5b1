import Foundation
import GeoCore
import GeoEngine
import GeoIO
import Planning

extension CoverageStudy {
    /// The districts (by the fiscal year their council began, and the plan) and the councils, styled.
    public func layers() throws -> [Layer] {
        [report.districtLayer(crs: crs), try report.councilLayer(crs: crs, engine: GeometryEngine())]
    }

    /// Writes `files` into `folder` (created if missing; every path checked first) and returns their paths.
    @discardableResult
    public func write(to folder: String, excel: Bool = false, progress: (String) -> Void = { _ in }) throws -> [String] {
        progress("writing \(Self.files.map { "\(folder)/\($0)" }.joined(separator: ", "))")
        let layers = try self.layers()
        let title = "Council coverage: " + URL(fileURLWithPath: source).lastPathComponent
        let page = try HTMLReport.coverage(report, title: title, frame: (crs, planarCRS))
        return try OutputFolder.write(folder, files: Self.files) { folder in
            let paths = Self.files.map { "\(folder)/\($0)" }
            try VectorWriter.write(layers[0], to: paths[0])
            try VectorWriter.write(layers[1], to: paths[1])
            try AtomicOutput.write(try report.summaryJSON(), to: paths[2])
            try report.councilTable().write(to: paths[3], excel: excel)
            try AtomicOutput.write(Array(page.utf8), to: paths[4])
        }
    }
}

extension HubStudy {
    /// The files `write(to:)` puts in its folder.
    public static let files = ["hubs.geojson", "hub_assignments.geojson", "hub_assignment_lines.geojson", "hub_candidates.geojson",
                               "hubs_summary.json", "hubs_summary.csv", "hubs.html"]

    /// Writes `files` into `folder` (created if missing; every path checked first) and returns their paths.
    @discardableResult
    public func write(to folder: String, excel: Bool = false, progress: (String) -> Void = { _ in }) throws -> [String] {
        progress("writing \(Self.files.map { "\(folder)/\($0)" }.joined(separator: ", "))")
        let title = "Hub sites: " + URL(fileURLWithPath: options.demand).lastPathComponent
        return try OutputFolder.write(folder, files: Self.files) { folder in
            let paths = Self.files.map { "\(folder)/\($0)" }
            try VectorWriter.write(hubLayer(), to: paths[0])
            try VectorWriter.write(assignmentLayer(), to: paths[1])
            try VectorWriter.write(assignmentLineLayer(), to: paths[2])
            try VectorWriter.write(candidateLayer(), to: paths[3])
            try AtomicOutput.write(try summaryJSON(), to: paths[4])
            try siteTable().write(to: paths[5], excel: excel)
            try AtomicOutput.write(Array(HTMLReport.hubs(self, title: title).utf8), to: paths[6])
        }
    }
}
