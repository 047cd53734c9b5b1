#!/usr/bin/env python3
"""Bad-input fixtures for chiiki's tests, built reproducibly from geodata/nagato.

Run from anywhere:  /tmp/pyref/bin/python Tests/GeoIOTests/Fixtures/make_bad_inputs.py
(any Python 3 with shapely and pyproj; the empty GeoPackage needs `ogr2ogr` on PATH).

Shapefiles are cut from h27ka35211.{shp,shx,dbf,prj} byte for byte (no GDAL round trip), so
they keep the e-Stat layout: CP932 DBF, no .cpg, no code-page byte. Every output is written
deterministically: running the script twice gives identical files.

Writes Tests/GeoIOTests/Fixtures/bad/:

  missing_dbf.{shp,shx,prj}     3 records, no .dbf beside the .shp
  truncated.{shp,shx,dbf,prj}   3 records; the .shp is cut in the middle of record 2
                                (.shx and .dbf intact, promising 3 records)
  bad_encoding.{shp,shx,dbf,prj}  3 records; record 2's MOJI starts with bytes FF FF,
                                neither UTF-8 nor CP932 (no .cpg)
  empty.geojson                 FeatureCollection with no features
  empty.gpkg                    GeoPackage with one polygon layer 'empty' and no features
  points.geojson                3 points (the records' X_CODE/Y_CODE) with KEY_CODE, MOJI, JINKO
  swapped.geojson               3 polygons of Nagato with [lat, lon] instead of [lon, lat]
  out_of_range.geojson          3 polygons in plane zone III metres (EPSG:2445) but no crs
                                member, so a reader takes them as lon/lat
  census_non_numeric.csv        the sample table with 'abc' in line 5 (352110020 仙崎), column T001082003
  census_duplicate_key.csv      the sample table with line 4 (352110010 通) repeated as line 6
  census_extra_key.csv          the sample table plus a last row for 352119990, no boundary
  census_no_match.csv           the sample table with every small-area key moved to city 35999
  census_utf8_bom.csv           the sample table in UTF-8 with a BOM (CRLF), otherwise identical
  councils_unknown_area.json    councils_2017.json with 352119999 added to council 2's key_codes
  councils_area_twice.json      councils_2017.json with 352110010 (council 1's) added to council 2
"""
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
NAGATO = os.path.join(ROOT, "geodata", "nagato")
OUT = os.path.join(HERE, "bad")
SHP = os.path.join(NAGATO, "h27ka35211")

# 1-based records of h27ka35211.shp: small polygons with Japanese names.
# 2 日置蔵小田 (352110170), 6 油谷津黄 (352110230), 24 三隅下 (352110120).
RECORDS = [2, 6, 24]


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# --- Shapefile subsets, byte for byte -------------------------------------------------------

def shp_records():
    shp, shx = read(SHP + ".shp"), read(SHP + ".shx")
    records = []
    for i in range((len(shx) - 100) // 8):
        offset, length = struct.unpack(">ii", shx[100 + 8 * i: 108 + 8 * i])
        records.append(shp[offset * 2 + 8: offset * 2 + 8 + length * 2])  # content without header
    return shp[:100], records


def subset_shapefile(records):
    header, contents = shp_records()
    chosen = [contents[r - 1] for r in records]
    body, index = b"", b""
    offset = 100
    xs, ys = [], []
    for n, content in enumerate(chosen, 1):
        # Polygon content: type, bbox (4 doubles), parts, points …
        minx, miny, maxx, maxy = struct.unpack("<4d", content[4:36])
        xs += [minx, maxx]
        ys += [miny, maxy]
        body += struct.pack(">ii", n, len(content) // 2) + content
        index += struct.pack(">ii", offset // 2, len(content) // 2)
        offset += 8 + len(content)

    def with_header(length_bytes):
        h = bytearray(header)
        h[24:28] = struct.pack(">i", length_bytes // 2)
        h[36:68] = struct.pack("<4d", min(xs), min(ys), max(xs), max(ys))
        return bytes(h)

    shp = with_header(100 + len(body)) + body
    shx = with_header(100 + len(index)) + index
    return shp, shx


def dbf_parts():
    dbf = read(SHP + ".dbf")
    count, header_length, record_length = struct.unpack("<IHH", dbf[4:12])
    fields = []
    i, start = 32, 1  # each record starts with a deletion flag byte
    while dbf[i] != 0x0D:
        name = dbf[i:i + 11].rstrip(b"\0").decode("ascii")
        width = dbf[i + 16]
        fields.append((name, start, width))
        start += width
        i += 32
    records = [dbf[header_length + k * record_length: header_length + (k + 1) * record_length] for k in range(count)]
    return dbf[:header_length], fields, records


def subset_dbf(records, patch=None):
    header, fields, rows = dbf_parts()
    chosen = [bytearray(rows[r - 1]) for r in records]
    if patch:
        patch(fields, chosen)
    h = bytearray(header)
    h[4:8] = struct.pack("<I", len(chosen))
    # The source has no end-of-file marker (0x1A); keep it that way.
    return bytes(h) + b"".join(bytes(r) for r in chosen)


def shapefile(name, with_dbf=True, patch=None):
    shp, shx = subset_shapefile(RECORDS)
    write(name + ".shp", shp)
    write(name + ".shx", shx)
    write(name + ".prj", read(SHP + ".prj"))
    if with_dbf:
        write(name + ".dbf", subset_dbf(RECORDS, patch))
    return shp


def bad_moji(fields, rows):
    _, start, width = next(f for f in fields if f[0] == "MOJI")
    row = rows[1]  # record 2 of the subset
    row[start:start + 2] = b"\xff\xff"


# --- GeoJSON ---------------------------------------------------------------------------------

def source_features():
    """The chosen records as (properties, shapely geometry), read with shapely from the bytes."""
    import shapely
    _, contents = shp_records()
    _, fields, rows = dbf_parts()
    out = []
    for r in RECORDS:
        c = contents[r - 1]
        nparts, npoints = struct.unpack("<ii", c[36:44])
        parts = list(struct.unpack(f"<{nparts}i", c[44:44 + 4 * nparts])) + [npoints]
        pts_at = 44 + 4 * nparts
        pts = [struct.unpack("<2d", c[pts_at + 16 * k: pts_at + 16 * k + 16]) for k in range(npoints)]
        rings = [pts[parts[k]:parts[k + 1]] for k in range(nparts)]
        geom = shapely.Polygon(rings[0], rings[1:]) if nparts == 1 else shapely.MultiPolygon([[ring] for ring in rings])
        row = rows[r - 1]

        def text(name):
            _, start, width = next(f for f in fields if f[0] == name)
            return row[start:start + width].decode("cp932").strip()
        props = {"KEY_CODE": text("KEY_CODE"), "MOJI": text("MOJI"), "JINKO": int(text("JINKO")),
                 "X_CODE": float(text("X_CODE")), "Y_CODE": float(text("Y_CODE"))}
        out.append((props, geom))
    return out


def rounded(coords, digits):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(v), digits) for v in coords]
    return [rounded(c, digits) for c in coords]


def feature_collection(features, digits=7):
    body = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": None if g is None else
         {"type": g["type"], "coordinates": rounded(g["coordinates"], digits)}}
        for p, g in features]}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def geojson_fixtures():
    import shapely
    from shapely.geometry import mapping
    import pyproj

    features = source_features()
    write("empty.geojson", json.dumps({"type": "FeatureCollection", "features": []}) + "\n")

    points = [({k: p[k] for k in ("KEY_CODE", "MOJI", "JINKO")},
               {"type": "Point", "coordinates": [p["X_CODE"], p["Y_CODE"]]}) for p, _ in features]
    write("points.geojson", feature_collection(points))

    def as_dict(geom):
        m = mapping(shapely.orient_polygons(geom) if hasattr(shapely, "orient_polygons") else geom)
        return json.loads(json.dumps(m))  # tuples → lists

    swapped = [({"KEY_CODE": p["KEY_CODE"], "MOJI": p["MOJI"]},
                as_dict(shapely.transform(g, lambda x, y: (y, x), interleaved=False))) for p, g in features]
    write("swapped.geojson", feature_collection(swapped))

    to_plane = pyproj.Transformer.from_crs("EPSG:4612", "EPSG:2445", always_xy=True).transform
    metres = [({"KEY_CODE": p["KEY_CODE"], "MOJI": p["MOJI"]}, as_dict(shapely.transform(g, to_plane, interleaved=False))) for p, g in features]
    write("out_of_range.geojson", feature_collection(metres, digits=3))


def empty_gpkg():
    path = os.path.join(OUT, "empty.gpkg")
    if os.path.exists(path):
        os.remove(path)
    source = os.path.join(OUT, "empty.geojson")
    # A fixed timestamp keeps the file identical between runs.
    env = dict(os.environ, OGR_CURRENT_DATE="2017-03-31T00:00:00Z")
    subprocess.run(["ogr2ogr", "-q", "-f", "GPKG", path, source, "-nln", "empty", "-nlt", "MULTIPOLYGON",
                    "-a_srs", "EPSG:4612", "-lco", "SPATIAL_INDEX=NO"], check=True, env=env)
    # SQLite's smallest page size keeps the empty file small (about 20 kB instead of 90).
    import sqlite3
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size=512")
    db.execute("VACUUM")
    db.close()


# --- census tables ---------------------------------------------------------------------------

def census_rows():
    text = read(os.path.join(NAGATO, "census_age_2015_synthetic.csv")).decode("cp932")
    assert "\r\n" in text
    return [line.split(",") for line in text.split("\r\n") if line != ""]


def census(name, rows, encoding="cp932", bom=False):
    text = "".join(",".join(r) + "\r\n" for r in rows)
    data = text.encode(encoding)
    write(name, (b"\xef\xbb\xbf" if bom else b"") + data)


def census_fixtures():
    rows = census_rows()
    codes = rows[0]

    bad = [list(r) for r in rows]
    bad[4][codes.index("T001082003")] = "abc"  # line 5 = 352110020 仙崎 (line 3 is the city)
    census("census_non_numeric.csv", bad)

    dup = [list(r) for r in rows]
    dup.insert(5, list(rows[3]))  # line 4 (352110010 通) again, as line 6
    census("census_duplicate_key.csv", dup)

    extra = [list(r) for r in rows]
    row = list(rows[3])
    row[0], row[3] = "352119990", "架空"
    extra.append(row)  # last line: 2 headers + 28 rows + 1 = line 31
    census("census_extra_key.csv", extra)

    moved = [list(r) for r in rows]
    for r in moved[2:]:
        if len(r[0]) > 5:
            r[0] = "35999" + r[0][5:]
        for i in (5, 6):  # HTKSAKI, GASSAN point at keys too
            if r[i]:
                r[i] = "35999" + r[i][5:]
    census("census_no_match.csv", moved)

    census("census_utf8_bom.csv", rows, encoding="utf-8", bom=True)


# --- council mappings ------------------------------------------------------------------------

def councils_fixtures():
    source = json.loads(read(os.path.join(NAGATO, "councils_2017.json")).decode("utf-8"))

    def dump(name, data):
        write(name, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    unknown = json.loads(json.dumps(source))
    unknown["councils"][1]["key_codes"].append("352119999")
    dump("councils_unknown_area.json", unknown)

    twice = json.loads(json.dumps(source))
    twice["councils"][1]["key_codes"].append(source["councils"][0]["key_codes"][0])
    dump("councils_area_twice.json", twice)


def main():
    os.makedirs(OUT, exist_ok=True)
    shapefile("missing_dbf", with_dbf=False)
    shp = shapefile("truncated")
    # Cut in the middle of record 2: keep record 1 and half of record 2's content.
    _, length1 = struct.unpack(">ii", shp[100:108])
    start2 = 100 + 8 + length1 * 2
    _, length2 = struct.unpack(">ii", shp[start2:start2 + 8])
    write("truncated.shp", shp[:start2 + 8 + length2])  # length2 is in 16-bit words: half the bytes
    shapefile("bad_encoding", patch=bad_moji)
    geojson_fixtures()
    empty_gpkg()
    census_fixtures()
    councils_fixtures()
    for name in sorted(os.listdir(OUT)):
        print(f"{os.path.getsize(os.path.join(OUT, name)):8d}  bad/{name}")


if __name__ == "__main__":
    sys.exit(main())
