import ArgumentParser
import GeoCore
import GeoIO

/// `--gpkg FILE` beside a folder output: the run's layers, styled for QGIS, in one GeoPackage.
struct GeoPackageOption: ParsableArguments {
    @Option(help: "Also write the run's layers, styled for QGIS, into this GeoPackage (.gpkg).")
    var gpkg: String?

    /// Before the work: the path takes a GeoPackage (an existing file of another kind is kept).
    func check() throws {
        if let gpkg { try GeoPackage.checkWritable(gpkg) }
    }

    /// Writes the layers when asked; returns the path written, if any.
    func write(_ layers: () throws -> [Layer], console: Console) throws -> [String] {
        guard let gpkg else { return [] }
        console.progress("writing \(gpkg)")
        try GeoPackage.write(try layers(), to: gpkg)
        return [gpkg]
    }
}
