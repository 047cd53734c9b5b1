import Foundation
import GeoCore
import Synchronization

/// The files this process has read, so that no output replaces one: `chiiki aging -o census.csv`
/// must not destroy its own census table. Every reader notes its file here; every output is
/// checked before the work (`AtomicOutput.checkWritable`) and again before it is renamed into place.
public enum InputFiles {
    private static let read = Mutex<Set<String>>([])

    /// Notes `path` (and a Shapefile's sidecar files) as an input.
    public static func note(_ path: String) {
        var paths = [resolved(path)]
        if path.lowercased().hasSuffix(".shp") {
            let stem = String(path.dropLast(4))
            paths += ["shx", "dbf", "prj", "cpg", "SHX", "DBF", "PRJ", "CPG"].map { resolved("\(stem).\($0)") }
        }
        read.withLock { $0.formUnion(paths) }
    }

    /// A whole file's bytes, noted as an input; nil when it cannot be read.
    public static func contents(_ path: String) -> Data? {
        note(path)
        // An empty file is not read: Foundation (Swift 6.3.1) leaks its 4 kB read buffer on one.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if size == 0, FileManager.default.isReadableFile(atPath: path) { return Data() }
        return FileManager.default.contents(atPath: path)
    }

    /// Fails when `output` is a file this run has read.
    public static func check(output: String) throws {
        let target = resolved(output)
        if read.withLock({ $0.contains(target) }) {
            throw DataError(file: output, "is an input of this run: writing there would destroy it; choose another output")
        }
    }

    /// The absolute path with symbolic links resolved, so two spellings of one file compare equal.
    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
