import Foundation
import TestSupport
import Testing

/// The outputs of `make demo` and of every README command, byte for byte: a refactoring that
/// changes any file fails here. The commands are in Fixtures/golden_commands.txt, the SHA-256 of
/// every file they write in Fixtures/golden_hashes.txt (recorded with CHIIKI_RECORD_GOLDEN=1).
@Suite struct GoldenOutputTests {
    static let fixtures = "Tests/chiikiTests/Fixtures"

    /// Also with one worker thread and with four: no output depends on how work is split.
    @Test(arguments: [nil, "1", "4"])
    func demoAndReadmeOutputsAreUnchanged(threads: String?) throws {
        if threads != nil, ProcessInfo.processInfo.environment["CHIIKI_RECORD_GOLDEN"] == "1" { return }
        let out = try TemporaryDirectory()
        let commands = try String(contentsOfFile: Repository.path("\(Self.fixtures)/golden_commands.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        for command in commands {
            let arguments = command.split(separator: " ").map { $0.replacingOccurrences(of: "OUT", with: out.path) } + ["-q"]
            let run = try CLI.run(arguments, environment: threads.map { ["CHIIKI_THREADS": $0] } ?? [:])
            try #require(run.status == 0, "\(run)")
        }
        let actual = try Self.hashes(of: out.url)
        let recorded = Repository.path("\(Self.fixtures)/golden_hashes.txt")
        if ProcessInfo.processInfo.environment["CHIIKI_RECORD_GOLDEN"] == "1" {
            try actual.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)\n" }.joined().write(toFile: recorded, atomically: true, encoding: .utf8)
            return
        }
        var expected: [String: String] = [:]
        for line in try String(contentsOfFile: recorded, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            expected[parts[1]] = parts[0]
        }
        #expect(Set(actual.keys) == Set(expected.keys), "files written differ from the recorded list")
        for (path, hash) in actual.sorted(by: { $0.key < $1.key }) where expected[path] != nil {
            #expect(hash == expected[path], "\(path) changed (threads: \(threads ?? "all cores"))")
        }
    }

    /// SHA-256 of every file under `folder`, by relative path (coreutils' sha256sum: no crypto package needed).
    static func hashes(of folder: URL) throws -> [String: String] {
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
        let run = try CLI.run(files, in: folder, executable: "/usr/bin/sha256sum")
        try #require(run.status == 0, "\(run)")
        var out: [String: String] = [:]
        for line in run.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            out[parts[1]] = parts[0]
        }
        return out
    }
}
