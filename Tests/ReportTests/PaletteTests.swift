import Foundation
import GeoCore
import Report
import TestSupport
import Testing

/// Every map of the demo's report tells its roles apart: no two legend entries share a colour,
/// and each pair stays apart for a reader with red–green colour blindness (protanopia and
/// deuteranopia, simulated with the matrices of Machado, Oliveira and Fernandes 2009).
@Suite struct PaletteTests {
    @Test func noTwoRolesInOneMapLookAlike() throws {
        let report = try HTMLReport.document(ReportStudyTests.nagatoContent())
        let maps = report.figures.filter { $0.name.hasPrefix("map_") }
        #expect(maps.count >= 10)
        for map in maps {
            let colours = Self.legendColours(map.svg)
            #expect(colours.count >= 2, "\(map.name) has a legend")
            #expect(Set(colours).count == colours.count, "\(map.name): a colour stands for two things in \(colours)")
            Self.expectApart(colours, map.name)
        }
    }

    /// The categorical ramps hold up beyond the demo's five hubs: any seven catchments, and every
    /// route colour against the taxi map's other roles.
    @Test func categoricalRampsStayApart() {
        Self.expectApart(Array(Palette.catchments.prefix(7)) + [Palette.hub, Palette.notReached], "catchments")
        Self.expectApart(Array(Palette.routes.prefix(5)) + [Palette.gap, Palette.proposedStop, Palette.taxiHub, Palette.background], "routes")
        Self.expectApart(Palette.agingClasses.map(\.colour) + [Palette.noData], "aging classes")
    }

    static func expectApart(_ colours: [String], _ what: String) {
        for (i, a) in colours.enumerated() {
            for b in colours[(i + 1)...] {
                for vision in [normal, protanopia, deuteranopia] {
                    let d = deltaE(simulate(a, vision), simulate(b, vision))
                    #expect(d >= 8, "\(what): \(a) and \(b) differ by only ΔE \(Int(d)) with \(name(vision))")
                }
            }
        }
    }

    /// The test itself tells colours apart the way it should: red and green merge for a
    /// deuteranope, blue and orange do not.
    @Test func simulationSeesWhatAColourBlindReaderSees() {
        let red = "#d62728", green = "#2ca02c"
        #expect(Self.deltaE(Self.simulate(red, Self.normal), Self.simulate(green, Self.normal)) > 40)
        #expect(Self.deltaE(Self.simulate(red, Self.deuteranopia), Self.simulate(green, Self.deuteranopia)) < 15)
        #expect(Self.deltaE(Self.simulate("#0072b2", Self.deuteranopia), Self.simulate("#e69f00", Self.deuteranopia)) > 40)
    }

    /// The swatch colours of an SVG map's legend, in order.
    static func legendColours(_ svg: String) -> [String] {
        guard let legend = svg.components(separatedBy: "<g class='legend'").dropFirst().first?.components(separatedBy: "</g>").first else { return [] }
        return legend.components(separatedBy: "<rect").dropFirst().compactMap { rect in
            rect.components(separatedBy: "fill='").dropFirst().first?.components(separatedBy: "'").first?.lowercased()
        }
    }

    typealias Matrix = [[Double]]
    static let normal: Matrix = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    static let protanopia: Matrix = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    static let deuteranopia: Matrix = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]

    static func name(_ m: Matrix) -> String { m == protanopia ? "protanopia" : m == deuteranopia ? "deuteranopia" : "normal vision" }

    /// "#rrggbb" as seen with `vision`, in CIE L*a*b*.
    static func simulate(_ hex: String, _ vision: Matrix) -> (l: Double, a: Double, b: Double) {
        let v = Int(hex.dropFirst(), radix: 16)!
        let srgb = [Double(v >> 16 & 255), Double(v >> 8 & 255), Double(v & 255)].map { $0 / 255 }
        let linear = srgb.map { $0 <= 0.04045 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        let seen = vision.map { row in min(max(zip(row, linear).map(*).reduce(0, +), 0), 1) }
        let (r, g, b) = (seen[0], seen[1], seen[2])
        // Linear sRGB → XYZ (D65) → L*a*b*.
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
        return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
    }

    static func deltaE(_ p: (l: Double, a: Double, b: Double), _ q: (l: Double, a: Double, b: Double)) -> Double {
        ((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b)).squareRoot()
    }
}
