#!/usr/bin/env python3
"""The hostile-input corpus: files a planner receives from many hands, broken in the ways they
break, and what chiiki must say about each.

Run from anywhere with any Python 3 (standard library only):  python3 Tests/Hostile/make_corpus.py

Every file is derived byte for byte from the bundled Nagato sample (geodata/nagato) or written
from scratch here; nothing is hand-edited, and running the script twice gives identical files.
Writes Tests/Hostile/corpus/ and Tests/Hostile/cases.json: one case per run of chiiki, with its
arguments ({c} is the corpus folder, {n} geodata/nagato, {out} an output path in an empty
folder), the file the error must name ("" when the error is about an option) and the text the
one error line must hold. HostileCorpusTests runs every case (also under AddressSanitizer, as
`make test` does) and checks: exit code 1–127 within 10 s, one or two lines on stderr, the
expected text, nothing written, every input byte-identical afterwards.

To add a case: write its file in a function below, add a `case(...)` line, run this script,
run `swift test --filter HostileCorpus`.
"""
import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
NAGATO = os.path.join(ROOT, "geodata", "nagato")
OUT = os.path.join(HERE, "corpus")
SHP = os.path.join(NAGATO, "h27ka35211")
CASES = []


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return "{c}/" + name


def case(name, args, says, file="", output="file", never=()):
    """A run that must fail: `file` is the input the error names ("" for an option); `never`:
    text that must not appear in its output (a password)."""
    CASES.append({"name": name, "args": args, "file": file, "says": says, "output": output, "never": list(never)})


def aging(boundaries="{n}/h27ka35211.shp", census="{n}/census_age_2015_synthetic.csv", extra=()):
    return ["aging", "--boundaries", boundaries, "--census", census, *extra, "-o", "{out}/aging.geojson"]


# --- Shapefiles ------------------------------------------------------------------------------

def shapefile(name, shp=None, shx=None, dbf=None, cpg=None):
    """A copy of the Nagato boundaries with some parts replaced."""
    write(name + ".shp", read(SHP + ".shp") if shp is None else shp)
    write(name + ".shx", read(SHP + ".shx") if shx is None else shx)
    write(name + ".dbf", read(SHP + ".dbf") if dbf is None else dbf)
    write(name + ".prj", read(SHP + ".prj"))
    if cpg is not None:
        write(name + ".cpg", cpg)
    return "{c}/" + name + ".shp"


def garbage(n, seed):
    """Deterministic bytes that are no format at all (a linear congruential generator)."""
    out, x = bytearray(), seed
    for _ in range(n):
        x = (1103515245 * x + 12345) % 2 ** 31
        out.append(x >> 16 & 255)
    return bytes(out)


def shapefiles():
    shp, dbf = read(SHP + ".shp"), read(SHP + ".dbf")
    p = shapefile("garbage_shp", shp=shp[:100] + garbage(len(shp) - 100, 1))
    case("shp: garbage after the header", ["districts", p, "-o", "{out}/d.geojson"], ["record 1"], p)
    p = shapefile("garbage_shx", shx=garbage(len(read(SHP + ".shx")), 2))
    case("shx: garbage", ["districts", p, "-o", "{out}/d.geojson"], ["cannot"], p)
    p = shapefile("garbage_dbf", dbf=garbage(len(dbf), 3))
    case("dbf: garbage", ["districts", p, "-o", "{out}/d.geojson"], ["no attribute fields", ".dbf"], p)
    p = shapefile("truncated_dbf", dbf=dbf[:len(dbf) // 2])
    case("dbf: cut in half", ["districts", p, "-o", "{out}/d.geojson"], ["record"], p)
    huge = bytearray(dbf)
    huge[4:8] = struct.pack("<I", 2 ** 31)
    p = shapefile("dbf_claims_2g_records", dbf=bytes(huge))
    case("dbf: header claims 2^31 records", ["districts", p, "-o", "{out}/d.geojson"], ["records"], p)
    p = shapefile("cpg_says_utf8", cpg="UTF-8")
    case("dbf: CP932 text, .cpg says UTF-8", ["districts", p, "-o", "{out}/d.geojson"], ["field", "UTF-8"], p)
    p = shapefile("zero_byte_shp", shp=b"")
    case("shp: 0 bytes", ["districts", p, "-o", "{out}/d.geojson"], [""], p)
    p = shapefile("shp_no_records", shp=shp[:100], shx=read(SHP + ".shx")[:100])
    case("shp: header only", ["districts", p, "-o", "{out}/d.geojson"], [""], p)
    case("info: garbage .shp", ["info", shapefile("info_garbage", shp=garbage(4096, 4))], [""], "{c}/info_garbage.shp", output="none")


# --- GeoJSON ---------------------------------------------------------------------------------

SQUARE = [[131.18, 34.37], [131.19, 34.37], [131.19, 34.38], [131.18, 34.38], [131.18, 34.37]]


def collection(features):
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def polygon_feature(coordinates, key="352110010", name="通", geometry_type="Polygon"):
    geometry = None if coordinates is None else {"type": geometry_type, "coordinates": coordinates}
    return {"type": "Feature", "properties": {"KEY_CODE": key, "MOJI": name, "JINKO": 100, "SETAI": 40}, "geometry": geometry}


def geojson():
    def districts(name, text, says):
        p = write(name, text)
        case("geojson: " + name, ["districts", p, "-o", "{out}/d.geojson"], says, p)

    text = collection([polygon_feature([SQUARE]), polygon_feature([[[131.18, 34.37], [131.2, 34.37], [131.2, 34.4], [131.18, 34.37]]], "352110020")])
    districts("nan.geojson", text.replace("131.2, 34.37", "NaN, 34.37"), ["record 2", "not a finite number"])
    districts("infinity.geojson", text.replace("131.2, 34.37", "Infinity, 34.37"), ["record 2", "not a finite number"])
    districts("huge.geojson", text.replace("131.2, 34.37", "1e308, 34.37"), ["record 2", "geometry"])
    districts("swapped.geojson", collection([polygon_feature([[[y, x] for x, y in SQUARE]])]), ["geometry", "swapped"])
    districts("empty_geometry.geojson", collection([polygon_feature([SQUARE]), polygon_feature([], "352110020")]), ["record 2", "geometry"])
    districts("null_geometry.geojson", collection([polygon_feature([SQUARE]), polygon_feature(None, "352110020")]), ["record 2", "geometry"])
    bowtie = [[131.18, 34.37], [131.19, 34.38], [131.19, 34.37], [131.18, 34.38], [131.18, 34.37]]
    flat = [[131.18, 34.37], [131.19, 34.37], [131.20, 34.37], [131.18, 34.37]]
    districts("zero_area_ring.geojson", collection([polygon_feature([SQUARE]), polygon_feature([flat], "352110020")]),
              ["record 2", "geometry", "no area"])
    districts("bowtie_and_flat.geojson", collection([polygon_feature([bowtie]), polygon_feature([flat], "352110020")]),
              ["record 2", "geometry", "no area"])
    depth = 10_000
    districts("nested_10000.geojson", '{"type":"FeatureCollection","features":' + "[" * depth + "]" * depth + "}", [""])
    districts("zero_bytes.geojson", "", [""])
    districts("array.geojson", "[1, 2, 3]", [""])
    districts("truncated.geojson", collection([polygon_feature([SQUARE])])[:60], [""])
    districts("no_key_field.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]}), ["KEY_CODE"])
    os.makedirs(os.path.join(OUT, "folder.geojson"), exist_ok=True)
    case("geojson: a folder", ["districts", "{c}/folder.geojson", "-o", "{out}/d.geojson"], [""], "{c}/folder.geojson")


# --- Census tables ---------------------------------------------------------------------------

def census():
    raw = read(os.path.join(NAGATO, "census_age_2015_synthetic.csv"))
    lines = raw.split(b"\r\n") if b"\r\n" in raw else raw.split(b"\n")
    eol = b"\r\n" if b"\r\n" in raw else b"\n"
    header = lines[0].split(b",")
    total = header.index(b"T001082001")
    aged = header.index(b"T001082003") if b"T001082003" in header else total + 2

    def table(rows):
        return eol.join(rows)

    def cell(row, j, value):
        cells = lines[row].split(b",")
        cells[j] = value
        return lines[:row] + [b",".join(cells)] + lines[row + 1:]

    def bad(name, data, says):
        p = write(name, data)
        case("census: " + name, aging(census=p), says, p)

    bad("census_missing_column.csv", table([b",".join(c for k, c in enumerate(l.split(b",")) if k != total) for l in lines]),
        ["total population"])
    bad("census_repeated_header.csv", table(lines[:6] + [lines[0], lines[1]] + lines[6:]), ["record 7"])
    bad("census_negative.csv", table(cell(5, total, b"-40")), ["record 6", "T001082001", "-40"])
    bad("census_non_numeric.csv", table(cell(5, total, b"many")), ["record 6", "T001082001", "many"])
    bad("census_aged_over_total.csv", table(cell(5, total, b"3")), ["record 6", "exceeds the total"])
    bad("census_second_bom.csv", b"\xef\xbb\xbf" + b"\xef\xbb\xbf" + raw.decode("cp932").encode("utf-8"), ["two byte-order marks"])
    mojibake = raw.decode("utf-8", errors="replace").encode("utf-8")
    bad("census_cp932_as_utf8.csv", mojibake, ["record 2", "U+FFFD"])
    bad("census_zero_bytes.csv", b"", ["header rows"])
    bad("census_duplicate_key.csv", table(lines[:6] + [lines[5]] + lines[6:]), ["record 7", "KEY_CODE", "duplicated"])
    bad("census_header_only.csv", table(lines[:1]), [""])
    os.makedirs(os.path.join(OUT, "folder.csv"), exist_ok=True)
    case("census: a folder", aging(census="{c}/folder.csv"), [""], "{c}/folder.csv")
    return aged


# --- Councils, hamlets, scenarios ------------------------------------------------------------

def councils_and_hamlets():
    councils = json.loads(read(os.path.join(NAGATO, "councils_2017.json")))
    c = json.loads(json.dumps(councils))
    c["councils"][1]["key_codes"] = c["councils"][1].get("key_codes", []) + ["352119999"]
    p = write("councils_unknown_district.json", json.dumps(c, ensure_ascii=False, indent=1))
    case("councils: a district that does not exist", aging(extra=["--councils", p]), ["352119999"], p)
    p = write("councils_truncated.json", json.dumps(councils, ensure_ascii=False)[:300])
    case("councils: cut short", aging(extra=["--councils", p]), ["not valid JSON"], p)
    c = json.loads(json.dumps(councils))
    c["councils"][0]["fiscal_year"] = "soon"
    p = write("councils_bad_year.json", json.dumps(c, ensure_ascii=False, indent=1))
    case("councils: fiscal year 'soon'", aging(extra=["--councils", p]), ["record 1", "fiscal_year", "whole number", "'soon'"], p)

    hamlets = json.loads(read(os.path.join(NAGATO, "hamlets_2014_synthetic.geojson")))
    h = json.loads(json.dumps(hamlets))
    h["features"][5]["properties"]["hamlet_id"] = h["features"][4]["properties"]["hamlet_id"]
    p = write("hamlets_duplicate_id.geojson", json.dumps(h, ensure_ascii=False))
    case("hamlets: duplicate hamlet_id", aging(extra=["--hamlets", p]), ["record 6", "hamlet_id"], p)
    h = json.loads(json.dumps(hamlets))
    h["features"][2]["properties"]["households"] = -5
    p = write("hamlets_negative_households.geojson", json.dumps(h, ensure_ascii=False))
    case("hamlets: negative households", ["merge", p, "--propose", "-o", "{out}/merge"], ["record 3", "households"], p, output="folder")
    h = json.loads(json.dumps(hamlets))
    # Not an error: names that must stay data in every output (HostileNameTests).
    h["features"][0]["properties"]["name"] = "<script>alert('通')</script>\u202e&\"\n"
    h["features"][1]["properties"]["name"] = '=HYPERLINK("http://example.invalid","通2区")'
    write("hamlets_hostile_name.geojson", json.dumps(h, ensure_ascii=False))

    scenario = "{c}/merge_unknown_hamlet.yaml"
    write("merge_unknown_hamlet.yaml", "scenarios:\n  - name: ghost\n    merges:\n      - name: g\n        hamlets: [352110010-01, 999999999-99]\n")
    case("scenario: a hamlet that does not exist", ["merge", "{n}/hamlets_2014_synthetic.geojson", "--scenarios", scenario, "-o", "{out}/merge"],
         ["999999999-99"], scenario, output="folder")
    laughs = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    for k in range(ord("b"), ord("j")):
        prev = chr(k - 1)
        laughs.append(f"{chr(k)}: &{chr(k)} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    p = write("merge_billion_laughs.yaml", "\n".join(laughs) + "\nscenarios: *i\n")
    case("scenario: YAML alias bomb", ["merge", "{n}/hamlets_2014_synthetic.geojson", "--scenarios", p, "-o", "{out}/merge"],
         ["line 2", "alias"], p,
         output="folder")
    p = write("merge_nested_10000.yaml", "scenarios: " + "[" * 10_000 + "]" * 10_000 + "\n")
    case("scenario: 10,000 nested lists", ["merge", "{n}/hamlets_2014_synthetic.geojson", "--scenarios", p, "-o", "{out}/merge"],
         ["line 1", "nested deeper than 64 levels"], p, output="folder")
    p = write("merge_syntax_error.yaml", "scenarios:\n  - name: [unclosed\n    merges: {\n")
    case("scenario: YAML syntax error", ["merge", "{n}/hamlets_2014_synthetic.geojson", "--scenarios", p, "-o", "{out}/merge"], [""], p,
         output="folder")
    p = write("merge_empty.yaml", "")
    case("scenario: 0 bytes", ["merge", "{n}/hamlets_2014_synthetic.geojson", "--scenarios", p, "-o", "{out}/merge"], [""], p, output="folder")


# --- Options and places ----------------------------------------------------------------------

def options():
    hamlets = "{n}/hamlets_2014_synthetic.geojson"
    hubs = ["hubs", "--demand", hamlets, "-o", "{out}/hubs"]
    case("hubs: -p 0", hubs + ["--model", "p-median", "-p", "0"], ["-p"], output="folder")
    case("hubs: -p above the candidates", hubs + ["--model", "p-median", "-p", "100000"], ["-p"], output="folder")
    case("hubs: negative radius", hubs + ["--model", "mclp", "-p", "3", "--radius=-300"], ["--radius", "-300"], output="folder")
    case("hubs: negative radius, spelt as a flag", hubs + ["--model", "mclp", "-p", "3", "--radius", "-300"], ["--radius"], output="folder")
    case("hubs: nan radius", hubs + ["--model", "mclp", "-p", "3", "--radius", "nan"], ["--radius"], output="folder")
    case("hubs: infinite radius", hubs + ["--model", "lscp", "--radius", "inf"], ["--radius"], output="folder")
    far = write("sites_far_away.geojson", collection([{"type": "Feature", "properties": {"id": "s1", "name": "札幌"},
                                                         "geometry": {"type": "Point", "coordinates": [141.35, 43.06]}}]))
    case("hubs: the only candidate outside the city", hubs + ["--candidates", far, "--model", "lscp", "--radius", "3000"], ["3000 m"],
         output="folder")
    roads = write("roads_elsewhere.geojson", collection([{"type": "Feature", "properties": {},
                                                           "geometry": {"type": "LineString", "coordinates": [[141.35, 43.06], [141.36, 43.07]]}}]))
    case("hubs: no road near any demand", hubs + ["--roads", roads, "--model", "p-median", "-p", "2"], ["road"], roads, output="folder")
    pm = hubs + ["--model", "p-median", "-p", "5"]
    case("hubs: capacities that cannot hold the demand", pm + ["--capacity", "1000"], ["--capacity", "5000", "14069"], output="folder")
    case("hubs: negative capacity", pm + ["--capacity=-5"], ["--capacity", "-5"], output="folder")
    case("hubs: a single source without capacities", pm + ["--single-source"], ["--single-source", "capacit"], output="folder")
    case("hubs: capacities for p-center", hubs + ["--model", "p-center", "-p", "3", "--capacity", "9000"], ["--capacity", "p-center"],
         output="folder")
    case("hubs: a hamlet heavier than any site, single source", hubs + ["--model", "lscp", "--radius", "5000", "--capacity", "250",
                                                                        "--single-source"], ["--capacity", "fit no site", "317"],
         output="folder")
    case("hubs: a fixed hub that is not a candidate", pm + ["--fixed", "352110010-01,no-such-site"], ["--fixed", "no-such-site"],
         output="folder")
    case("hubs: p below the fixed hubs", hubs + ["--model", "p-median", "-p", "1", "--fixed", "352110010-01,352110010-02"],
         ["--fixed", "p = 1"], output="folder")
    sites = [{"type": "Feature", "properties": {"id": "s1", "name": "公民館", "capacity": 5000},
              "geometry": {"type": "Point", "coordinates": [131.18, 34.37]}},
             {"type": "Feature", "properties": {"id": "s2", "name": "支所", "capacity": "many"},
              "geometry": {"type": "Point", "coordinates": [131.20, 34.38]}}]
    bad = write("sites_capacity_not_a_number.geojson", collection(sites))
    case("hubs: a capacity that is not a number", hubs + ["--candidates", bad, "--model", "p-median", "-p", "2"],
         ["record 2", "capacity", "many"], bad, output="folder")
    sites[1]["properties"]["capacity"] = None
    none = write("sites_capacity_missing.geojson", collection(sites))
    case("hubs: a site without capacity and no --capacity", hubs + ["--candidates", none, "--model", "p-median", "-p", "2"],
         ["--capacity", "s2"], output="folder")
    coverage = ["coverage", "--districts", "{n}/h27ka35211.shp", "--councils", "{n}/councils_2017.json", "-o", "{out}/cov"]
    case("coverage: --target 150", coverage + ["--target", "150"], ["--target"], output="folder")
    case("coverage: --target nan", coverage + ["--target", "nan"], ["--target"], output="folder")
    case("coverage: --target -0.5", coverage + ["--target=-0.5"], ["--target", "-0.5"], output="folder")
    taxi = ["taxi", "--demand", hamlets, "--bus-stops", "{n}/bus_stops_p11_synthetic.geojson", "--hubs", "{n}/taxi_hubs_synthetic.geojson",
            "--propose", "4", "-o", "{out}/taxi"]
    case("taxi: --seats 0", taxi + ["--seats", "0"], ["--seats", "at least one seat"], output="folder")
    case("taxi: --arrive 25:00", taxi + ["--arrive", "25:00"], ["HH:MM", "25:00"], output="folder")
    case("taxi: --arrive 9:75", taxi + ["--arrive", "9:75"], ["HH:MM", "9:75"], output="folder")
    case("taxi: --max-ride -5", taxi + ["--max-ride=-5"], ["--max-ride", "-5"], output="folder")
    case("taxi: --dwell nan", taxi + ["--dwell", "nan"], ["--dwell", "nan"], output="folder")
    case("taxi: --speed 0", taxi + ["--speed", "0"], ["--speed"], output="folder")
    far_hub = write("taxi_hub_far_away.geojson", collection([{"type": "Feature", "properties": {"name": "札幌"},
                                                               "geometry": {"type": "Point", "coordinates": [141.35, 43.06]}}]))
    case("taxi: a hub far outside the city", taxi[:4] + taxi[6:-2] + ["--hubs", far_hub, "-o", "{out}/taxi"], ["farther from every hub"],
         output="folder")
    project = ["project", "--census", "{n}/census_age_2015_synthetic.csv", "--year", "2015",
               "--previous", "{n}/census_age_2010_synthetic.csv", "-o", "{out}/projection"]
    case("project: --to before --year", project + ["--to", "2010"], ["--to"], output="folder")
    case("project: --year 1700", project[:4] + ["1700"] + project[5:] + ["--to", "2045"], ["--year"], output="folder")
    case("report: --basemap osm", ["report", "--boundaries", "{n}/h27ka35211.shp", "--basemap", "osm", "-o", "{out}/report"], ["osm"],
         output="folder")


def trips():
    """Dial-a-ride bookings that no plan can take, or that do not parse: each names the trip."""
    header = "id,from_lon,from_lat,from,to_lon,to_lat,to,riders,wheelchairs,earliest,latest,window_at\n"
    home = "131.242065,34.323775,"
    clinic = ",,,診療所 (三隅)"

    def booking(name, row, says, extra=()):
        path = write(name, header + row + "\n")
        args = ["taxi", "--zone", "3", "--hubs", "{n}/taxi_hubs_synthetic.geojson", "--places", "{n}/taxi_places_synthetic.geojson",
                "--trips", path, *extra, "-o", "{out}/taxi"]
        case("trips: " + name, args, says, file=path, output="folder")

    booking("trips_window_closes_before_it_opens.csv", f"T1,{home}{clinic},1,0,10:00,09:00,dropoff", ["trip T1", "closes", "before it opens"])
    booking("trips_window_too_early_for_the_ride.csv", f"T1,{home}{clinic},1,0,08:00,08:05,dropoff", ["trip T1", "cannot be met"])
    booking("trips_ride_longer_than_the_limit.csv", f"T1,{home},131.0,34.42,,1,0,,,pickup", ["trip T1", "limit on a ride"])
    booking("trips_more_riders_than_seats.csv", f"T1,{home}{clinic},12,0,09:00,10:00,dropoff", ["trip T1", "9 seats"])
    booking("trips_wheelchair_without_space.csv", f"T1,{home}{clinic},2,1,09:00,10:00,dropoff", ["trip T1", "wheelchair"])
    booking("trips_unknown_place.csv", f"T1,{home},,,病院 (不明),1,0,09:00,10:00,dropoff", ["record 2", "trip T1", "病院 (不明)", "--places"])
    booking("trips_time_does_not_parse.csv", f"T1,{home}{clinic},1,0,9時,10:00,dropoff", ["record 2", "earliest", "HH:MM", "9時"])
    booking("trips_time_25h.csv", f"T1,{home}{clinic},1,0,25:00,26:00,dropoff", ["record 2", "earliest", "25:00"])
    booking("trips_window_at_unknown.csv", f"T1,{home}{clinic},1,0,09:00,10:00,arrival", ["record 2", "window_at", "pickup or dropoff"])
    booking("trips_duplicate_id.csv", f"T1,{home}{clinic},1,0,09:00,10:00,dropoff\nT1,{home}{clinic},1,0,09:00,10:00,dropoff",
            ["record 3", "T1", "twice"])
    booking("trips_latitude_out_of_range.csv", f"T1,131.2,95.0,{clinic},1,0,09:00,10:00,dropoff", ["record 2", "trip T1", "latitude"])
    booking("trips_riders_not_a_number.csv", f"T1,{home}{clinic},two,0,09:00,10:00,dropoff", ["record 2", "riders", "two"])
    booking("trips_zero_riders.csv", f"T1,{home}{clinic},0,0,09:00,10:00,dropoff", ["riders", "trip T1", "at least 1 rider"])
    path = write("trips_negative_dwell.csv", header.rstrip("\n") + ",pickup_dwell\n" + f"T1,{home}{clinic},1,1,09:00,10:00,dropoff,-60\n")
    case("trips: trips_negative_dwell.csv", ["taxi", "--zone", "3", "--hubs", "{n}/taxi_hubs_synthetic.geojson", "--places",
         "{n}/taxi_places_synthetic.geojson", "--trips", path, "--wheelchair-spaces", "1", "-o", "{out}/taxi"],
         ["record 2", "pickup_dwell", "trip T1", "-60"], file=path, output="folder")
    path = write("trips_dwell_not_a_number.csv", header.rstrip("\n") + ",dropoff_dwell\n" + f"T1,{home}{clinic},1,0,09:00,10:00,dropoff,5分\n")
    booking_args = ["taxi", "--zone", "3", "--hubs", "{n}/taxi_hubs_synthetic.geojson", "--places",
                    "{n}/taxi_places_synthetic.geojson", "--trips", path, "-o", "{out}/taxi"]
    case("trips: trips_dwell_not_a_number.csv", booking_args, ["record 2", "dropoff_dwell", "trip T1", "5分"], file=path, output="folder")
    path = write("trips_no_to_end.csv", "id,from_lon,from_lat,riders\nT1,131.2,34.3,1\n")
    case("trips: no to end", ["taxi", "--zone", "3", "--hubs", "{n}/taxi_hubs_synthetic.geojson", "--trips", path, "-o", "{out}/taxi"],
         ["to_lon", "to_lat"], file=path, output="folder")
    ok = "{n}/taxi_trips_synthetic.csv"
    base = ["taxi", "--zone", "3", "--hubs", "{n}/taxi_hubs_synthetic.geojson", "--places", "{n}/taxi_places_synthetic.geojson",
            "--trips", ok, "-o", "{out}/taxi"]
    case("trips: --shift backwards", base + ["--shift", "17:00-08:00"], ["--shift", "before it starts"], output="folder")
    case("trips: --shift not a range", base + ["--shift", "8-17"], ["--shift", "HH:MM-HH:MM"], output="folder")
    case("trips: --max-ride-factor 0.5", base + ["--max-ride-factor", "0.5"], ["ride factor", "0.5"], output="folder")
    case("trips: --fare -100", base + ["--fare=-100"], ["negative", "-100"], output="folder")
    case("trips: --cost-per-km nan", base + ["--cost-per-km", "nan"], ["negative", "nan"], output="folder")
    case("trips: --max-duration 0", base + ["--max-duration", "0"], ["longest route", "0"], output="folder")
    case("trips: --wheelchair-spaces -1", base + ["--wheelchair-spaces=-1"], ["wheelchair space", "-1"], output="folder")
    case("trips: --time-limit 0", base + ["--time-limit", "0"], ["--time-limit", "above 0"], output="folder")
    empty_places = write("places_empty.geojson", collection([]))
    case("trips: an empty places layer", base[:6] + [empty_places] + base[7:], ["places_empty.geojson", "empty"], file=empty_places,
         output="folder")


def outputs():
    boundaries = write("boundaries_copy.geojson", collection([polygon_feature([SQUARE])]))
    case("output: the input itself", ["districts", boundaries, "-o", boundaries], ["is an input of this run"], boundaries, output="none")
    census = write("census_copy.csv", read(os.path.join(NAGATO, "census_age_2015_synthetic.csv")))
    case("output: aging over its census", aging(census=census)[:-1] + [census], ["is an input of this run"], census, output="none")
    shp = shapefile("boundaries_copy")
    case("output: aging over its boundaries' .dbf", aging(boundaries=shp)[:-1] + ["{c}/boundaries_copy.dbf"], ["unknown output format"],
         "{c}/boundaries_copy.dbf", output="none")
    case("output: districts over its .shp as GeoJSON", ["districts", shp, "-o", "{c}/boundaries_copy.shp"], ["unknown output format"],
         "{c}/boundaries_copy.shp", output="none")
    write("a_file.txt", "not a folder\n")
    case("output: under a file", ["districts", "{n}/h27ka35211.shp", "-o", "{c}/a_file.txt/d.geojson"], ["not a directory"],
         "{c}/a_file.txt/d.geojson", output="none")
    case("output: folder output under a file", ["hubs", "--demand", "{n}/hamlets_2014_synthetic.geojson", "--model", "p-median", "-p", "2",
                                                "-o", "{c}/a_file.txt/hubs"], ["a_file.txt"], "{c}/a_file.txt/hubs", output="none")
    case("output: PostGIS table name with ; and quotes",
         ["districts", "{n}/h27ka35211.shp", "-o", "postgresql://nobody@127.0.0.1:1/x#public.t\";drop table t;--"],
         ["cannot connect"], output="none")
    case("output: PostGIS password stays out of the message",
         ["districts", "{n}/h27ka35211.shp", "-o", "postgresql://planner:s3cret-pw@127.0.0.1:1/x#public.t"], ["cannot connect"],
         output="none", never=["s3cret-pw"])
    case("input: PostGIS password stays out of the message",
         ["districts", "postgresql://planner:s3cret-pw@127.0.0.1:1/x#public.t", "-o", "{out}/d.geojson"], ["cannot connect"],
         never=["s3cret-pw"])
    case("output: unknown extension", ["districts", "{n}/h27ka35211.shp", "-o", "{out}/d.xlsx"], [".xlsx"], output="file")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    shapefiles()
    geojson()
    census()
    councils_and_hamlets()
    options()
    trips()
    outputs()
    with open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(CASES, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(CASES)} cases, {len(os.listdir(OUT))} files in {OUT}")


if __name__ == "__main__":
    main()
