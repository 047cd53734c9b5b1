#!/usr/bin/env python3
"""Synthetic transit layers for the Nagato sample: stations, main roads, bus stops, taxi hubs.

Nagato's real 国土数値情報 P11 (bus stops) and N02 (railways) files are not redistributed here, so
`chiiki taxi`'s demo and tests use these stand-ins, laid out like the real files:

  stations_n02_synthetic.geojson    N02 station layout: one LineString (the platform, ~120 m) per
                                    station with N02_001 (鉄道区分: 11 = 普通鉄道JR), N02_002
                                    (事業者種別: 2 = JR在来線), N02_003 (路線名), N02_004 (運営会社),
                                    N02_005 (駅名). The stations of 山陰本線, its 仙崎 branch and
                                    美祢線 in and next to the city, at APPROXIMATE real positions
                                    (placed by hand from public maps, off by up to a few hundred
                                    metres; not surveyed).
  main_roads_synthetic.geojson      SYNTHETIC polylines approximating the main road corridors
                                    (国道191号, 316号, the 俵山, 仙崎・青海島, 三隅, 日置 and 油谷
                                    roads, and a loop through the town centre) between the
                                    settlements; a deterministic wiggle makes
                                    them road-like. Not real road geometry.
  bus_stops_p11_synthetic.geojson   P11 layout (Point, P11_001 = stop name): SYNTHETIC stops every
                                    ~750 m along the corridors buses plausibly serve (every ~400 m
                                    on the town loop); the inland roads to 真木, 三隅上, 日置, 後畑
                                    and 油谷河原 get none, so those hamlets are a transit gap, as
                                    the plan describes.
  taxi_hubs_synthetic.geojson       three SYNTHETIC hubs (name, kind): 長門市駅 and two 小さな拠点
                                    at the 三隅 and 油谷 branch offices' approximate positions.
  taxi_places_synthetic.geojson     SYNTHETIC places people travel to (name, kind: clinic, shop,
                                    station): generic names at settlements, no real facility.
  taxi_trips_synthetic.csv          SYNTHETIC bookings of one weekday for dial-a-ride taxis
                                    (UTF-8): from a settlement of the transit gap to the nearest
                                    place of a drawn kind and back, with an appointment window (arrive by) or a pick-up
                                    window (leave after); a deterministic draw.

Pure Python (no packages), deterministic. Rerun from the repository root:
    python3 geodata/nagato/make_transit_synthetic.py
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Settlement and junction points (lon, lat), approximate. Junctions are shared exactly by the
# roads that meet there, so a road graph built from the layer is connected.
P = {
    "west_border": (131.0170, 34.3400),
    "伊上": (131.0300, 34.3585),
    "人丸": (131.0800, 34.3660),
    "日置中": (131.1000, 34.3750),
    "長門古市": (131.1170, 34.3810),
    "黄波戸": (131.1430, 34.3725),
    "西深川": (131.1560, 34.3660),
    "長門市": (131.1860, 34.3760),
    "東深川東": (131.2130, 34.3690),
    "三隅下": (131.2350, 34.3750),
    "長門三隅": (131.2520, 34.3770),
    "east_border": (131.2950, 34.3700),
    "板持": (131.1820, 34.3570),
    "長門湯本": (131.1770, 34.3310),
    "渋木北": (131.1900, 34.3150),
    "渋木": (131.2050, 34.3000),
    "south_border_316": (131.2100, 34.2860),
    "湯本西": (131.1500, 34.3200),
    "俵山": (131.1100, 34.3000),
    "俵山南": (131.1000, 34.2760),
    "仙崎": (131.2000, 34.3920),
    "青海大橋": (131.1960, 34.4040),
    "青海島西": (131.2000, 34.4170),
    "青海島": (131.2150, 34.4240),
    "通": (131.2450, 34.4280),
    "三隅中": (131.2530, 34.3580),
    "三隅上西": (131.2800, 34.3450),
    "三隅上": (131.3100, 34.3420),
    "三隅上東": (131.3300, 34.3320),
    "真木北": (131.2450, 34.3350),
    "真木": (131.2420, 34.3240),
    "真木南": (131.2300, 34.3100),
    "日置下": (131.0750, 34.3950),
    "津黄": (131.0790, 34.4170),
    "新別名": (131.0640, 34.3680),
    "蔵小田": (131.0570, 34.3870),
    "角山": (131.0350, 34.3900),
    "後畑": (131.0440, 34.4080),
    "油谷西": (131.0100, 34.4100),
    "川尻": (131.0000, 34.4200),
    "向津具": (130.9750, 34.4120),
    "向津具南": (130.9560, 34.4070),
    "東深川南": (131.1900, 34.3620),
    "東深川西": (131.1750, 34.3700),
    "西深川南": (131.1600, 34.3560),
    "仙崎南": (131.2000, 34.3830),
    "東深川北": (131.2030, 34.3720),
    "河原": (131.0515, 34.3370),
    "河原南": (131.0600, 34.3150),
    "久富": (131.0840, 34.3570),
    "久富南": (131.0950, 34.3400),
}

# (name, anchor points, served by buses)
ROADS = [
    ("国道191号 (西)", ["west_border", "伊上", "人丸", "日置中", "長門古市", "黄波戸", "西深川", "長門市"], True),
    ("国道191号 (東)", ["長門市", "東深川東", "三隅下", "長門三隅", "east_border"], True),
    ("国道316号", ["長門市", "板持", "長門湯本", "渋木北", "渋木", "south_border_316"], True),
    ("俵山線", ["長門湯本", "湯本西", "俵山", "俵山南"], True),
    ("仙崎・青海島線", ["長門市", "仙崎", "青海大橋", "青海島西", "青海島", "通"], True),
    ("油谷北線", ["人丸", "新別名", "蔵小田", "角山", "油谷西", "向津具", "向津具南"], True),
    ("川尻線", ["油谷西", "川尻"], True),
    ("後畑線", ["角山", "後畑"], False),
    ("市内循環線", ["長門市", "仙崎南", "東深川北", "東深川東", "東深川南", "西深川南", "東深川西", "長門市"], True),
    ("三隅中線", ["長門三隅", "三隅中"], True),
    ("三隅上線", ["三隅中", "三隅上西", "三隅上", "三隅上東"], False),
    ("真木線", ["三隅中", "真木北", "真木", "真木南", "渋木"], False),
    ("日置線", ["長門古市", "日置下", "津黄"], False),
    ("油谷南線", ["伊上", "河原", "河原南"], False),
    ("久富線", ["人丸", "久富", "久富南"], False),
]

# (name, line, operator, position of the platform's middle, bearing of the track in degrees)
STATIONS = [
    ("長門市", "山陰線", (131.1862, 34.3778), 20),
    ("仙崎", "山陰線", (131.2003, 34.3933), 15),
    ("黄波戸", "山陰線", (131.1428, 34.3738), 100),
    ("長門古市", "山陰線", (131.1168, 34.3822), 110),
    ("人丸", "山陰線", (131.0820, 34.3668), 80),
    ("伊上", "山陰線", (131.0320, 34.3598), 60),
    ("長門粟野", "山陰線", (130.9905, 34.3405), 45),
    ("長門三隅", "山陰線", (131.2508, 34.3783), 95),
    ("板持", "美祢線", (131.1825, 34.3580), 10),
    ("長門湯本", "美祢線", (131.1778, 34.3322), 170),
    ("渋木", "美祢線", (131.2040, 34.3012), 140),
]

HUBS = [
    ("長門市駅", "station", (131.1866, 34.3768)),
    ("三隅 小さな拠点", "small hub", (131.2450, 34.3735)),
    ("油谷 小さな拠点", "small hub", (131.0700, 34.3655)),
]

# Metres per degree at 34.37°N (spherical approximation; fine for laying out synthetic shapes).
LAT0 = 34.37
MX = 111_320 * math.cos(math.radians(LAT0))
MY = 110_950


def to_m(c):
    return (c[0] * MX, c[1] * MY)


def to_deg(m):
    return (m[0] / MX, m[1] / MY)


def r7(c):
    return [round(c[0], 7), round(c[1], 7)]


def wiggle(a, b, index):
    """Road-like vertices from a to b: every ~300 m, offset sideways by a smooth deterministic
    amount (up to ~90 m), zero at both ends so junctions stay shared."""
    (ax, ay), (bx, by) = to_m(a), to_m(b)
    length = math.hypot(bx - ax, by - ay)
    n = max(1, int(length // 300))
    nx, ny = -(by - ay) / length, (bx - ax) / length
    out = []
    for k in range(n + 1):
        t = k / n
        off = 90 * math.sin(math.pi * t) * math.sin(2.7 * math.pi * t + index)
        out.append(to_deg((ax + (bx - ax) * t + nx * off, ay + (by - ay) * t + ny * off)))
    out[0], out[-1] = a, b
    return out


def polyline(names, index):
    pts = [P[names[0]]]
    for i in range(len(names) - 1):
        pts += wiggle(P[names[i]], P[names[i + 1]], index * 7 + i)[1:]
    return pts


def along(points, spacing):
    """Points every `spacing` metres along a polyline (starting `spacing / 2` in), with the
    index of the anchor segment they fall on."""
    ms = [to_m(p) for p in points]
    out, carry = [], spacing / 2
    for (x0, y0), (x1, y1) in zip(ms, ms[1:]):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = carry
        while pos <= seg:
            t = pos / seg
            out.append(to_deg((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)))
            pos += spacing
        carry = pos - seg
    return out


# Junctions and border points: shape the roads, never name a stop.
UNNAMED = {"west_border", "east_border", "south_border_316", "湯本西", "渋木北", "俵山南", "青海大橋", "三隅上西",
           "三隅上東", "真木北", "真木南", "河原南", "久富南", "青海島西", "向津具南", "油谷西", "東深川東"}


def nearest_place(c):
    x, y = to_m(c)
    named = [(k, v) for k, v in P.items() if k not in UNNAMED]
    return min(named, key=lambda kv: math.hypot(to_m(kv[1])[0] - x, to_m(kv[1])[1] - y))[0]


def collection(name, features):
    return {"type": "FeatureCollection", "name": name, "features": features}


def write(name, data):
    path = os.path.join(HERE, name + ".geojson")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n"type": "FeatureCollection",\n"name": "%s",\n"features": [\n' % name)
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False, separators=(", ", ": ")) for ft in data["features"]))
        f.write("\n]\n}\n")
    print(f"wrote {path}: {len(data['features'])} features")


# (name, kind, settlement): generic names, no real facility is meant.
PLACES = [
    ("総合病院 (東深川)", "clinic", "東深川西"), ("診療所 (三隅)", "clinic", "長門三隅"),
    ("診療所 (油谷)", "clinic", "新別名"), ("診療所 (日置)", "clinic", "日置中"), ("診療所 (湯本)", "clinic", "長門湯本"),
    ("スーパー (正明市)", "shop", "長門市"), ("スーパー (三隅)", "shop", "三隅下"),
    ("スーパー (油谷)", "shop", "人丸"), ("長門市駅", "station", "長門市"),
]

# Where bookings start: settlements of the transit gap and the far ends of the bus lines.
TRIP_HOMES = ["真木", "真木南", "三隅上", "三隅上東", "日置中", "後畑", "河原", "河原南", "俵山南", "渋木",
              "向津具南", "久富南", "角山", "津黄"]


def trips():
    """Bookings of one weekday: there with an appointment (drop-off window), back after it
    (pick-up window), 1–3 riders each. A fixed linear congruential draw keeps it deterministic."""
    state = 12345

    def draw(n):
        nonlocal state
        state = (1103515245 * state + 12345) % 2 ** 31
        return state % n

    rows = []
    for k in range(24):
        home = TRIP_HOMES[k % len(TRIP_HOMES)]
        x, y = to_m(P[home])
        lon, lat = to_deg((x + draw(400) - 200, y + draw(400) - 200))
        kind = ["clinic", "shop", "clinic", "station"][draw(4)]
        place = min((pl for pl in PLACES if pl[1] == kind),
                    key=lambda pl: math.hypot(to_m(P[pl[2]])[0] - x, to_m(P[pl[2]])[1] - y))[0]
        riders = 1 + (draw(10) >= 7) + (draw(10) >= 9)
        arrive = 9 * 60 + 30 * draw(7)             # appointments 9:00–12:00
        back = arrive + 60 + 30 * draw(4)           # one to two and a half hours later
        hm = lambda m: "%02d:%02d" % (m // 60, m % 60)
        rows.append([f"T{2 * k + 1:02d}", f"{lon:.6f}", f"{lat:.6f}", "", "", "", place, str(riders), "0",
                     hm(arrive - 30), hm(arrive), "dropoff"])
        rows.append([f"T{2 * k + 2:02d}", "", "", place, "", "", "", str(riders), "0",
                     hm(back), hm(back + 30), "pickup"])
        rows[-1][4:6] = [f"{lon:.6f}", f"{lat:.6f}"]
    path = os.path.join(HERE, "taxi_trips_synthetic.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("id,from_lon,from_lat,from,to_lon,to_lat,to,riders,wheelchairs,earliest,latest,window_at\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    print(f"wrote {path}: {len(rows)} bookings")


def main():
    roads, stops = [], []
    counters = {}
    for i, (name, names, bus) in enumerate(ROADS):
        line = polyline(names, i)
        roads.append({"type": "Feature", "properties": {"name": name, "bus_route": 1 if bus else 0, "synthetic": 1},
                      "geometry": {"type": "LineString", "coordinates": [r7(c) for c in line]}})
        if bus:
            for c in along(line, 400 if name == "市内循環線" else 750):
                place = nearest_place(c)
                counters[place] = counters.get(place, 0) + 1
                stops.append((place, c, name))
    # Stops named after the nearest settlement, numbered along the corridors.
    seen = {}
    bus_features = []
    for place, c, route in stops:
        seen[place] = seen.get(place, 0) + 1
        label = place if counters[place] == 1 else f"{place}{seen[place]}"
        bus_features.append({"type": "Feature", "properties": {"P11_001": label, "route": route, "synthetic": 1},
                             "geometry": {"type": "Point", "coordinates": r7(c)}})
    station_features = []
    for name, line, c, bearing in STATIONS:
        x, y = to_m(c)
        dx, dy = 60 * math.sin(math.radians(bearing)), 60 * math.cos(math.radians(bearing))
        coords = [r7(to_deg((x - dx, y - dy))), r7(to_deg((x + dx, y + dy)))]
        station_features.append({"type": "Feature",
                                 "properties": {"N02_001": "11", "N02_002": "2", "N02_003": line,
                                                "N02_004": "西日本旅客鉄道", "N02_005": name},
                                 "geometry": {"type": "LineString", "coordinates": coords}})
    hub_features = [{"type": "Feature", "properties": {"name": n, "kind": k, "synthetic": 1},
                     "geometry": {"type": "Point", "coordinates": r7(c)}} for n, k, c in HUBS]
    write("stations_n02_synthetic", collection("stations_n02_synthetic", station_features))
    write("main_roads_synthetic", collection("main_roads_synthetic", roads))
    write("bus_stops_p11_synthetic", collection("bus_stops_p11_synthetic", bus_features))
    write("taxi_hubs_synthetic", collection("taxi_hubs_synthetic", hub_features))
    place_features = [{"type": "Feature", "properties": {"name": n, "kind": k, "synthetic": 1},
                       "geometry": {"type": "Point", "coordinates": r7(P[at])}} for n, k, at in PLACES]
    write("taxi_places_synthetic", collection("taxi_places_synthetic", place_features))
    trips()


if __name__ == "__main__":
    main()
