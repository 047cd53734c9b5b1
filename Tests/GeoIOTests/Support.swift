import Foundation
import TestSupport
import GeoCore
import Testing

/// Where the tests find their inputs: the repository's geodata (found from this file's path)
/// and the bundled fixtures (Bundle.module, `Fixtures/` copied as is).
enum Paths {
    static let nagatoShapefile = Repository.nagato("h27ka35211.shp")
    static let nagatoHamlets = Repository.nagato("hamlets_2014_synthetic.geojson")
    static let nagatoCensus = Repository.nagato("census_age_2015_synthetic.csv")

    /// A file of Tests/GeoIOTests/Fixtures/bad, from the test bundle.
    static func bad(_ name: String) -> String {
        guard let resources = Bundle.module.resourceURL else { fatalError("the test bundle has no resources") }
        return resources.appendingPathComponent("Fixtures/bad").appendingPathComponent(name).path
    }
}

/// Runs `body`, which must throw a DataError, and returns it (records an issue otherwise).
func dataError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> DataError? {
    do {
        try body()
        Issue.record("expected a DataError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DataError {
        return error
    } catch {
        Issue.record("expected a DataError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// 64-bit FNV-1a of a file's bytes with its size and modification date: enough to notice any change.
struct FileFingerprint: Equatable, CustomStringConvertible {
    var size: Int
    var hash: UInt64
    var modified: Date?

    init(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        size = data.count
        hash = h
        modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }

    var description: String { "\(size) bytes, fnv1a \(String(hash, radix: 16))" }
}

/// Twice the signed area of a ring (shoelace): positive when counter-clockwise (x east, y north).
func signedArea(_ ring: [[Double]]) -> Double {
    guard ring.count > 2 else { return 0 }
    var sum = 0.0
    for i in 0..<(ring.count - 1) {
        sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
    }
    return sum
}

func signedArea(_ ring: [Coordinate]) -> Double {
    signedArea(ring.map { [$0.x, $0.y] })
}
