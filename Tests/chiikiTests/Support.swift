import Foundation
import TestSupport
import Testing

/// Runs the `chiiki` binary that SwiftPM built beside this test bundle.
enum CLI {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func nagato(_ name: String) -> String { Repository.nagato(name) }
    static func bad(_ name: String) -> String { Repository.path("Tests/GeoIOTests/Fixtures/bad/\(name)") }

    /// `.build/<config>/chiiki`: the test bundle (chiikiPackageTests.xctest) lives in the same
    /// folder, whatever the configuration or scratch path (.build-asan, …).
    static let binary: Result<URL, Failure> = {
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("chiiki"))
        let bundle = Bundle.main.bundleURL.standardizedFileURL
        candidates.append(bundle.appendingPathComponent("chiiki"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("chiiki"))
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return .success(url)
            }
        }
        return .failure(Failure(description: """
            chiiki binary not found next to the test bundle; looked at \
            \(candidates.map(\.path).joined(separator: ", ")). Build it with `swift build` \
            (the chiikiTests target depends on it, so `swift test` normally does).
            """))
    }()

    struct Run: CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        var description: String {
            "chiiki \(arguments.joined(separator: " ")) → exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
        }
    }

    /// Runs chiiki (or `executable`) with `arguments` in `directory`; stdout and stderr go through files, so a
    /// chatty run cannot fill a pipe and block.
    /// With `timeout`, a run still going after that many seconds is killed (SIGKILL: status 9, by signal).
    static func run(_ arguments: [String], in directory: URL? = nil, executable: String? = nil,
                    timeout: Double? = nil, environment: [String: String] = [:]) throws -> Run {
        let binary = try executable.map { URL(fileURLWithPath: $0) } ?? Self.binary.get()
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("chiiki-cli-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let out = logs.appendingPathComponent("stdout"), err = logs.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? Repository.root
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        try process.run()
        if let timeout {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Run(arguments: arguments, status: process.terminationStatus,
                   stdout: String(decoding: try contents(out), as: UTF8.self),
                   stderr: String(decoding: try contents(err), as: UTF8.self))
    }

    /// A file's bytes. Empty files are not read with Data(contentsOf:): FoundationEssentials
    /// leaks its 4 kB read buffer on them (LeakSanitizer, Swift 6.3.1).
    static func contents(_ url: URL) throws -> Data {
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        return size == 0 ? Data() : try Data(contentsOf: url)
    }
}

/// The features of a GeoJSON file, parsed with JSONSerialization.
func geoJSONFeatures(_ path: String) throws -> [[String: Any]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let object = try JSONSerialization.jsonObject(with: data)
    guard let collection = object as? [String: Any], let features = collection["features"] as? [[String: Any]] else {
        throw CLI.Failure(description: "\(path) is not a GeoJSON FeatureCollection")
    }
    return features
}

func property(_ feature: [String: Any], _ name: String) -> Any? {
    (feature["properties"] as? [String: Any])?[name]
}

/// A numeric column of a dBASE file, read directly (the tests depend on nothing but the binary).
func dbfNumbers(_ path: String, field: String) throws -> [Double] {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    func le(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    let count = le(4, 4), headerLength = le(8, 2), recordLength = le(10, 2)
    var offset = 1, position = 32
    var column: (start: Int, width: Int)?
    while bytes[position] != 0x0D {
        let name = String(decoding: bytes[position..<position + 11].prefix { $0 != 0 }, as: UTF8.self)
        let width = Int(bytes[position + 16])
        if name == field { column = (offset, width) }
        offset += width
        position += 32
    }
    guard let column else { throw CLI.Failure(description: "\(path) has no field \(field)") }
    return try (0..<count).map { r in
        let start = headerLength + r * recordLength + column.start
        let text = String(decoding: bytes[start..<start + column.width], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard let value = Double(text) else { throw CLI.Failure(description: "\(path) record \(r + 1): \(field) '\(text)'") }
        return value
    }
}
