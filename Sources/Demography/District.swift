import GeoCore
import GeoEngine

/// A district: a census small area (小地域, every boundary record with its KEY_CODE dissolved),
/// a hamlet (行政区) or any polygon unit with an id. One type for every analysis; what a layer
/// lacks is nil.
public struct District: Sendable {
    /// KEY_CODE for small areas, hamlet_id for hamlets, or the layer's id field.
    public var id: String
    public var name: String
    /// Prefecture and municipality code and name (e-Stat's KEN + CITY, GST_NAME + CSS_NAME); empty where the layer has none.
    public var cityCode: String
    public var cityName: String
    /// The unit it lies in, when the layer says (a hamlet's small area: `key_code`).
    public var parent: String?
    /// Area (m²) in the metric it was loaded with (the plane zone for the planning analyses).
    public var areaM2: Double
    /// People (JINKO), households (SETAI) and aged 65+; nil without a population count.
    public var figures: AgingFigures?
    /// Whether `figures.aged` was counted (an aged field or the census), not just absent (0).
    public var agedKnown: Bool
    /// The dissolved shape in the source CRS, for output.
    public var geometry: Geometry
    /// The shape in the plane zone of the planning analyses (metres); nil until a planning view
    /// (`PlanningDistricts`, `StudyArea`) projects it.
    public var planar: Geometry?
    /// The 1-based boundary records dissolved into it.
    public var records: [Int]
    /// The plane zone its own area was measured in (plane metric only).
    public var zone: PlaneZone?

    public init(id: String, name: String, cityCode: String = "", cityName: String = "", parent: String? = nil, areaM2: Double,
                figures: AgingFigures?, agedKnown: Bool = true, geometry: Geometry, planar: Geometry? = nil, records: [Int] = [],
                zone: PlaneZone? = nil) {
        self.id = id; self.name = name; self.cityCode = cityCode; self.cityName = cityName; self.parent = parent
        self.areaM2 = areaM2; self.figures = figures; self.agedKnown = agedKnown; self.geometry = geometry
        self.planar = planar; self.records = records; self.zone = zone
    }

    /// The shape in the plane zone, which the planning analyses measure on.
    public func planeShape() throws -> Geometry {
        guard let planar else {
            throw ParameterError("districts", "district \(id) has no shape in the plane zone: load districts with PlanningDistricts or a StudyArea")
        }
        return planar
    }
}

extension [District] {
    /// Every district's shape in the plane zone.
    public func planeShapes() throws -> [Geometry] { try map { try $0.planeShape() } }
}
