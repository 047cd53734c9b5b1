import Foundation

/// The size of a JIS X 0410 grid square (地域メッシュ) that statistics are published for.
public enum MeshLevel: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// 3rd mesh (基準地域メッシュ): 30″ of latitude × 45″ of longitude, about 1 km; 8 digits.
    case km1 = "1km"
    /// Half mesh (2分の1地域メッシュ): 15″ × 22.5″, about 500 m; 9 digits.
    case m500 = "500m"
    /// Quarter mesh (4分の1地域メッシュ): 7.5″ × 11.25″, about 250 m; 10 digits.
    case m250 = "250m"

    public var description: String { rawValue }
    public var digits: Int { self == .km1 ? 8 : (self == .m500 ? 9 : 10) }

    /// Side lengths in units of 1/8 arc-second (every mesh edge is a whole number of them).
    var latitudeUnits: Int { self == .km1 ? 240 : (self == .m500 ? 120 : 60) }
    var longitudeUnits: Int { self == .km1 ? 360 : (self == .m500 ? 180 : 90) }

    public static func < (a: MeshLevel, b: MeshLevel) -> Bool { a.digits < b.digits }
}

/// A JIS X 0410 grid square, computed from coordinates or read from its code, pure arithmetic.
///
/// The code nests: 1st mesh `pp uu` (40′ × 1°: pp = ⌊lat × 1.5⌋, uu = ⌊lon⌋ − 100), 2nd mesh
/// `q v` (8 × 8 inside it), 3rd mesh `r w` (10 × 10 inside that), then one digit per halving,
/// 1 = south-west, 2 = south-east, 3 = north-west, 4 = north-east. Coordinates are longitude
/// and latitude in degrees on JGD2000/JGD2011 (WGS 84 differs by centimetres); a point on an
/// edge belongs to the square north or east of it.
public struct MeshCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let level: MeshLevel
    /// South-west corner in units of 1/8″: latitude from the equator, longitude from 100°E.
    let southUnits: Int
    let westUnits: Int

    /// Units of 1/8″ per degree.
    static let unitsPerDegree = 28_800

    /// The square containing (lon, lat), or nil outside the range the code can express
    /// (latitude 0°–66.66°, longitude 100°–200°).
    public init?(longitude: Double, latitude: Double, level: MeshLevel) {
        guard latitude.isFinite, longitude.isFinite else { return nil }
        // A hair of tolerance: a corner computed from a code (k / 28,800) maps back to its own
        // square instead of the one south or west of it by one rounding error.
        let y = Int((latitude * Double(Self.unitsPerDegree) + 1e-7).rounded(.down))
        let x = Int(((longitude - 100) * Double(Self.unitsPerDegree) + 1e-7).rounded(.down))
        guard y >= 0, y < 100 * 19_200, x >= 0, x < 100 * 28_800 else { return nil }
        self.level = level
        southUnits = y - y % level.latitudeUnits
        westUnits = x - x % level.longitudeUnits
    }

    public init?(_ coordinate: Coordinate, level: MeshLevel) {
        self.init(longitude: coordinate.x, latitude: coordinate.y, level: level)
    }

    /// Parses an 8-, 9- or 10-digit code, checking every digit's range; nil if it is not one.
    public init?(_ code: String) {
        let d = code.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard d.count == code.count else { return nil }
        switch d.count {
        case 8: level = .km1
        case 9: level = .m500
        case 10: level = .m250
        default: return nil
        }
        let (q, v, r, w) = (d[4], d[5], d[6], d[7])
        guard q <= 7, v <= 7 else { return nil }
        var south = (d[0] * 10 + d[1]) * 19_200 + q * 2_400 + r * 240
        var west = (d[2] * 10 + d[3]) * 28_800 + v * 3_600 + w * 360
        // Each halving digit 1–4: bit 1 is north, bit 0 is east.
        for (k, size) in [(8, (120, 180)), (9, (60, 90))] where k < d.count {
            guard (1...4).contains(d[k]) else { return nil }
            south += (d[k] - 1) / 2 * size.0
            west += (d[k] - 1) % 2 * size.1
        }
        southUnits = south
        westUnits = west
    }

    /// The code's digits, e.g. "51310548" (1 km), "513105481" (500 m), "5131054812" (250 m).
    public var code: String {
        let y = southUnits, x = westUnits
        var s = String(format: "%02d%02d%d%d%d%d", y / 19_200, x / 28_800, y % 19_200 / 2_400, x % 28_800 / 3_600,
                       y % 2_400 / 240, x % 3_600 / 360)
        if level >= .m500 { s += String(1 + (y % 240 / 120) * 2 + x % 360 / 180) }
        if level >= .m250 { s += String(1 + (y % 120 / 60) * 2 + x % 180 / 90) }
        return s
    }

    public var description: String { code }

    public var south: Double { Double(southUnits) / Double(Self.unitsPerDegree) }
    public var north: Double { Double(southUnits + level.latitudeUnits) / Double(Self.unitsPerDegree) }
    public var west: Double { 100 + Double(westUnits) / Double(Self.unitsPerDegree) }
    public var east: Double { 100 + Double(westUnits + level.longitudeUnits) / Double(Self.unitsPerDegree) }

    public var center: Coordinate {
        Coordinate(100 + (Double(westUnits) + Double(level.longitudeUnits) / 2) / Double(Self.unitsPerDegree),
                   (Double(southUnits) + Double(level.latitudeUnits) / 2) / Double(Self.unitsPerDegree))
    }

    public var boundingBox: BoundingBox { BoundingBox(minX: west, minY: south, maxX: east, maxY: north) }

    /// The square as a closed, counter-clockwise ring in lon/lat.
    public var polygon: Polygon {
        Polygon(exterior: [Coordinate(west, south), Coordinate(east, south), Coordinate(east, north),
                           Coordinate(west, north), Coordinate(west, south)])
    }

    /// Every square of `level` that meets the box (lon/lat), south to north, then west to east.
    public static func covering(_ box: BoundingBox, level: MeshLevel) -> [MeshCode] {
        guard let sw = MeshCode(longitude: box.minX, latitude: box.minY, level: level),
              let ne = MeshCode(longitude: box.maxX, latitude: box.maxY, level: level) else { return [] }
        var out: [MeshCode] = []
        for y in stride(from: sw.southUnits, through: ne.southUnits, by: level.latitudeUnits) {
            for x in stride(from: sw.westUnits, through: ne.westUnits, by: level.longitudeUnits) {
                out.append(MeshCode(level: level, southUnits: y, westUnits: x))
            }
        }
        return out
    }

    private init(level: MeshLevel, southUnits: Int, westUnits: Int) {
        self.level = level
        self.southUnits = southUnits
        self.westUnits = westUnits
    }

    /// Ordered as their codes sort within a level.
    public static func < (a: MeshCode, b: MeshCode) -> Bool { a.code < b.code }
}
