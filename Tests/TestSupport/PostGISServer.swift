import Foundation

/// The PostgreSQL + PostGIS server the database tests use, reached through `psql` so that what
/// they check (SRIDs, indexes, rows) is read independently of chiiki's GDAL code.
///
/// `.ci/run` starts Debian's server on loopback with a role `chiiki` (password `chiiki`, may
/// create databases) and PostGIS in template1; CHIIKI_TEST_PG (libpq keywords without dbname)
/// points the tests at another server.
public enum PostGISServer {
    public static let parameters = ProcessInfo.processInfo.environment["CHIIKI_TEST_PG"]
        ?? "host=127.0.0.1 port=5432 user=chiiki password=chiiki"

    /// Why the database tests cannot run here, or nil when the server answers with PostGIS.
    public static let unavailableReason: String? = {
        guard let psql = executable("psql") else { return "psql is not installed (apt-get install postgresql-client)" }
        do {
            let run = try PSQL.run(psql, "\(parameters) dbname=postgres connect_timeout=3", "SELECT 1")
            if run.status != 0 {
                let reason = run.stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                return "no PostgreSQL server at '\(masked)': \(reason.joined(separator: "; "))"
            }
            let extensions = try PSQL.run(psql, "\(parameters) dbname=template1 connect_timeout=3",
                                          "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")
            if extensions.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
                return "PostGIS is not in template1 at '\(masked)' (.ci/run installs it)"
            }
            return nil
        } catch {
            return "psql could not be run: \(error)"
        }
    }()

    public static var isAvailable: Bool { unavailableReason == nil }

    /// What the skip message names: the parameters without the password.
    static var masked: String {
        parameters.replacingOccurrences(of: #"password=\S+"#, with: "password=***", options: .regularExpression)
    }

    static func executable(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// A database of its own for one test, created from template1 (so with PostGIS) and dropped
/// with the value.
public final class TemporaryDatabase {
    public let name: String

    public init() throws {
        name = "chiiki_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try Self.admin("CREATE DATABASE \(name)")
    }

    /// libpq keywords for this database, without a `PG:` prefix.
    public var parameters: String { "\(PostGISServer.parameters) dbname=\(name)" }

    /// A chiiki location naming `relation` (a table or a query) in this database.
    public func location(_ relation: String) -> String { "PG:\(parameters)#\(relation)" }

    /// The same as a `postgresql://` URL, built from the keywords.
    public func url(_ relation: String) -> String {
        var keys: [String: String] = [:]
        for pair in PostGISServer.parameters.split(separator: " ") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { keys[kv[0]] = kv[1] }
        }
        let user = keys["user"].map { u in keys["password"].map { "\(u):\($0)@" } ?? "\(u)@" } ?? ""
        let host = keys["host"] ?? "127.0.0.1"
        let port = keys["port"].map { ":\($0)" } ?? ""
        return "postgresql://\(user)\(host)\(port)/\(name)#\(relation)"
    }

    /// Runs SQL and returns psql's unaligned output (`|` between columns, a row per line).
    @discardableResult
    public func sql(_ statement: String) throws -> String {
        let run = try PSQL.run(try PSQL.path(), parameters, statement)
        guard run.status == 0 else { throw PSQL.Failure(description: "psql failed on \(statement): \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .newlines)
    }

    static func admin(_ statement: String) throws {
        let run = try PSQL.run(try PSQL.path(), "\(PostGISServer.parameters) dbname=postgres", statement)
        guard run.status == 0 else { throw PSQL.Failure(description: "psql failed on \(statement): \(run.stderr)") }
    }

    deinit { try? Self.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
}

enum PSQL {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func path() throws -> String {
        guard let psql = PostGISServer.executable("psql") else { throw Failure(description: "psql is not installed") }
        return psql
    }

    /// psql -X (no ~/.psqlrc), unaligned and tuples only, stopping at the first error.
    static func run(_ psql: String, _ connection: String, _ statement: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", connection, "-c", statement]
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("chiiki-psql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let out = logs.appendingPathComponent("out"), err = logs.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return (process.terminationStatus, text(out), text(err))
    }

    /// Empty files are not read with Data(contentsOf:), which leaks its buffer on them (LSan).
    private static func text(_ url: URL) -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size > 0, let data = try? Data(contentsOf: url) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
