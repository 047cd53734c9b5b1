import Foundation
import TestSupport
import Testing

/// Runs killed at random moments (SIGKILL: no clean-up code runs) and runs racing for one
/// output: a reader finds the old outputs or the new ones, complete, never half a file or a mix
/// of two runs' files; the next run clears what a killed one left behind.
@Suite("interrupted runs", .serialized)
struct InterruptedRunTests {
    /// A writing command run two ways (A and B) that write different outputs at the same path.
    struct Writer: Sendable, CustomTestStringConvertible {
        var name: String
        var a: [String]
        var b: [String]
        /// Each file is atomic on its own (several single-file outputs) rather than as a set.
        var perFile = false
        var testDescription: String { name }
    }

    static let hamlets = CLI.nagato("hamlets_2014_synthetic.geojson")
    static let writers: [Writer] = [
        Writer(name: "districts", a: ["districts", CLITests.boundaries, "-o", "OUT/d.geojson"],
               b: ["districts", CLITests.boundaries, "--metric", "geodesic", "-o", "OUT/d.geojson"]),
        Writer(name: "aging", a: CLITests.agingArguments(output: "OUT/aging.geojson"),
               b: CLITests.agingArguments(census: CLI.nagato("census_age_2010_synthetic.csv"), output: "OUT/aging.geojson"), perFile: true),
        Writer(name: "coverage", a: ["coverage", "--districts", CLITests.boundaries, "--councils", CLITests.councils, "-o", "OUT/cov"],
               b: ["coverage", "--districts", CLITests.boundaries, "--councils", CLITests.councils, "--target", "0.9", "-o", "OUT/cov"]),
        Writer(name: "merge", a: ["merge", hamlets, "--propose", "-o", "OUT/m"], b: ["merge", hamlets, "--propose", "--regions", "-o", "OUT/m"]),
        Writer(name: "hubs", a: ["hubs", "--demand", hamlets, "--model", "p-median", "-p", "3", "-o", "OUT/h"],
               b: ["hubs", "--demand", hamlets, "--model", "p-median", "-p", "4", "-o", "OUT/h"]),
        Writer(name: "taxi", a: ["taxi", "--demand", hamlets, "--bus-stops", CLI.nagato("bus_stops_p11_synthetic.geojson"), "--propose", "4", "-o", "OUT/t"],
               b: ["taxi", "--demand", hamlets, "--bus-stops", CLI.nagato("bus_stops_p11_synthetic.geojson"), "--propose", "6", "-o", "OUT/t"]),
        Writer(name: "project", a: ProjectCLITests.arguments(to: "2030", output: "OUT/p"), b: ProjectCLITests.arguments(to: "2045", output: "OUT/p")),
        Writer(name: "report", a: ["report", "--boundaries", CLITests.boundaries, "--census", CLITests.census, "--hubs", "3", "-o", "OUT/r"],
               b: ["report", "--boundaries", CLITests.boundaries, "--census", CLITests.census, "--hubs", "4", "-o", "OUT/r"]),
    ]

    /// Twenty kills at moments spread over a run, alternating A and B so that each kill
    /// interrupts a change: afterwards the visible outputs are A's or B's, whole.
    @Test(arguments: writers)
    func killedAtRandomMomentsLeavesTheOldOrTheNewOutputs(_ w: Writer) throws {
        let dir = try TemporaryDirectory()
        let a = w.a.map { $0.replacingOccurrences(of: "OUT", with: dir.path) } + ["-q"]
        let b = w.b.map { $0.replacingOccurrences(of: "OUT", with: dir.path) } + ["-q"]
        try #require(try CLI.run(a).status == 0)
        let setA = try Self.visible(dir)
        let started = Date()
        try #require(try CLI.run(b).status == 0)
        let duration = Date().timeIntervalSince(started)
        let setB = try Self.visible(dir)
        try #require(setA != setB, "A and B must write different outputs")
        var current = setB
        var seed: UInt64 = 20_261_207
        for k in 0..<20 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let moment = Double(seed >> 11) / Double(1 << 53) * duration * 1.2
            let next = current == setA ? b : a
            try Self.runKilled(next, after: moment)
            let now = try Self.visible(dir)
            if w.perFile {
                for (path, hash) in now {
                    #expect(hash == setA[path] || hash == setB[path], "kill \(k) at \(moment) s: \(path) is neither A's nor B's")
                }
                #expect(Set(now.keys).isSubset(of: Set(setA.keys).union(setB.keys)), "kill \(k): unexpected files \(now.keys)")
            } else {
                #expect(now == setA || now == setB, "kill \(k) at \(moment) s: a mix or a partial output: \(now.keys.sorted())")
            }
            current = now
        }
        // A complete run afterwards removes whatever the killed ones left half-written.
        try #require(try CLI.run(a).status == 0)
        #expect(try Self.visible(dir) == setA)
        let leftBehind = try Self.hidden(dir)
        #expect(leftBehind.isEmpty, "left behind: \(leftBehind)")
    }

    /// Two runs writing the same outputs at the same time: both finish, one complete set remains.
    @Test(arguments: [writers[0], writers[4]])
    func twoRunsAtOnceLeaveOneCompleteResult(_ w: Writer) throws {
        let dir = try TemporaryDirectory()
        let a = w.a.map { $0.replacingOccurrences(of: "OUT", with: dir.path) } + ["-q"]
        let b = w.b.map { $0.replacingOccurrences(of: "OUT", with: dir.path) } + ["-q"]
        try #require(try CLI.run(a).status == 0)
        let setA = try Self.visible(dir)
        try #require(try CLI.run(b).status == 0)
        let setB = try Self.visible(dir)
        for _ in 0..<3 {
            let first = try Self.start(a), second = try Self.start(b)
            first.waitUntilExit(); second.waitUntilExit()
            #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
            let now = try Self.visible(dir)
            #expect(now == setA || now == setB, "a mix of two runs: \(now.keys.sorted())")
            #expect(try Self.hidden(dir).isEmpty)
        }
    }

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try CLI.binary.get()
        process.arguments = arguments
        process.currentDirectoryURL = Repository.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func runKilled(_ arguments: [String], after seconds: Double) throws {
        let process = try start(arguments)
        usleep(useconds_t(seconds * 1_000_000))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SHA-256 of every file a reader sees (hidden temporaries left out), by relative path.
    static func visible(_ dir: TemporaryDirectory) throws -> [String: String] {
        try GoldenOutputTests.hashes(of: dir.url).filter { path, _ in !path.split(separator: "/").contains { $0.hasPrefix(".") } }
    }

    /// Hidden names (temporary files, staging folders) anywhere under the folder.
    static func hidden(_ dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.split(separator: "/").contains { $0.hasPrefix(".") } }
    }
}
