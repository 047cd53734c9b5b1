import CGDAL
import GeoCore

/// An 8-bit image read through GDAL (PNG, GeoTIFF, …): bands of width × height bytes. Used to
/// check rendered reports (are there pixels, and are they not all blank).
public struct RasterImage: Sendable {
    public var width: Int
    public var height: Int
    /// One array of `width * height` bytes per band (e.g. R, G, B, A).
    public var bands: [[UInt8]]

    public static func read(_ path: String) throws -> RasterImage {
        guard let dataset = Dataset.open(path, openOptions: [], raster: true) else {
            throw DataError(file: path, "cannot open as an image: \(GDAL.lastError())")
        }
        let width = Int(GDALGetRasterXSize(dataset.pointer)), height = Int(GDALGetRasterYSize(dataset.pointer))
        let count = Int(GDALGetRasterCount(dataset.pointer))
        let bands = try (1...max(count, 1)).map { b -> [UInt8] in
            guard b <= count, let band = GDALGetRasterBand(dataset.pointer, Int32(b)) else { throw DataError(file: path, "no raster band") }
            var pixels = [UInt8](repeating: 0, count: width * height)
            let status = pixels.withUnsafeMutableBytes {
                GDALRasterIO(band, GF_Read, 0, 0, Int32(width), Int32(height), $0.baseAddress, Int32(width), Int32(height), GDT_Byte, 0, 0)
            }
            guard status == CE_None else { throw DataError(file: path, "cannot read band \(b): \(GDAL.lastError())") }
            return pixels
        }
        return RasterImage(width: width, height: height, bands: bands)
    }

    /// Pixels whose first three bands are not all near white (≥ 250).
    public var nonWhitePixels: Int {
        guard bands.count >= 3 else { return bands.first.map { $0.filter { $0 < 250 }.count } ?? 0 }
        return (0..<width * height).filter { i in bands[0][i] < 250 || bands[1][i] < 250 || bands[2][i] < 250 }.count
    }
}
