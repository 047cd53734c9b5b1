import CSystem
import Foundation
import GeoCore

/// A folder of outputs: checked before the long work, so a typo in -o does not cost the run,
/// then written whole. The files are written into a hidden staging folder beside it, which
/// already holds (as hard links) whatever else the folder had; the two are then swapped in one
/// step (Linux's renameat2 RENAME_EXCHANGE). A reader, or a run killed at any moment, sees the
/// old set of files or the new one, never a mix; two runs writing one folder at once leave one
/// complete set.
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

    /// Checks as `check` does, lets `body` write `files` into a staging folder (its argument),
    /// and swaps it in. Other files in the folder stay, but for those `replacing` claims: outputs
    /// of an earlier run of the same study that this run does not write (they would be stale).
    /// Returns the files' final paths.
    @discardableResult
    public static func write(_ folder: String, files: [String], replacing: (String) -> Bool = { _ in false },
                             _ body: (_ staging: String) throws -> Void) throws -> [String] {
        let paths = try check(folder, files: files)
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        AtomicOutput.removeStale(in: parent)
        let staging = "\(parent)/.\(url.lastPathComponent).\(getpid()).staging"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
            if FileManager.default.fileExists(atPath: folder) {
                try mirror(folder, into: staging, except: { files.contains($0) || replacing($0) })
            }
            try body(staging)
            if FileManager.default.fileExists(atPath: folder) {
                guard chiiki_exchange_paths(staging, folder) == 0 else {
                    throw DataError(file: folder, "cannot replace the output folder: \(String(cString: strerror(errno)))")
                }
            } else if rename(staging, folder) != 0 {
                throw DataError(file: folder, "cannot create the output folder: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        // What is at the staging path now is the old set.
        try? FileManager.default.removeItem(atPath: staging)
        return paths
    }

    /// Recreates `source` in `target` with hard links (no copy), leaving out `except` at the top
    /// and anything a run left half-written.
    static func mirror(_ source: String, into target: String, except: (String) -> Bool) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: source) where !except(name) && !AtomicOutput.isTemporary(name) {
            let from = "\(source)/\(name)", to = "\(target)/\(name)"
            var isDirectory: ObjCBool = false
            if let destination = try? fm.destinationOfSymbolicLink(atPath: from) {
                try fm.createSymbolicLink(atPath: to, withDestinationPath: destination)
            } else if fm.fileExists(atPath: from, isDirectory: &isDirectory), isDirectory.boolValue {
                try fm.createDirectory(atPath: to, withIntermediateDirectories: false)
                try mirror(from, into: to, except: { _ in false })
            } else if link(from, to) != 0 {
                try fm.copyItem(atPath: from, toPath: to)
            }
        }
    }
}
