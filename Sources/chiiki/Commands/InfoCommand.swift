import ArgumentParser
import GeoCore
import GeoEngine
import GeoIO

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a vector file: layers, CRS, features, encoding, fields, extent, invalid polygons.",
        discussion: """
        Examples:
          chiiki info geodata/nagato/h27ka35211.shp
          chiiki info boundaries.gpkg --layer h27ka35
        """)

    @Argument(help: "A Shapefile (.shp), GeoJSON, GeoPackage or PostGIS table (postgresql://…#schema.table).")
    var file: String

    @Option(help: "Layer name (default: the first).")
    var layer: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let read = try VectorReader.read(file, layer: layer, encoding: common.encoding)
            let l = read.layer
            let engine = GeometryEngine()
            var invalid = 0
            for f in l.features { if let g = f.geometry, try engine.invalidReason(g) != nil { invalid += 1 } }
            let console = Console(quiet: common.quiet)
            console.line("\(read.path)  [\(read.driver)]")
            console.row("layers", read.layerNames.joined(separator: ", "))
            console.row("layer", l.name)
            console.row("CRS", l.crs.description + (l.crs.isGeographic ? ", lon/lat degrees" : ", projected metres"))
            console.row("features", "\(l.features.count)")
            console.row("encoding", "\(read.encoding)" + (read.encodingDetected ? " (detected)" : " (given)"))
            let types = Dictionary(grouping: l.features.compactMap { $0.geometry?.typeName }, by: { $0 }).mapValues(\.count)
            console.row("geometries", types.keys.sorted().map { "\($0) \(types[$0]!)" }.joined(separator: ", "))
            console.row("invalid", "\(invalid)")
            if let b = l.boundingBox {
                console.row("extent", "x \(b.minX) … \(b.maxX), y \(b.minY) … \(b.maxY)")
            }
            console.row("fields", "")
            for (i, field) in l.fields.enumerated() {
                let sample = l.features.first.map { $0.values[i].description } ?? ""
                console.line("    \(field.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(field.type.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(sample)")
            }
        }
    }
}
