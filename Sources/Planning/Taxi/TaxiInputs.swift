import GeoCore
import GeoEngine
import GeoIO

/// Readers for `chiiki taxi`'s point and line layers, each checked and located in the study's
/// plane zone.
public enum TaxiInputs {
    /// Bus stops (国土数値情報 P11, or any point layer) or stations (N02: platform lines, or points).
    public static func transitStops(_ file: VectorFile, kind: TransitKind, nameField: String? = nil, planarCRS: CRS,
                                    measurer: Measurer) throws -> [TransitStop] {
        try NamedPoints.load(file, nameField: nameField, planarCRS: planarCRS, measurer: measurer).points
            .map { TransitStop(point: $0, kind: kind) }
    }

    /// Hubs, each with its own `vehicles` field when the layer has one, else `vehicles`.
    public static func hubs(_ file: VectorFile, nameField: String? = nil, vehicles: Int, planarCRS: CRS,
                            measurer: Measurer) throws -> [RoutingProblem.Hub] {
        let loaded = try NamedPoints.load(file, nameField: nameField, planarCRS: planarCRS, measurer: measurer)
        let counts = try NamedPoints.counts(loaded, field: "vehicles", default: vehicles, minimum: 0, source: file.path)
        return zip(loaded.points, counts).map { RoutingProblem.Hub(name: $0.name, position: $0.position, vehicles: $1) }
    }

    /// Stops to route, with their riders from `ridersField` (at least 1 each).
    public static func routeStops(_ file: VectorFile, nameField: String? = nil, ridersField: String, planarCRS: CRS,
                                  measurer: Measurer) throws -> [RoutingProblem.Stop] {
        let loaded = try NamedPoints.load(file, nameField: nameField, planarCRS: planarCRS, measurer: measurer)
        let riders = try NamedPoints.counts(loaded, field: ridersField, default: nil, minimum: 1, source: file.path)
        return zip(loaded.points, riders).map { RoutingProblem.Stop(name: $0.name, position: $0.position, riders: $1) }
    }
}
