// chiiki-fuzz: the readers chiiki writes itself, one entry each.
//
//   chiiki-fuzz TARGET FILE…     replays files through TARGET (the ordinary build; the tests
//                                replay the hostile corpus this way)
//   chiiki-fuzz TARGET [libFuzzer options] DIR…   in the fuzzing build (make fuzz: ASan,
//                                coverage instrumentation, -DFUZZING, libFuzzer linked), fuzzes TARGET
//
// Targets: census (e-Stat CSV), geojson (a GeoJSON/JSON layer through GDAL and chiiki's checks),
// councils (a council mapping in JSON), scenario (merge scenarios in YAML), clock (HH:MM times).
// Errors are the expected outcome for most inputs; a crash, a sanitizer report or a hang is a bug.
import CFuzz
import Demography
import Foundation
import GeoIO
import Planning

struct FuzzTarget: Sendable {
    var fileExtension: String
    var run: @Sendable (Data, String) -> Void

    static let all: [String: FuzzTarget] = [
        "census": FuzzTarget(fileExtension: "csv") { _, path in _ = try? CensusCSV.read(path) },
        "geojson": FuzzTarget(fileExtension: "geojson") { _, path in _ = try? VectorReader.read(path) },
        "councils": FuzzTarget(fileExtension: "json") { _, path in _ = try? CouncilMap.read(path) },
        "scenario": FuzzTarget(fileExtension: "yaml") { _, path in _ = try? MergeScenarioFile.read(path) },
        "clock": FuzzTarget(fileExtension: "txt") { data, _ in _ = ClockTime(String(decoding: data, as: UTF8.self)) },
    ]

    /// Each input goes through a file, as the readers take paths: one per process, in memory where possible.
    func callAsFunction(_ data: Data) {
        let scratch = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let input = "\(scratch)/chiiki-fuzz-\(getpid()).\(fileExtension)"
        _ = FileManager.default.createFile(atPath: input, contents: data)
        run(data, input)
        try? FileManager.default.removeItem(atPath: input)
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget.all[arguments[1]] else {
    FileHandle.standardError.write(Data("usage: chiiki-fuzz \(FuzzTarget.all.keys.sorted().joined(separator: "|")) FILE…\n".utf8))
    exit(2)
}
nonisolated(unsafe) var fuzzed = target

#if FUZZING
// libFuzzer takes over: its options and corpus folders follow the target's name.
var driverArguments = [arguments[0]] + arguments.dropFirst(2)
var argc = CInt(driverArguments.count)
var cStrings: [UnsafeMutablePointer<CChar>?] = driverArguments.map { strdup($0) } + [nil]
let status = cStrings.withUnsafeMutableBufferPointer { buffer -> CInt in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv) { bytes, size in
        fuzzed(bytes.map { Data(bytes: $0, count: size) } ?? Data())
        return 0
    }
}
exit(status)
#else
var replayed = 0
for path in arguments.dropFirst(2) {
    guard let data = InputFiles.contents(path) else { continue }
    target(data)
    replayed += 1
}
print("replayed \(replayed) file(s) through \(arguments[1])")
#endif
