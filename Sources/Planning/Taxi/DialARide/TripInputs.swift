import Demography
import GeoCore
import GeoEngine
import GeoIO

/// Where people go: clinics, shops, the station, the hub (a point layer with a name and a kind).
public struct Place: Sendable, Hashable {
    public var point: NamedPoint
    /// "clinic", "shop", … from the layer's `kind` field ("place" when it has none).
    public var kind: String
}

/// How trips are estimated when no booking file is given (an assumption a planner states).
public struct TripEstimate: Sendable {
    /// Share of each district's aged 65+ who travel on the planned day.
    public var rate = 0.02
    /// The outbound trip arrives inside this window (an appointment), the return is picked up
    /// inside the other (seconds since midnight).
    public var arrive = (9.0 * 3600, 10.0 * 3600)
    public var leave = (11.5 * 3600, 12.5 * 3600)
    public init() {}

    public var description: String {
        "each district's aged 65+ × \(formatReal(rate)) travel, split evenly over the kinds of place (the nearest of each kind "
            + "by straight line), in bookings of at most the seats: there arriving \(clockTime(arrive.0))–\(clockTime(arrive.1)), "
            + "back picked up \(clockTime(leave.0))–\(clockTime(leave.1))"
    }
}

public enum TripInputs {
    /// Places from a point layer: name from `nameField` (or the usual name fields), kind from `kind`.
    public static func places(_ file: VectorFile, nameField: String?, planarCRS: CRS, measurer: Measurer) throws -> [Place] {
        let loaded = try NamedPoints.load(file, nameField: nameField, planarCRS: planarCRS, measurer: measurer)
        let kindColumn = loaded.layer.fieldIndex("kind")
        return zip(loaded.points, loaded.records).map { point, record in
            let kind = kindColumn.flatMap { loaded.layer.features[record].values[$0].stringValue }.flatMap { $0.isEmpty ? nil : $0 }
            return Place(point: point, kind: kind ?? "place")
        }
    }

    /// Bookings from a CSV file: `id, riders, earliest, latest, window_at` and each end as
    /// `from_lon, from_lat` / `to_lon, to_lat` (JGD2011 or WGS 84 degrees) or `from` / `to`
    /// naming a place or a stop; optional `wheelchairs`, and `pickup_dwell` / `dropoff_dwell`
    /// (seconds at that end, for a trip that needs longer than --dwell: a wheelchair, heavy
    /// shopping; empty = --dwell). Every record is checked; an error
    /// names the file, the record, the field and what was expected.
    public static func read(_ path: String, places: [NamedPoint], planarCRS: CRS, measurer: Measurer,
                            encoding: TextEncoding? = nil) throws -> [TripRequest] {
        let records = try CSVFile.nonBlankRecords(path, encoding: encoding)
        guard let header = records.first else { throw DataError(file: path, "empty: a header row and one row per booking were expected") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        for required in ["id", "riders"] where column(required) == nil {
            throw DataError.noSuchField(required, file: path, fields: header)
        }
        for end in ["from", "to"] where column(end) == nil && (column("\(end)_lon") == nil || column("\(end)_lat") == nil) {
            throw DataError(file: path, field: end, "each trip needs its \(end) end: columns \(end)_lon and \(end)_lat, or \(end) naming a place")
        }
        let toPlane = try measurer.transformer(from: .jgd2011, to: planarCRS)
        var byName: [String: NamedPoint] = [:]
        for p in places where byName[p.name] == nil { byName[p.name] = p }
        var seen = Set<String>()
        return try records.dropFirst().enumerated().map { k, row -> TripRequest in
            let record = k + 2
            func text(_ name: String) -> String? {
                guard let c = column(name), c < row.count else { return nil }
                let t = row[c].trimmingCharacters(in: .whitespaces)
                return t.isEmpty ? nil : t
            }
            func fail(_ field: String, _ message: String) -> DataError { DataError(file: path, record: record, field: field, message) }
            guard let id = text("id") else { throw fail("id", "expected a trip id, found nothing") }
            guard seen.insert(id).inserted else { throw fail("id", "trip \(id) appears twice") }
            func end(_ which: String) throws -> (Coordinate, String) {
                if let name = text(which) {
                    guard let p = byName[name] else {
                        throw fail(which, "trip \(id): '\(name)' is not a place of --places or a stop"
                                   + (byName.isEmpty ? " (no --places given)" : ""))
                    }
                    return (p.position, name)
                }
                guard let lonText = text("\(which)_lon"), let latText = text("\(which)_lat"),
                      let lon = Double(lonText), let lat = Double(latText) else {
                    throw fail("\(which)_lon", "trip \(id): expected \(which)_lon and \(which)_lat in degrees, or \(which) naming a place")
                }
                guard (-180...180).contains(lon), (-90...90).contains(lat) else {
                    throw fail("\(which)_lon", "trip \(id): \(lonText), \(latText) is not a longitude and latitude in degrees")
                }
                return (try toPlane.transform([Coordinate(lon, lat)])[0], "")
            }
            let (from, fromName) = try end("from"), (to, toName) = try end("to")
            func count(_ field: String, default value: Int?) throws -> Int {
                guard let t = text(field) else {
                    guard let value else { throw fail(field, "trip \(id): expected a whole number, found nothing") }
                    return value
                }
                guard let n = Int(t), n >= 0 else { throw fail(field, "trip \(id): expected a whole number ≥ 0, found '\(t)'") }
                return n
            }
            let riders = try count("riders", default: nil), wheelchairs = try count("wheelchairs", default: 0)
            func time(_ field: String) throws -> Double? {
                guard let t = text(field) else { return nil }
                guard let s = parseClockTime(t) else { throw fail(field, "trip \(id): expected a time HH:MM or HH:MM:SS, found '\(t)'") }
                return s
            }
            let earliest = try time("earliest"), latest = try time("latest")
            let at = text("window_at")?.lowercased() ?? "pickup"
            guard let windowAt = TripRequest.WindowEnd(rawValue: at) else {
                throw fail("window_at", "trip \(id): expected pickup or dropoff, found '\(at)'")
            }
            func seconds(_ field: String) throws -> Double? {
                guard let t = text(field) else { return nil }
                guard let s = Double(t), s >= 0, s.isFinite else { throw fail(field, "trip \(id): expected seconds ≥ 0, found '\(t)'") }
                return s
            }
            return TripRequest(id: id, from: from, to: to, fromName: fromName, toName: toName, riders: riders, wheelchairs: wheelchairs,
                               earliest: earliest, latest: latest, windowAt: windowAt,
                               pickupDwell: try seconds("pickup_dwell"), dropoffDwell: try seconds("dropoff_dwell"))
        }
    }

    /// Bookings estimated from the districts' aged 65+ (see `TripEstimate`): there and back to
    /// the nearest place of each kind, in bookings of at most `seats` riders.
    public static func estimate(_ districts: [District], places: [Place], estimate: TripEstimate, seats: Int,
                                measurer: Measurer, source: String) throws -> [TripRequest] {
        guard districts.allSatisfy(\.agedKnown) else {
            throw DataError(file: source, field: "aged_65_plus", "estimating trips needs people aged 65+: give an aged field (--aged) or --census")
        }
        let kinds = Array(Set(places.map(\.kind))).sorted()
        guard !kinds.isEmpty else { throw DataError(file: source, "no place to travel to: give --places") }
        var trips: [TripRequest] = []
        for district in districts {
            let travellers = Int((Double(district.figures?.aged ?? 0) * estimate.rate).rounded())
            guard travellers > 0 else { continue }
            let home = try measurer.engine.pointOnSurface(try district.planeShape())
            for (k, kind) in kinds.enumerated() {
                // Even split; the first kinds take the remainder.
                var riders = travellers / kinds.count + (k < travellers % kinds.count ? 1 : 0)
                guard let place = places.filter({ $0.kind == kind })
                        .min(by: { (planarDistance(home, $0.point.position), $0.point.name) < (planarDistance(home, $1.point.position), $1.point.name) })
                else { continue }
                var part = 1
                while riders > 0 {
                    let n = min(riders, seats)
                    riders -= n
                    let id = "\(district.id)-\(kind)-\(part)"
                    trips.append(TripRequest(id: id + "-there", from: home, to: place.point.position, fromName: district.name,
                                             toName: place.point.name, riders: n, earliest: estimate.arrive.0, latest: estimate.arrive.1,
                                             windowAt: .dropoff))
                    trips.append(TripRequest(id: id + "-back", from: place.point.position, to: home, fromName: place.point.name,
                                             toName: district.name, riders: n, earliest: estimate.leave.0, latest: estimate.leave.1,
                                             windowAt: .pickup))
                    part += 1
                }
            }
        }
        return trips
    }
}
