import Foundation
import GeoCore
import GeoIO

/// Aging figures of one unit (small area, hamlet or council) with its classes.
public struct UnitAging: Sendable {
    public var id: String
    public var name: String
    /// The small area a hamlet lies in, or the small area itself.
    public var keyCode: String
    /// nil where the census suppressed or lacks the unit's counts (see `status`).
    public var figures: AgingFigures?
    public var classes: AgingClasses
    public var status: String
    public var council: String?
    public var geometry: Geometry?
    public var areaM2: Double?

    public init(id: String, name: String, keyCode: String, figures: AgingFigures?, classes: AgingClasses,
                status: String = "counted", council: String? = nil, geometry: Geometry? = nil, areaM2: Double? = nil) {
        self.id = id; self.name = name; self.keyCode = keyCode; self.figures = figures; self.classes = classes
        self.status = status; self.council = council; self.geometry = geometry; self.areaM2 = areaM2
    }
}

public struct CouncilAging: Sendable {
    public var council: Council
    public var figures: AgingFigures
    public var classes: AgingClasses
    /// "hamlets" or "small areas": what the members are.
    public var basis: String
    public var members: Int

    public init(council: Council, figures: AgingFigures, classes: AgingClasses, basis: String, members: Int) {
        self.council = council; self.figures = figures; self.classes = classes; self.basis = basis; self.members = members
    }
}

/// Aging rates per small area, hamlet and council, and the counts per class.
public struct AgingStudy: Sendable {
    public var thresholds: AgingThresholds
    public var city: AgingFigures
    public var areas: [UnitAging]
    public var hamlets: [UnitAging]
    public var councils: [CouncilAging]
    public var join: CensusJoin

    public init(thresholds: AgingThresholds, city: AgingFigures, areas: [UnitAging], hamlets: [UnitAging],
                councils: [CouncilAging], join: CensusJoin) {
        self.thresholds = thresholds; self.city = city; self.areas = areas; self.hamlets = hamlets
        self.councils = councils; self.join = join
    }

    public func count(_ units: [UnitAging], _ c: AgingClasses) -> Int {
        units.filter { $0.classes.isSuperset(of: c) }.count
    }

    /// `hamletAreas`: each hamlet's area (m², by id) where known.
    public static func run(districts: DistrictLoad, census: CensusJoin, hamlets: [Hamlet]? = nil, hamletAreas: [String: Double] = [:],
                           councils: CouncilMap? = nil, thresholds: AgingThresholds = AgingThresholds()) throws -> AgingStudy {
        let membership = try councils.map { try Membership($0, hamlets: hamlets, areaKeys: districts.districts.map(\.id)) }
        let areas = districts.districts.map { d -> UnitAging in
            let state = census.areas[d.id] ?? .missing
            var figures: AgingFigures?
            let status: String
            switch state {
            case .counted(let f, let absorbs):
                figures = f
                status = absorbs.isEmpty ? "counted" : "includes \(absorbs.joined(separator: " "))"
            case .countedIn(let host): status = "counted in \(host)"
            case .suppressed: status = "suppressed"
            case .missing: status = "no census row"
            }
            return UnitAging(id: d.id, name: d.name, keyCode: d.id, figures: figures,
                             classes: figures.map(thresholds.classes) ?? [], status: status,
                             council: membership?.councilOfArea[d.id], geometry: d.geometry, areaM2: d.areaM2)
        }
        let hamletUnits = (hamlets ?? []).map { h in
            UnitAging(id: h.id, name: h.name, keyCode: h.keyCode, figures: h.figures, classes: thresholds.classes(h.figures),
                      status: "counted", council: membership?.councilOfHamlet[h.id], geometry: h.geometry, areaM2: hamletAreas[h.id])
        }
        var councilResults: [CouncilAging] = []
        if let councils {
            let hamletFigures = Dictionary(uniqueKeysWithValues: hamletUnits.map { ($0.id, $0.figures!) })
            let areaFigures = Dictionary(uniqueKeysWithValues: areas.compactMap { a in a.figures.map { (a.id, $0) } })
            for c in councils.councils {
                let useHamlets = hamlets != nil && !c.hamletIDs.isEmpty
                let members = useHamlets ? c.hamletIDs : c.keyCodes
                let figures = members.reduce(AgingFigures.zero) { $0 + ((useHamlets ? hamletFigures[$1] : areaFigures[$1]) ?? .zero) }
                councilResults.append(CouncilAging(council: c, figures: figures, classes: thresholds.classes(figures),
                                                   basis: useHamlets ? "hamlets" : "small areas", members: members.count))
            }
        }
        return AgingStudy(thresholds: thresholds, city: census.total, areas: areas, hamlets: hamletUnits,
                          councils: councilResults, join: census)
    }
}

/// Which council each small area and hamlet belongs to.
struct Membership {
    var councilOfArea: [String: String]
    var councilOfHamlet: [String: String] = [:]

    init(_ map: CouncilMap, hamlets: [Hamlet]?, areaKeys: [String]) throws {
        councilOfArea = try map.membership(.smallAreas, known: Set(areaKeys))
        if let hamlets { councilOfHamlet = try map.membership(.hamlets, known: Set(hamlets.map(\.id))) }
    }
}

extension AgingStudy {
    /// Aging rates of the area's small areas (from its census), hamlets and councils.
    public static func run(_ area: StudyArea, thresholds: AgingThresholds = AgingThresholds(),
                           progress: (String) -> Void = { _ in }) throws -> AgingStudy {
        guard let census = area.census else { throw ParameterError("census", "aging rates need a census table by small area") }
        progress("computing aging rates")
        // Hamlets are measured as the small areas are, in the plane zone.
        let hamletAreas = Dictionary(area.hamlets?.districts.districts.map { ($0.id, $0.areaM2) } ?? [], uniquingKeysWith: { a, _ in a })
        return try run(districts: area.boundaries, census: census.join, hamlets: area.hamlets?.hamlets, hamletAreas: hamletAreas,
                       councils: area.councils, thresholds: thresholds)
    }

    /// The small areas and the hamlets (when the area has them) as styled layers.
    public func layers(area: StudyArea) -> [Layer] {
        [layer(areas, name: "small_areas", crs: area.boundaries.crs)]
            + (area.hamlets.map { [layer(hamlets, name: "hamlets", crs: $0.file.layer.crs)] } ?? [])
    }

    /// Writes the small areas, the hamlets and the councils of `area` where `files` says.
    public func write(_ files: AgingFiles, area: StudyArea, excel: Bool = false, overwrite: Bool = false,
                      progress: (String) -> Void = { _ in }) throws {
        progress("writing \(files.all.map(PostGISLocation.display).joined(separator: ", "))")
        if (try? OutputFormat(path: files.areas)) == .geopackage {
            // One GeoPackage: the small areas, the hamlets and the councils as layers, styled for QGIS.
            var layers = layers(area: area)
            if files.hamlets != files.areas { layers.removeAll { $0.name == "hamlets" } }
            if files.councils == files.areas { layers.append(councilTable().layer(name: "councils")) }
            try GeoPackage.write(layers, to: files.areas)
        } else {
            try VectorWriter.write(layer(areas, name: "small_areas", crs: area.boundaries.crs), to: files.areas,
                                   excel: excel, overwrite: overwrite)
        }
        if let path = files.hamlets, path != files.areas, let hamletLayer = area.hamlets {
            try VectorWriter.write(layer(hamlets, name: "hamlets", crs: hamletLayer.file.layer.crs), to: path,
                                   excel: excel, overwrite: overwrite)
        }
        if let path = files.councils, path != files.areas {
            try councilTable().write(to: path, excel: excel, overwrite: overwrite)
        }
    }
}

/// Where an aging study's layers go: the small areas at a path, the hamlets beside it as
/// NAME_hamlets.EXT and the councils as NAME_councils.csv (in PostGIS: tables NAME_hamlets,
/// NAME_councils); in a GeoPackage all three are layers of the one file.
public struct AgingFiles: Sendable {
    public var areas: String
    public var hamlets: String?
    public var councils: String?

    public init(areas: String, hamlets: String? = nil, councils: String? = nil) {
        self.areas = areas; self.hamlets = hamlets; self.councils = councils
    }

    public init(beside path: String, hamlets: Bool, councils: Bool) {
        if let database = PostGISLocation(path) {
            self.init(areas: path, hamlets: hamlets ? database.appendingToTable("_hamlets") : nil,
                      councils: councils ? database.appendingToTable("_councils") : nil)
            return
        }
        let url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "gpkg" {
            self.init(areas: path, hamlets: hamlets ? path : nil, councils: councils ? path : nil)
            return
        }
        let stem = url.deletingPathExtension().path
        self.init(areas: path, hamlets: hamlets ? "\(stem)_hamlets.\(url.pathExtension)" : nil,
                  councils: councils ? "\(stem)_councils.csv" : nil)
    }

    /// Each path once.
    public var all: [String] { [areas] + [hamlets, councils].compactMap { $0 }.filter { $0 != areas } }
}
