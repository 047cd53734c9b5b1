import GeoCore
import GeoEngine
import GeoIO

/// Where a study area's layers come from. Only the boundaries are required; each analysis says
/// which of the others it needs.
public struct StudyAreaSources: Sendable {
    /// District polygons: e-Stat small areas (KEY_CODE), hamlets (hamlet_id) or any polygons with an id.
    public var boundaries: String
    /// e-Stat census table by small area (ages), joined to the boundaries by KEY_CODE.
    public var census: String?
    /// Hamlet (行政区) polygons with their own counts.
    public var hamlets: String?
    /// Council mapping (JSON or CSV with key_codes / hamlet_ids) or council polygons.
    public var councils: String?
    /// A city outline (e.g. N03): the coverage denominator and the maps' frame line.
    public var outline: String?
    /// Field names of the boundaries; nil means found (KEY_CODE, else hamlet_id, else id; …).
    public var fields = PlanningDistricts.Fields()
    /// Census columns (code or label) of the total and of aged 65+; nil means found by label.
    public var totalColumn: String?
    public var agedColumn: String?
    /// A census key matching no boundary (or a boundary without a census row) is an error, not a warning.
    public var strict = false
    /// Council polygons: the name and fiscal-year fields.
    public var councilName = "name"
    public var councilYear = "fiscal_year"
    /// The metric of the small areas' own areas (the planning view is always in the plane zone).
    public var metric: Metric = .plane
    /// Plane zone for every feature (default: from each KEY_CODE's municipality and location).
    public var zone: PlaneZone?
    /// Text encoding of DBFs and CSVs (default: detected).
    public var encoding: TextEncoding?
    /// The districts' shapes in the plane zone, which every planning study measures on; the
    /// aging study alone can do without (faster and half the memory on a whole country).
    public var planeShapes = true

    public init(boundaries: String, census: String? = nil, hamlets: String? = nil, councils: String? = nil,
                outline: String? = nil) {
        self.boundaries = boundaries; self.census = census; self.hamlets = hamlets; self.councils = councils
        self.outline = outline
    }
}

/// The hamlet layer: the file as read, its hamlets with their counts, and its planning view.
public struct HamletLayer: Sendable {
    public var file: VectorFile
    public var hamlets: [Hamlet]
    public var districts: PlanningDistricts.Loaded
}

/// A study area, loaded once and handed to every analysis: the boundaries read, repaired,
/// dissolved and measured; the census joined (hierarchy, suppression, households); hamlets,
/// councils and the outline read. Loading checks everything, so a study that starts from it
/// fails on bad input before it writes anything.
public struct StudyArea: Sendable {
    public var sources: StudyAreaSources
    /// The boundaries as loaded: records, repairs, encoding, each district's zone, areas in `sources.metric`.
    public var boundaries: DistrictLoad
    /// The same districts as the planning analyses see them: census counts joined, shapes in the plane zone.
    public var districts: PlanningDistricts.Loaded
    public var census: (table: CensusTable, join: CensusJoin)?
    public var hamlets: HamletLayer?
    /// Councils from the mapping, or from council polygons by overlay (members filled in).
    public var councils: CouncilMap?
    /// What the overlay of council polygons found (partial overlaps, a transformed CRS).
    public var councilWarnings: [String] = []
    public var outline: VectorFile?

    /// The planning view of the boundaries (census counts joined).
    public var planarCRS: CRS { districts.planarCRS }

    public static func load(_ sources: StudyAreaSources, progress: (String) -> Void = { _ in }) throws -> StudyArea {
        let measurer = Measurer()
        progress("reading \(PostGISLocation.display(sources.boundaries))")
        let file = try VectorReader.read(sources.boundaries, encoding: sources.encoding,
                                         fields: PlanningDistricts.fieldsRead(sources.fields))
        let fields = try PlanningDistricts.boundaryFields(file, sources.fields)
        var boundaries = try Districts.load(file, metric: .plane, zone: sources.zone, fields: fields, measurer: measurer,
                                            progress: progress)
        // Council polygons are overlaid in the plane: they need the shapes too.
        let councilPolygons = sources.councils.map { !CouncilMap.isMapping($0) } ?? false
        var districts = try PlanningDistricts.planning(boundaries, file: file, fields: sources.fields, zone: sources.zone,
                                                       planeShapes: sources.planeShapes || councilPolygons)
        if sources.metric != .plane { boundaries = try Districts.remeasured(boundaries, in: sources.metric) }

        var census: (CensusTable, CensusJoin)?
        if let path = sources.census {
            progress("reading \(path)")
            let table = try CensusCSV.read(path, encoding: sources.encoding)
            let columns = try CensusColumns.find(in: table, total: sources.totalColumn, aged: sources.agedColumn)
            let join = try CensusJoin.join(table, to: &districts.districts, columns: columns, strict: sources.strict)
            census = (table, join)
        }

        let hamlets = try sources.hamlets.map { path -> HamletLayer in
            progress("reading \(path)")
            let file = try VectorReader.read(path, encoding: sources.encoding)
            return HamletLayer(file: file, hamlets: try Hamlets.load(file),
                               districts: try PlanningDistricts.load(file, zone: sources.zone, measurer: measurer))
        }

        var area = StudyArea(sources: sources, boundaries: boundaries, districts: districts, census: census, hamlets: hamlets)
        if let path = sources.councils {
            progress("reading \(path)")
            try area.readCouncils(path, idField: fields.key, measurer: measurer)
        }
        area.outline = try sources.outline.map { try VectorReader.read($0, encoding: sources.encoding) }
        return area
    }

    /// A mapping file is read as it is; council polygons become a mapping by overlay (a district
    /// belongs to the council covering at least half of it).
    private mutating func readCouncils(_ path: String, idField: String, measurer: Measurer) throws {
        if CouncilMap.isMapping(path) {
            councils = try CouncilMap.read(path)
            return
        }
        let file = try VectorReader.read(path, encoding: sources.encoding)
        if file.layer.crs != districts.crs {
            councilWarnings.append("councils are in \(file.layer.crs), districts in \(districts.crs): councils transformed")
        }
        let overlay = try CouncilOverlay.membership(polygons: file, nameField: sources.councilName, yearField: sources.councilYear,
                                                    districts: districts.districts, planarCRS: districts.planarCRS, measurer: measurer)
        councilWarnings += overlay.warnings
        // Members by the districts' own ids: small areas' KEY_CODEs, or hamlet ids.
        let byHamlet = idField != "KEY_CODE"
        let members = Dictionary(grouping: districts.districts.map(\.id).filter { overlay.membership[$0] != nil }) { overlay.membership[$0]! }
        councils = CouncilMap(path: path, councils: overlay.councils.map { c in
            var c = c
            if byHamlet { c.hamletIDs = members[c.name] ?? [] } else { c.keyCodes = members[c.name] ?? [] }
            return c
        })
    }
}
