import GeoCore

/// A zone of the Japan Plane Rectangular Coordinate System (平面直角座標系, I–XIX), the planar
/// CRS in which e-Stat computes its AREA attribute.
public struct PlaneZone: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let number: Int

    public init?(_ number: Int) {
        guard (1...19).contains(number) else { return nil }
        self.number = number
    }

    private init(unchecked number: Int) { self.number = number }

    /// The zone's projected CRS on the given datum: JGD2000 EPSG:2443–2461, JGD2011 EPSG:6669–6687.
    public func crs(_ datum: JapaneseDatum) -> CRS {
        switch datum {
        case .jgd2000: return .epsg(2442 + number, geographic: false, name: "JGD2000 / Japan Plane Rectangular CS \(roman)")
        case .jgd2011: return .epsg(6668 + number, geographic: false, name: "JGD2011 / Japan Plane Rectangular CS \(roman)")
        }
    }

    public var roman: String {
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"][number - 1]
    }

    public var description: String { "zone \(roman)" }
    public static func < (a: PlaneZone, b: PlaneZone) -> Bool { a.number < b.number }

    /// The zone most of `zones` are in (ties: the lower number), for one frame over a layer.
    public static func mostCommon<S: Sequence>(_ zones: S) -> PlaneZone? where S.Element == PlaneZone {
        let counts = Dictionary(grouping: zones, by: { $0 }).mapValues(\.count)
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// The zone for a prefecture (JIS X 0401 code 1–47) at a location (lon/lat degrees), per the
    /// MLIT notice defining the zones. Most prefectures lie in one zone; Hokkaido, Tokyo's
    /// southern islands, Kagoshima's islands and Okinawa are resolved by location.
    public static func forPrefecture(_ code: Int, at location: Coordinate) -> PlaneZone? {
        guard (1...47).contains(code) else { return nil }
        let lon = location.x, lat = location.y
        let zone: Int
        switch code {
        case 1:
            // Hokkaido's zones follow sub-prefecture borders; longitude approximates them:
            // XI west of the Ishikari plain (Otaru, Hakodate, Shiribeshi, Oshima, Hiyama),
            // XIII east of Tokachi and Okhotsk (Kitami, Obihiro, Kushiro, Nemuro).
            zone = lon < 141.0 ? 11 : (lon < 142.6 ? 12 : 13)
        case 13:
            // Tokyo south of 28°N: Ogasawara (XIV), Okinotorishima (XVIII), Minamitorishima (XIX).
            if lat < 28 { zone = lon < 140.5 ? 18 : (lon < 143 ? 14 : 19) } else { zone = 9 }
        case 46:
            // Kagoshima's islands between 27°N and 32°N west of 130°E (130°13′E for Amami) are in I.
            let westLimit = lat < 29 ? 130.0 + 13.0 / 60 : 130.0
            zone = (27...32).contains(lat) && lon < westLimit ? 1 : 2
        case 47:
            zone = lon < 126 ? 16 : (lon < 130 ? 15 : 17)
        default:
            zone = singleZone[code - 1]
        }
        return PlaneZone(unchecked: zone)
    }

    /// The zone for a prefecture (1–47) or, better, a municipality (5-digit JIS code such as
    /// 35211 or 1202 for 01202): Hokkaido's zones follow municipal borders, resolved exactly
    /// from the code; a bare prefecture code there falls back to the longitude approximation.
    public static func forAreaCode(_ code: Int, at location: Coordinate) -> PlaneZone? {
        guard code >= 1000 else { return forPrefecture(code, at: location) }
        let prefecture = code / 1000
        guard prefecture == 1 else { return forPrefecture(prefecture, at: location) }
        if hokkaidoXI.contains(code) { return PlaneZone(unchecked: 11) }
        if hokkaidoXIII.contains(code) { return PlaneZone(unchecked: 13) }
        return PlaneZone(unchecked: 12)
    }

    /// Hokkaido municipalities in zone XI: Otaru, Hakodate, Date, Hokuto, all of Shiribeshi,
    /// Oshima and Hiyama, and Iburi's Toyoura, Sobetsu and Toyako.
    private static let hokkaidoXI: Set<Int> = Set([1202, 1203, 1233, 1236, 1571, 1575, 1584])
        .union(1331...1347).union(1361...1371).union(1391...1409)

    /// Hokkaido municipalities in zone XIII: Kitami, Obihiro, Kushiro, Abashiri, Nemuro, nine
    /// Okhotsk towns (Bihoro, Tsubetsu, Shari, Kiyosato, Koshimizu, Kunneppu, Oketo, Saroma,
    /// Ozora), and all of Tokachi, Kushiro and Nemuro.
    private static let hokkaidoXIII: Set<Int> = Set([1206, 1207, 1208, 1211, 1223,
                                                     1543, 1544, 1545, 1546, 1547, 1549, 1550, 1552, 1564])
        .union(1631...1649).union(1661...1668).union(1691...1694)

    /// Zone by prefecture code 1…47 for the prefectures that lie in one zone (0 = by location).
    private static let singleZone: [Int] = [
        0, 10, 10, 10, 10, 10, 9, 9, 9, 9,   // 北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬
        9, 9, 0, 9, 8, 7, 7, 6, 8, 8,        // 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野
        7, 8, 7, 6, 6, 6, 6, 5, 6, 6,        // 岐阜 静岡 愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山
        5, 3, 5, 3, 3, 4, 4, 4, 4, 2,        // 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡
        2, 1, 2, 2, 2, 0, 0,                 // 佐賀 長崎 熊本 大分 宮崎 鹿児島 沖縄
    ]
}
