/// The coordinate reference system a layer's coordinates are in. Every layer carries one, so
/// an operation that needs metres can refuse degrees instead of silently computing nonsense.
public struct CRS: Sendable, Hashable, CustomStringConvertible {
    /// EPSG code when the CRS was identified as one; nil for custom definitions.
    public let epsg: Int?
    /// A definition PROJ understands: "EPSG:4612", a PROJ string or WKT.
    public let definition: String
    /// Geographic (lon/lat in degrees) rather than projected (metres).
    public let isGeographic: Bool
    /// Short human name, e.g. "JGD2000".
    public let name: String

    public init(epsg: Int?, definition: String, isGeographic: Bool, name: String) {
        self.epsg = epsg
        self.definition = definition
        self.isGeographic = isGeographic
        self.name = name
    }

    public static func epsg(_ code: Int, geographic: Bool, name: String) -> CRS {
        CRS(epsg: code, definition: "EPSG:\(code)", isGeographic: geographic, name: name)
    }

    public static let jgd2000 = CRS.epsg(4612, geographic: true, name: "JGD2000")
    public static let jgd2011 = CRS.epsg(6668, geographic: true, name: "JGD2011")
    public static let wgs84 = CRS.epsg(4326, geographic: true, name: "WGS 84")

    /// The datum family of a Japanese geographic or plane CRS, used to pick the plane zone
    /// on the same datum (no datum shift is applied when measuring).
    public var japaneseDatum: JapaneseDatum? {
        guard let code = epsg else { return nil }
        switch code {
        case 4612, 2443...2461: return .jgd2000
        case 6668, 6669...6687: return .jgd2011
        default: return nil
        }
    }

    public var description: String {
        if let epsg { return "\(name) (EPSG:\(epsg))" }
        return name
    }
}

public enum JapaneseDatum: String, Sendable {
    case jgd2000 = "JGD2000"
    case jgd2011 = "JGD2011"
}
