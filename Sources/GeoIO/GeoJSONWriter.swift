import Foundation
import GeoCore

/// RFC 7946 GeoJSON for lon/lat layers: counter-clockwise exteriors, clockwise holes, at most
/// 7 decimals, no `crs` member, one feature per line.
///
/// Why not GDAL's GeoJSON driver: on the 2,504 Tottori small areas it spent over a second in
/// printf formatting 500,000 doubles, several times the rest of `chiiki districts`. The output
/// is read back with GDAL in the tests, so GDAL still judges it. Projected layers, which need a
/// transform to WGS 84, go through GDAL's driver (RFC7946=YES).
public enum GeoJSONWriter {
    public static func encode(_ layer: Layer) -> String {
        var out = ""
        try? encode(layer) { out += $0 }
        return out
    }

    /// Features per piece handed to `write`: pieces are formatted on all cores a batch at a
    /// time, so a large layer is never held as one string (the text is 2–3 times the size of
    /// its coordinates).
    static let piece = 2_000

    /// The same text as `encode`, handed to `write` piece by piece in order.
    static func encode(_ layer: Layer, write: (String) throws -> Void) throws {
        try write("{\"type\":\"FeatureCollection\",\"features\":[\n")
        let count = layer.features.count
        let pieces = stride(from: 0, to: count, by: piece).map { $0..<min($0 + piece, count) }
        let batch = workerThreads * 2
        for start in stride(from: 0, to: pieces.count, by: batch) {
            let ranges = Array(pieces[start..<min(start + batch, pieces.count)])
            // One range per parallelMap chunk; the result order is the input order.
            let texts = try parallelMap(ranges, chunks: ranges.count) { chunk in
                chunk.map { range in
                    var out = ""
                    out.reserveCapacity(range.count * 2048)
                    for i in range { feature(layer, i, last: i + 1 == count, into: &out) }
                    return out
                }
            }
            for text in texts { try write(text) }
        }
        try write("]}\n")
    }

    private static func feature(_ layer: Layer, _ i: Int, last: Bool, into out: inout String) {
        let feature = layer.features[i]
        out += "{\"type\":\"Feature\",\"properties\":{"
        for (j, field) in layer.fields.enumerated() {
            if j > 0 { out += "," }
            out += quoted(field.name) + ":" + json(feature.values[j])
        }
        out += "},\"geometry\":"
        if let g = feature.geometry { geometry(g, into: &out) } else { out += "null" }
        out += last ? "}\n" : "},\n"
    }

    static func json(_ value: FieldValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .real(let d): return d.isFinite ? formatReal(d) : "null"
        case .string(let s): return quoted(s)
        }
    }

    /// A JSON string literal, also safe inside an HTML <script> (no "</").
    public static func quotedName(_ s: String) -> String { quoted(s).replacingOccurrences(of: "</", with: "<\\/") }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func geometry(_ g: Geometry, into out: inout String) {
        switch g {
        case .point(let c):
            out += "{\"type\":\"Point\",\"coordinates\":"; position(c, &out); out += "}"
        case .lineString(let cs):
            out += "{\"type\":\"LineString\",\"coordinates\":"; positions(cs, &out); out += "}"
        case .multiPoint(let cs):
            out += "{\"type\":\"MultiPoint\",\"coordinates\":"; positions(cs, &out); out += "}"
        case .multiLineString(let ls):
            out += "{\"type\":\"MultiLineString\",\"coordinates\":["
            for (i, l) in ls.enumerated() { if i > 0 { out += "," }; positions(l, &out) }
            out += "]}"
        case .polygon, .multiPolygon:
            // One type per layer, as the GDAL writer does: polygons are written as MultiPolygon.
            out += "{\"type\":\"MultiPolygon\",\"coordinates\":["
            for (i, p) in g.polygons.enumerated() { if i > 0 { out += "," }; polygon(p, &out) }
            out += "]}"
        case .collection(let gs):
            out += "{\"type\":\"GeometryCollection\",\"geometries\":["
            for (i, part) in gs.enumerated() { if i > 0 { out += "," }; geometry(part, into: &out) }
            out += "]}"
        }
    }

    private static func polygon(_ p: Polygon, _ out: inout String) {
        out += "["
        positions(oriented(p.exterior, counterClockwise: true), &out)
        for hole in p.holes { out += ","; positions(oriented(hole, counterClockwise: false), &out) }
        out += "]"
    }

    /// RFC 7946 §3.1.6: exteriors counter-clockwise, holes clockwise.
    static func oriented(_ ring: [Coordinate], counterClockwise: Bool) -> [Coordinate] {
        var twiceArea = 0.0
        for i in ring.indices.dropLast() {
            twiceArea += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y
        }
        return (twiceArea > 0) == counterClockwise || twiceArea == 0 ? ring : ring.reversed()
    }

    private static func positions(_ cs: [Coordinate], _ out: inout String) {
        out += "["
        for (i, c) in cs.enumerated() { if i > 0 { out += "," }; position(c, &out) }
        out += "]"
    }

    private static func position(_ c: Coordinate, _ out: inout String) {
        // Appended piece by piece: building "[x,y]" with + made a temporary string per point.
        out.append("[")
        out.append(formatReal((c.x * 1e7).rounded() / 1e7))
        out.append(",")
        out.append(formatReal((c.y * 1e7).rounded() / 1e7))
        out.append("]")
    }
}
