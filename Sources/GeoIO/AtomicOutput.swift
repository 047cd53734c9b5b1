import Foundation
import GeoCore

/// Writes an output so that a reader never sees half a file and a failure leaves nothing
/// behind: the content goes to a hidden temporary file beside the target, renamed over it
/// only when complete.
public enum AtomicOutput {
    public static func write(to path: String, _ body: (_ temporaryPath: String) throws -> Void) throws {
        try checkWritable(path)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        // Keep the extension last: GDAL drivers look at it.
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        let temporary = "\(directory)/.\(url.deletingPathExtension().lastPathComponent).\(getpid()).tmp\(ext)"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try body(temporary)
            guard rename(temporary, path) == 0 else {
                throw DataError(file: path, "cannot replace the output: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Fails unless the output's directory exists and can be written: called before long work,
    /// so a typo in -o does not cost the run.
    public static func checkWritable(_ path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw DataError(file: path, "output directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw DataError(file: path, "\(directory) is not a directory") }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw DataError(file: path, "output directory \(directory) is not writable")
        }
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
