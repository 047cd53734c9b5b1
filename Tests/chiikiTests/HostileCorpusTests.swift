import Foundation
import TestSupport
import Testing

/// Every case of the hostile corpus (Tests/Hostile, made by make_corpus.py): chiiki stops with a
/// clear error instead of crashing or writing half an output. `make test` runs it again under
/// AddressSanitizer.
@Suite("hostile inputs")
struct HostileCorpusTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var args: [String]
        /// The input the error names; empty when it is about an option.
        var file: String
        var says: [String]
        /// What the run would write: "file", "folder" or "none" (the output path is itself the case).
        var output: String
        /// Text that must not appear anywhere in the output (a password).
        var never: [String]
        var testDescription: String { name }
    }

    static let corpus = Repository.path("Tests/Hostile/corpus")

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: Repository.path("Tests/Hostile/cases.json"))
        guard let data = try? Data(contentsOf: url), let cases = try? JSONDecoder().decode([Case].self, from: data) else { return [] }
        return cases
    }()

    @Test func theCorpusCoversEveryCommand() {
        #expect(Self.cases.count >= 60)
        let commands = Set(Self.cases.map { $0.args[0] })
        #expect(commands.isSuperset(of: ["info", "districts", "aging", "merge", "hubs", "coverage", "taxi", "project", "report"]))
    }

    @Test(arguments: cases)
    func failsWithOneClearLineAndLosesNothing(_ c: Case) throws {
        let dir = try TemporaryDirectory()
        func expand(_ s: String) -> String {
            s.replacingOccurrences(of: "{c}", with: Self.corpus).replacingOccurrences(of: "{n}", with: Repository.path("geodata/nagato"))
                .replacingOccurrences(of: "{out}", with: dir.path)
        }
        let arguments = c.args.map(expand)
        let inputs = Self.inputFiles(arguments)
        let before = try inputs.map { try CLI.contents(URL(fileURLWithPath: $0)) }
        let started = Date()
        let run = try CLI.run(arguments + ["-q"], timeout: 10)
        let seconds = Date().timeIntervalSince(started)

        #expect(run.status > 0 && run.status < 128 && run.status != 9, "exit \(run.status): \(run)")
        #expect(seconds < 10, "took \(seconds) s")
        let lines = run.stderrLines
        #expect((1...2).contains(lines.count), "\(run)")
        let line = lines.first ?? ""
        #expect(line.hasPrefix("chiiki: error: ") || line.hasPrefix("Error: "), "\(line)")
        if !c.file.isEmpty { #expect(line.contains(expand(c.file)), "the error names \(expand(c.file)): \(line)") }
        for text in c.says where !text.isEmpty { #expect(run.stderr.contains(text), "'\(run.stderr)' should say '\(text)'") }
        for text in c.never { #expect(!(run.stderr + run.stdout).contains(text), "'\(text)' must not appear: \(run)") }
        #expect(try dir.contents() == [], "nothing written")
        for (path, bytes) in zip(inputs, before) {
            #expect(try CLI.contents(URL(fileURLWithPath: path)) == bytes, "\(path) changed")
        }
    }

    /// The fuzz targets (make fuzz) replay the corpus and every input the fuzzer ever found, in
    /// the ordinary build and under AddressSanitizer: none may crash.
    @Test(arguments: ["census", "geojson", "councils", "scenario", "clock"])
    func fuzzTargetsReplayTheirInputs(_ target: String) throws {
        let corpus = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).sorted().map { "\(Self.corpus)/\($0)" }
        let found = Repository.path("Tests/Hostile/fuzz-crashes/\(target)")
        let crashes = ((try? FileManager.default.contentsOfDirectory(atPath: found)) ?? []).sorted().map { "\(found)/\($0)" }
        let binary = try CLI.binary.get().deletingLastPathComponent().appendingPathComponent("chiiki-fuzz").path
        let run = try CLI.run([target] + corpus + crashes, executable: binary, timeout: 120)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("replayed"), "\(run)")
    }

    /// The files a run reads (with a Shapefile's siblings), to check they are unchanged.
    static func inputFiles(_ arguments: [String]) -> [String] {
        var files: [String] = []
        for a in arguments where a.hasPrefix("/") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: a, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files.append(a)
            if a.hasSuffix(".shp") {
                let stem = String(a.dropLast(4))
                files += ["dbf", "shx", "prj", "cpg"].map { "\(stem).\($0)" }.filter { FileManager.default.fileExists(atPath: $0) }
            }
        }
        return files
    }
}
