import Foundation
import TestSupport
import GeoCore
import GeoEngine
import GeoIO
import Demography
@testable import Planning


func nagato(_ name: String) -> String { Repository.nagato(name) }

/// A plane CRS for synthetic fixtures (JGD2011 zone III, metres).
let zoneIII = PlaneZone(3)!.crs(.jgd2011)

func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
    .polygon(Polygon(exterior: [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]))
}

/// A row of `widths.count` rectangles 100 m tall, side by side, each its own district, with
/// `aged[i]` people aged 65+ (population 100).
func strip(_ widths: [Double], aged: [Int]) -> [District] {
    var x = 0.0
    return widths.enumerated().map { i, w in
        let g = rectangle(x, 0, x + w, 100)
        x += w
        return District(id: "d\(i)", name: "D\(i)", areaM2: w * 100,
                                figures: AgingFigures(population: 100, aged: aged[i], households: 40), geometry: g, planar: g)
    }
}

/// A grid of `columns × rows` squares of side `side` metres with varied sizes by cutting.
func grid(columns: Int, rows: Int, seed: UInt64) -> [District] {
    var state = seed
    func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 33) / Double(1 << 31) }
    var xs = [0.0], ys = [0.0]
    for _ in 0..<columns { xs.append(xs.last! + 50 + 150 * next()) }
    for _ in 0..<rows { ys.append(ys.last! + 50 + 150 * next()) }
    var out: [District] = []
    for r in 0..<rows {
        for c in 0..<columns {
            let g = rectangle(xs[c], ys[r], xs[c + 1], ys[r + 1])
            let area = (xs[c + 1] - xs[c]) * (ys[r + 1] - ys[r])
            out.append(District(id: "g\(r)-\(c)", name: "G\(r)\(c)", areaM2: area,
                                        figures: AgingFigures(population: 100, aged: Int(next() * 60), households: 40),
                                        geometry: g, planar: g))
        }
    }
    return out
}

func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chiiki-planning-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
