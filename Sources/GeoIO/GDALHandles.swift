import CGDAL
import Foundation
import GeoCore

// The only file that opens, closes or destroys GDAL/OGR objects. Each kind of handle has its
// own owner class whose deinit frees it; handles borrowed from a parent (a feature's geometry,
// a layer of a dataset) are used while the parent is alive and never freed.

enum GDAL {
    /// Registers the drivers once per process and keeps GDAL quiet on stderr: its messages are
    /// read back with `lastError()` and reported in our own words.
    static let ready: Void = {
        GDALAllRegister()
        _ = CPLSetErrorHandler(CPLQuietErrorHandler)
        // GeoPackage stamps the current time into its metadata; fix it so outputs are reproducible.
        CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z")
        // An unreachable database host fails after 10 s instead of the TCP default of minutes,
        // unless the user chose otherwise.
        setenv("PGCONNECT_TIMEOUT", "10", 0)
    }()

    static func resetError() { CPLErrorReset() }

    static func lastError() -> String {
        guard let msg = CPLGetLastErrorMsg() else { return "" }
        return String(cString: msg)
    }

    static func lastErrorIsFailure() -> Bool {
        CPLGetLastErrorType().rawValue >= CE_Failure.rawValue
    }
}

/// A list of C strings for GDAL's option arguments (`char **`), freed with the value.
final class CStringList {
    private(set) var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit { pointers.forEach { free($0) } }

    func withPointer<R>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> R) rethrows -> R {
        try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress) }
    }

    /// The same list as `const char * const *`, as GDALOpenEx wants it.
    func withConstPointer<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
        try withPointer { try body(UnsafeRawPointer($0).map { $0.assumingMemoryBound(to: UnsafePointer<CChar>?.self) }) }
    }
}

/// An open GDAL dataset (a file, for reading or writing). Closing flushes writes.
final class Dataset {
    let pointer: GDALDatasetH
    private var closed = false

    private init(_ pointer: GDALDatasetH) { self.pointer = pointer }

    /// Opens for reading, or for writing into (`update`: a database that layers are added to);
    /// `raster` for images instead of vector layers.
    static func open(_ path: String, openOptions: [String] = [], update: Bool = false, raster: Bool = false) -> Dataset? {
        _ = GDAL.ready
        GDAL.resetError()
        let kind = raster ? GDAL_OF_RASTER : GDAL_OF_VECTOR
        let flags = UInt32(kind | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY) | GDAL_OF_VERBOSE_ERROR)
        let options = CStringList(openOptions)
        let handle = options.withConstPointer { GDALOpenEx(path, flags, nil, $0, nil) }
        return handle.map(Dataset.init)
    }

    static func create(_ path: String, driver name: String, options: [String] = []) -> Dataset? {
        _ = GDAL.ready
        GDAL.resetError()
        guard let driver = GDALGetDriverByName(name) else { return nil }
        let options = CStringList(options)
        let handle = options.withPointer { GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, $0) }
        return handle.map(Dataset.init)
    }

    var driverName: String {
        guard let driver = GDALGetDatasetDriver(pointer), let name = GDALGetDriverShortName(driver) else { return "" }
        return String(cString: name)
    }

    /// Closes now, reporting whether GDAL finished writing without error.
    func close() -> Bool {
        guard !closed else { return true }
        closed = true
        GDAL.resetError()
        GDALClose(pointer)
        return !GDAL.lastErrorIsFailure()
    }

    deinit { if !closed { GDALClose(pointer) } }
}

/// The layer a SQL statement returned, released back to its dataset (which it keeps open).
final class SQLResult {
    let dataset: Dataset
    let layer: OGRLayerH

    /// Nil when the statement failed or returned no rows set; `GDAL.lastError()` says why.
    init?(_ dataset: Dataset, _ statement: String) {
        GDAL.resetError()
        guard let layer = GDALDatasetExecuteSQL(dataset.pointer, statement, nil, nil) else { return nil }
        self.dataset = dataset
        self.layer = layer
    }

    deinit { GDALDatasetReleaseResultSet(dataset.pointer, layer) }
}

/// An owned OGR feature.
final class OGRFeature {
    let pointer: OGRFeatureH
    init(_ pointer: OGRFeatureH) { self.pointer = pointer }
    deinit { OGR_F_Destroy(pointer) }
}

/// An owned OGR geometry not yet handed to a feature.
final class OGRGeometry {
    private(set) var pointer: OGRGeometryH?
    init(_ pointer: OGRGeometryH) { self.pointer = pointer }

    /// Gives the geometry to a new owner (a feature or a parent geometry) that will free it.
    func transfer() -> OGRGeometryH? {
        defer { pointer = nil }
        return pointer
    }

    deinit { if let pointer { OGR_G_DestroyGeometry(pointer) } }
}

/// An owned OGR spatial reference, always in GIS axis order (lon, lat).
final class SpatialReference {
    let pointer: OGRSpatialReferenceH

    init?(definition: String) {
        _ = GDAL.ready
        guard let srs = OSRNewSpatialReference(nil) else { return nil }
        guard OSRSetFromUserInput(srs, definition) == OGRERR_NONE else {
            OSRDestroySpatialReference(srs)
            return nil
        }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        pointer = srs
    }

    /// A copy of a layer's (borrowed) spatial reference.
    init?(cloning borrowed: OGRSpatialReferenceH) {
        guard let srs = OSRClone(borrowed) else { return nil }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        pointer = srs
    }

    deinit { OSRDestroySpatialReference(pointer) }

    /// The CRS as a chiiki tag, identifying an EPSG code where GDAL can (ESRI .prj files name
    /// "D_JGD_2000" rather than EPSG:4612, so matching is needed).
    var crs: CRS {
        let geographic = OSRIsGeographic(pointer) != 0
        let name = OSRGetName(pointer).map { String(cString: $0) } ?? "unnamed"
        if let code = authorityCode(pointer) { return .epsg(code, geographic: geographic, name: name) }
        var count: Int32 = 0
        var confidences: UnsafeMutablePointer<Int32>?
        if let matches = OSRFindMatches(pointer, nil, &count, &confidences) {
            defer {
                OSRFreeSRSArray(matches)
                VSIFree(confidences)
            }
            if count > 0, let confidences, confidences[0] >= 70, let best = matches[0], let code = authorityCode(best) {
                return .epsg(code, geographic: geographic, name: OSRGetName(best).map { String(cString: $0) } ?? name)
            }
        }
        var wkt: UnsafeMutablePointer<CChar>?
        OSRExportToWkt(pointer, &wkt)
        defer { VSIFree(wkt) }
        return CRS(epsg: nil, definition: wkt.map { String(cString: $0) } ?? "", isGeographic: geographic, name: name)
    }

    private func authorityCode(_ srs: OGRSpatialReferenceH) -> Int? {
        guard let authority = OSRGetAuthorityName(srs, nil), String(cString: authority) == "EPSG",
              let code = OSRGetAuthorityCode(srs, nil) else { return nil }
        return Int(String(cString: code))
    }
}
