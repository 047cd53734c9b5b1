import Demography
import GeoCore
import Planning

/// Everything a report may show. Each analysis is optional: a missing one is left out and the
/// report says why (`omitted`), rather than failing.
public struct ReportContent: Sendable {
    public var title: String
    public var notes: [String]
    public var aging: AgingStudy?
    public var coverage: CoverageReport?
    public var merge: MergeStudy?
    /// 小さな拠点 siting.
    public var hubs: HubStudy?
    /// Transit gap, new stops and community-taxi routes.
    public var taxi: TaxiStudy?
    /// Dial-a-ride trips (a taxi study with bookings).
    public var trips: TaxiStudy?
    public var projection: ProjectionStudy?
    /// The city outline in the source CRS (lon/lat), drawn over every map.
    public var outline: [Geometry]
    /// The source CRS of the lon/lat geometries and the plane zone the maps are drawn in.
    public var frame: (source: CRS, plane: CRS)?
    /// Sections left out and why, shown where they would have been.
    public var omitted: [Omission]
    /// Under the interactive map: nothing (no network needed) or GSI's standard map tiles.
    public var basemap: Basemap = .plain

    public enum Basemap: String, Sendable, CaseIterable {
        /// A plain background: the page works offline.
        case plain
        /// 地理院タイル (GSI standard map), loaded from GSI's server when the page is opened.
        case gsi
    }

    public struct Omission: Sendable, Hashable {
        public var section: String
        public var reason: String
        public init(section: String, reason: String) { self.section = section; self.reason = reason }
    }

    public init(title: String, notes: [String] = [], aging: AgingStudy? = nil, coverage: CoverageReport? = nil,
                merge: MergeStudy? = nil, hubs: HubStudy? = nil, taxi: TaxiStudy? = nil, trips: TaxiStudy? = nil, projection: ProjectionStudy? = nil, outline: [Geometry] = [], frame: (source: CRS, plane: CRS)? = nil,
                omitted: [Omission] = []) {
        self.title = title; self.notes = notes; self.aging = aging; self.coverage = coverage; self.merge = merge
        self.hubs = hubs
        self.taxi = taxi
        self.trips = trips
        self.projection = projection
        self.outline = outline; self.frame = frame; self.omitted = omitted
    }
}

/// A rendered report: the HTML page (figures inline) and each figure as a standalone SVG file.
public struct RenderedReport: Sendable {
    public var html: String
    /// File name (e.g. `map_aging_hamlets.svg`) and SVG text, in page order.
    public var figures: [(name: String, svg: String)]
}

extension ReportContent {
    /// Every layer the report draws, styled as it draws them: what the run's GeoPackage holds
    /// and the interactive map shows.
    public func layers() throws -> [Layer] {
        var layers: [Layer] = []
        let crs = frame?.source ?? .wgs84
        if let a = aging {
            layers.append(a.layer(a.areas, name: "small_areas", crs: crs))
            if !a.hamlets.isEmpty { layers.append(a.layer(a.hamlets, name: "hamlets", crs: crs)) }
        }
        if let c = coverage { layers += [c.districtLayer(crs: crs), try c.councilLayer(crs: crs)] }
        if let m = merge { layers += try m.layers() }
        if let p = projection, !p.hamlets.isEmpty { layers.append(p.hamletLayer()) }
        if let t = taxi { layers += try t.layers() }
        if let t = trips { layers += try t.layers() }
        if let h = hubs { layers += h.layers }
        return layers
    }
}
