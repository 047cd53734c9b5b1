import Foundation
import TestSupport
import GeoCore
import GeoIO
@testable import Demography


func nagato(_ name: String) -> String { Repository.nagato(name) }

/// The bundled Nagato sample, loaded once for all tests.
let nagatoSample: (load: DistrictLoad, table: CensusTable, join: CensusJoin, hamlets: [Hamlet], councils: CouncilMap) = {
    let load = try! Districts.load(try! VectorReader.read(nagato("h27ka35211.shp")))
    let table = try! CensusCSV.read(nagato("census_age_2015_synthetic.csv"))
    let columns = try! CensusColumns.find(in: table)
    let households = Dictionary(uniqueKeysWithValues: load.districts.map { ($0.id, $0.figures!.households!) })
    let join = try! CensusJoin.join(table, columns: columns, boundaryKeys: load.districts.map(\.id), households: households)
    let hamlets = try! Hamlets.load(try! VectorReader.read(nagato("hamlets_2014_synthetic.geojson")))
    let councils = try! CouncilMap.read(nagato("councils_2017.json"))
    return (load, table, join, hamlets, councils)
}()

/// Writes text to a fresh temporary file and returns its path.
func temporaryFile(_ name: String, _ text: String, encoding: TextEncoding = .utf8) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chiiki-demography-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    FileManager.default.createFile(atPath: path, contents: Data(encoding.encode(text)!))
    return path
}

/// A census CSV in e-Stat's layout: codes row, labels row, then rows of
/// KEY_CODE, HYOSYO, NAME, total, under 15, 15–64, 65+ (other columns left out).
func censusCSV(_ rows: [(key: String, level: Int, name: String, suppression: Int, host: String, cells: [String])]) -> String {
    var lines = ["KEY_CODE,HYOSYO,CITYNAME,NAME,HTKSYORI,HTKSAKI,GASSAN,T001082001,T001082017,T001082018,T001082019",
                 ",,,,,,,総数、年齢「不詳」含む,総数１５歳未満,総数１５～６４歳,総数６５歳以上"]
    for r in rows {
        lines.append("\(r.key),\(r.level),市,\(r.name),\(r.suppression),\(r.host),,\(r.cells.joined(separator: ","))")
    }
    return lines.joined(separator: "\r\n") + "\r\n"
}
