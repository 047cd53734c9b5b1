import Foundation
import GeoCore

/// A folder of outputs: checked before the long work, so a typo in -o does not cost the run,
/// and created only when there is something to write.
public enum OutputFolder {
    /// Fails unless `files` can be written into `folder`: the folder exists and each file can be
    /// replaced, or the folder can be created. Returns the files' paths.
    @discardableResult
    public static func check(_ folder: String, files: [String]) throws -> [String] {
        let paths = files.map { "\(folder)/\($0)" }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DataError(file: folder, "exists and is not a directory") }
            try paths.forEach { try AtomicOutput.checkWritable($0) }
        } else {
            try AtomicOutput.checkWritable(folder)
        }
        return paths
    }

    /// Checks as `check` does and creates the folder if missing. Returns the files' paths.
    @discardableResult
    public static func prepare(_ folder: String, files: [String]) throws -> [String] {
        let paths = try check(folder, files: files)
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            } catch {
                throw DataError(file: folder, "cannot create the output folder: \(error.localizedDescription)")
            }
        }
        return paths
    }
}
