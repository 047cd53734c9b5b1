import Foundation
import GeoCore

/// Writes an output so that a reader never sees half a file and a failure leaves nothing
/// behind: the content goes to a hidden temporary file beside the target, renamed over it
/// only when complete.
public enum AtomicOutput {
    public static func write(to path: String, _ body: (_ temporaryPath: String) throws -> Void) throws {
        try checkWritable(path)
        let temporary = temporaryPath(for: path)
        do {
            try body(temporary)
            try replace(path, with: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// A hidden name beside `path`, free for this process to write.
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        // Keep the extension last: GDAL drivers look at it.
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        // Where a run is about to write, what killed runs left there goes first.
        removeStale(in: directory)
        let temporary = "\(directory)/.\(url.deletingPathExtension().lastPathComponent).\(getpid()).tmp\(ext)"
        try? FileManager.default.removeItem(atPath: temporary)
        return temporary
    }

    /// Whether `name` is one of the hidden names a run writes before renaming (a temporary file
    /// `.NAME.PID.tmp[.EXT]` or a staging folder `.NAME.PID.staging`); with the PID.
    static func temporaryOwner(_ name: String) -> pid_t? {
        guard name.hasPrefix(".") else { return nil }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard let mark = parts.lastIndex(where: { $0 == "tmp" || $0 == "staging" }), mark >= 2,
              parts[mark] == "staging" ? mark == parts.count - 1 : mark >= parts.count - 2 else { return nil }
        return pid_t(parts[mark - 1])
    }

    static func isTemporary(_ name: String) -> Bool { temporaryOwner(name) != nil }

    /// Removes what runs that no longer exist (killed, or the machine stopped) left half-written
    /// in `directory`; a live run's temporaries are kept.
    public static func removeStale(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            guard let pid = temporaryOwner(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
    }

    static func replace(_ path: String, with temporary: String) throws {
        try InputFiles.check(output: path)
        guard rename(temporary, path) == 0 else {
            throw DataError(file: path, "cannot replace the output: \(String(cString: strerror(errno)))")
        }
    }

    /// Fails unless the output can be written: called before long work, so a typo in -o does
    /// not cost the run. A file's directory must exist and be writable; a PostGIS table
    /// (PostGISLocation) must be reachable and, unless `overwrite`, not exist yet.
    public static func checkWritable(_ path: String, overwrite: Bool = false) throws {
        if let database = PostGISLocation(path) { return try PostGIS.checkWritable(database, overwrite: overwrite) }
        try InputFiles.check(output: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw DataError(file: path, "output directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw DataError(file: path, "\(directory) is not a directory") }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw DataError(file: path, "output directory \(directory) is not writable")
        }
        if URL(fileURLWithPath: path).pathExtension.lowercased() == "gpkg" { try GeoPackage.checkExisting(path) }
    }

    /// Writes bytes atomically.
    public static func write(_ data: [UInt8], to path: String) throws {
        try write(to: path) { temporary in
            do {
                try Data(data).write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw DataError(file: path, "cannot write the output: \(error.localizedDescription)")
            }
        }
    }
}
