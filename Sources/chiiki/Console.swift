import ArgumentParser
import Foundation
import GeoCore
import GeoEngine
import GeoIO

/// Progress on stderr (silenced by --quiet); results on stdout.
struct Console {
    var quiet: Bool
    private let started = Date()

    init(quiet: Bool) { self.quiet = quiet }

    func progress(_ message: String) {
        guard !quiet else { return }
        let seconds = String(format: "%5.1fs", Date().timeIntervalSince(started))
        FileHandle.standardError.write(Data("chiiki [\(seconds)] \(message)\n".utf8))
    }

    func line(_ text: String = "") { print(text) }

    /// A labelled summary line, label padded to a column.
    func row(_ label: String, _ text: String) {
        print("  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + text)
    }
}

/// Runs a command body; bad input and library failures become one line on stderr and exit 1.
/// A study option the library rejects is named by the flag that fed it.
func reportingErrors(_ body: () throws -> Void) throws {
    func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("chiiki: error: \(oneLine(message))\n".utf8))
        return ExitCode.failure
    }
    do {
        try body()
    } catch let error as DataError {
        throw fail(error.description)
    } catch let error as EngineError {
        throw fail(error.description)
    } catch let error as ParameterError {
        throw fail("\(flag(for: error.parameter)): \(error.message)")
    }
}

/// A message as one line: a library's multi-line text (a YAML parser's, a server's) joined up.
func oneLine(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        .joined(separator: " ")
}

/// The flag of a study option: its name in kebab case, but for the few the CLI names otherwise.
func flag(for parameter: String) -> String {
    let renamed = ["p": "-p", "proposal.count": "--propose", "proposal.cell": "--proposal-cell", "horizon": "--to",
                   "speedKmh": "--speed", "maxRideMinutes": "--max-ride", "dwellSeconds": "--dwell"]
    if let flag = renamed[parameter] { return flag }
    return "--" + parameter.reduce(into: "") { out, c in
        if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
    }
}

struct CommonOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress messages on stderr.")
    var quiet = false

    @Option(help: "Text encoding of Shapefile DBFs and census CSVs: utf8 or cp932 (default: detected).",
            transform: { name in
                guard let e = TextEncoding(name: name) else { throw ValidationError("unknown encoding '\(name)': use utf8 or cp932") }
                return e
            })
    var encoding: TextEncoding?

    @Flag(help: "Write CSV outputs in CP932 for Excel on Japanese Windows (default: UTF-8 with BOM).")
    var excel = false

    @Flag(help: "Replace output tables that exist in PostGIS (files are always replaced).")
    var overwrite = false
}

struct MetricOptions: ParsableArguments {
    @Option(help: "Area metric: plane (Japan Plane Rectangular zone, as e-Stat's AREA), equal-area or geodesic.")
    var metric: Metric = .plane

    @Option(help: "Plane zone number 1–19 for every feature (default: from each KEY_CODE's municipality and location).")
    var zone: PlaneZone?
}

extension Metric: ExpressibleByArgument {}

extension PlaneZone: ExpressibleByArgument {
    public init?(argument: String) {
        guard let n = Int(argument) else { return nil }
        self.init(n)
    }
}

func km2(_ m2: Double) -> String { String(format: "%.2f km²", m2 / 1e6) }
