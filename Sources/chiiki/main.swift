import GeoCore
import GeoEngine
import GeoIO
for path in CommandLine.arguments.dropFirst() {
    let file = try VectorReader.read(path)
    print(file.driver, file.encoding, file.layer.crs, file.layer.features.count, file.layer.fields.map(\.name))
    let m = Measurer()
    let gs = file.layer.features.map(\.geometry)
    let prefs = file.layer.features.map { file.layer.value($0, "KEY_CODE").stringValue.flatMap { Int($0.prefix(2)) } }
    let zones = try m.planeZones(gs, crs: file.layer.crs, prefectures: prefs, source: path)
    let areas = try m.areas(gs, crs: file.layer.crs, metric: .plane, zones: zones)
    var maxRel = 0.0
    for (i, f) in file.layer.features.enumerated() {
        let a = file.layer.value(f, "AREA").doubleValue ?? 0
        let r = abs(areas[i] - a) / a
        if r > maxRel { maxRel = r; print(i, file.layer.value(f, "KEY_CODE"), file.layer.value(f, "MOJI"), a, areas[i]) }
    }
    print("max rel", maxRel, zones[0])
    try VectorWriter.write(file.layer, to: "/tmp/out.geojson")
}
