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
        var out: [UInt8] = []
        try? encode(layer) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// Features per piece handed to `write`: pieces are formatted on all cores a batch at a
    /// time, so a large layer is never held as one text (it is 2–3 times the size of its
    /// coordinates); small pieces keep two batches in flight to a few MB (with 2,000 features a
    /// piece they added 45 MB to the whole-Japan aging peak).
    static let piece = 500

    /// The same text as `encode`, as UTF-8 handed to `write` piece by piece in order. Bytes, not
    /// Strings: appending to a String checked and re-counted it at every coordinate, a third of
    /// the time of writing a country.
    static func encode(_ layer: Layer, write: ([UInt8]) throws -> Void) throws {
        try write(Array("{\"type\":\"FeatureCollection\",\"features\":[\n".utf8))
        let count = layer.features.count
        let pieces = stride(from: 0, to: count, by: piece).map { $0..<min($0 + piece, count) }
        let batch = workerThreads * 2
        // Each property's `"name":` once, not once per feature.
        let keys = layer.fields.enumerated().map { j, field in Array(((j > 0 ? "," : "") + quoted(field.name) + ":").utf8) }
        let starts = Array(stride(from: 0, to: pieces.count, by: batch))
        @Sendable func encodeBatch(_ start: Int) throws -> [[UInt8]] {
            let ranges = Array(pieces[start..<min(start + batch, pieces.count)])
            // One range per parallelMap chunk; the result order is the input order.
            return try parallelMap(ranges, chunks: ranges.count) { chunk in
                chunk.map { range in
                    var out: [UInt8] = []
                    out.reserveCapacity(range.count * 2048)
                    for i in range { feature(layer, i, keys: keys, last: i + 1 == count, into: &out) }
                    return out
                }
            }
        }
        // The next batch is encoded while this one is written: the disk and the cores work at once.
        var current = try starts.first.map(encodeBatch) ?? []
        for k in starts.indices {
            let next = k + 1 < starts.count ? Pending { [start = starts[k + 1]] in try encodeBatch(start) } : nil
            for bytes in current { try write(bytes) }
            current = try next?.value() ?? []
        }
        try write(Array("]}\n".utf8))
    }

    private static func feature(_ layer: Layer, _ i: Int, keys: [[UInt8]], last: Bool, into out: inout [UInt8]) {
        let feature = layer.features[i]
        out.append(text: "{\"type\":\"Feature\",\"properties\":{")
        for (j, key) in keys.enumerated() {
            out += key
            out.append(text: json(feature.values[j]))
        }
        out.append(text: "},\"geometry\":")
        if let g = feature.geometry { geometry(g, into: &out) } else { out.append(text: "null") }
        out.append(text: last ? "}\n" : "},\n")
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

    static func geometry(_ g: Geometry, into out: inout [UInt8]) {
        switch g {
        case .point(let c):
            out.append(text: "{\"type\":\"Point\",\"coordinates\":"); position(c, &out); out.append(text: "}")
        case .lineString(let cs):
            out.append(text: "{\"type\":\"LineString\",\"coordinates\":"); positions(cs, reversed: false, &out); out.append(text: "}")
        case .multiPoint(let cs):
            out.append(text: "{\"type\":\"MultiPoint\",\"coordinates\":"); positions(cs, reversed: false, &out); out.append(text: "}")
        case .multiLineString(let ls):
            out.append(text: "{\"type\":\"MultiLineString\",\"coordinates\":[")
            for (i, l) in ls.enumerated() { if i > 0 { out.append(comma) }; positions(l, reversed: false, &out) }
            out.append(text: "]}")
        case .polygon, .multiPolygon:
            // One type per layer, as the GDAL writer does: polygons are written as MultiPolygon.
            out.append(text: "{\"type\":\"MultiPolygon\",\"coordinates\":[")
            for (i, p) in g.polygons.enumerated() { if i > 0 { out.append(comma) }; polygon(p, &out) }
            out.append(text: "]}")
        case .collection(let gs):
            out.append(text: "{\"type\":\"GeometryCollection\",\"geometries\":[")
            for (i, part) in gs.enumerated() { if i > 0 { out.append(comma) }; geometry(part, into: &out) }
            out.append(text: "]}")
        }
    }

    private static let comma = UInt8(ascii: ",")

    /// RFC 7946 §3.1.6: exteriors counter-clockwise, holes clockwise (a ring the other way round
    /// is written backwards).
    private static func polygon(_ p: Polygon, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        positions(p.exterior, reversed: !isOriented(p.exterior, counterClockwise: true), &out)
        for hole in p.holes { out.append(comma); positions(hole, reversed: !isOriented(hole, counterClockwise: false), &out) }
        out.append(UInt8(ascii: "]"))
    }

    static func isOriented(_ ring: [Coordinate], counterClockwise: Bool) -> Bool {
        let twiceArea = twiceSignedArea(ring)
        return (twiceArea > 0) == counterClockwise || twiceArea == 0
    }

    private static func positions(_ cs: [Coordinate], reversed: Bool, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for i in cs.indices {
            if i > 0 { out.append(comma) }
            position(cs[reversed ? cs.count - 1 - i : i], &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func position(_ c: Coordinate, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        coordinate(c.x, into: &out)
        out.append(comma)
        coordinate(c.y, into: &out)
        out.append(UInt8(ascii: "]"))
    }

    static func coordinate(_ v: Double) -> String {
        var out: [UInt8] = []
        coordinate(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `formatReal` of `v` rounded to 7 decimals, without the general float printer (a third of
    /// the time of writing a country's GeoJSON). For up to 15 significant digits the double
    /// k / 10⁷ reads back from the decimal k·10⁻⁷ and from no shorter one, so that decimal with
    /// trailing zeros dropped is exactly what the float printer gives; other values take it.
    static func coordinate(_ v: Double, into out: inout [UInt8]) {
        let scaled = (v * 1e7).rounded()
        guard abs(scaled) < 1e15, abs(scaled) >= 1_000 || scaled == 0 else {
            out.append(text: formatReal(scaled / 1e7))
            return
        }
        var k = Int64(scaled)
        if k == 0 { out.append(UInt8(ascii: "0")); return }
        let negative = k < 0
        if negative { k = -k }
        // Digits right to left into a small buffer: at most 16 digits, a point and a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var i = 20
            var fraction = 7
            while k % 10 == 0, fraction > 0 { k /= 10; fraction -= 1 }  // trailing zeros of the decimals
            while fraction > 0 || k > 0 {
                i -= 1; buffer[i] = UInt8(ascii: "0") + UInt8(k % 10); k /= 10
                fraction -= 1
                if fraction == 0 { i -= 1; buffer[i] = UInt8(ascii: ".") }
                if fraction < 0 && k == 0 { break }
            }
            if buffer[i] == UInt8(ascii: ".") { i -= 1; buffer[i] = UInt8(ascii: "0") }
            if negative { i -= 1; buffer[i] = UInt8(ascii: "-") }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<20]))
        }
    }
}

private extension Array where Element == UInt8 {
    mutating func append(text: String) { append(contentsOf: text.utf8) }
}
