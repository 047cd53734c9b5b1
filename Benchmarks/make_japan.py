#!/usr/bin/env python3
"""A synthetic "whole Japan" of census small areas for the scale benchmark (not committed).

Usage: make_japan.py [--copies N] [--census OUT.csv] IN.shp OUT.shp

Replicates the real Tottori small areas (geodata/tottori/h27ka31.shp, 2,504 records) N times
(default 90: about the 220,000 small areas of the 47 prefectures). Copy i becomes prefecture
i mod 47 + 1; its second copy (i >= 47) moves its city codes up by 500, so KEY_CODEs stay
distinct and still start with a 5-digit municipality code. Each copy is shifted in lon/lat to
the free cell of a 1.45 deg x 0.6 deg grid nearest the origin of the plane-rectangular zone its
prefecture uses, so no two copies overlap and each lies in its own zone. Written as e-Stat
writes it: a Shapefile with a CP932 DBF, fields as narrow as their text, and a JGD2000 .prj.
With --census, also an e-Stat-style census CSV (CP932, two header rows: codes, then labels)
with a municipality row (HYOSYO 1) per city and a row per KEY_CODE: the total is the
boundary's JINKO, the aged 65+ a share between 15 % and 60 % fixed by the KEY_CODE's CRC-32,
so the same input always gives the same table. Progress on stderr.
"""
import argparse
import math
import pathlib
import shutil
import sys
import time
import zlib

import pandas as pd
import pyogrio
import shapely

# Plane-rectangular zone origins (lat, lon), JGD2000 / JGD2011 (EPSG:2443-2461).
ORIGIN = {1: (33, 129.5), 2: (33, 131), 3: (36, 132 + 10 / 60), 4: (33, 133.5), 5: (36, 134 + 20 / 60),
          6: (36, 136), 7: (36, 137 + 10 / 60), 8: (36, 138.5), 9: (36, 139 + 50 / 60), 10: (40, 140 + 50 / 60),
          11: (44, 140.25), 12: (44, 142.25), 13: (44, 144.25), 15: (26, 127.5)}
# The zone each prefecture's mainland uses (Hokkaido: XII, its middle; Tokyo: IX; Okinawa: XV).
PREFECTURE_ZONE = [12, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 9, 9, 9, 8, 7, 7, 6, 8, 8, 7, 8, 7, 6, 6, 6, 6,
                   5, 6, 6, 5, 3, 5, 3, 3, 4, 4, 4, 4, 2, 2, 1, 2, 2, 2, 2, 15]
CELL = (1.45, 0.6)  # deg lon, deg lat: Tottori spans 1.38 x 0.56


def placements(copies, centre):
    """Shift (dx, dy) of each copy: the free grid cell nearest its zone's origin."""
    taken = set()
    shifts = []
    for i in range(copies):
        lat0, lon0 = ORIGIN[PREFECTURE_ZONE[i % 47]]
        best = None
        for row in range(-12, 13):
            for col in range(-8, 9):
                cell = (round(lon0 / CELL[0]) + col, round(lat0 / CELL[1]) + row)
                if cell in taken:
                    continue
                x, y = cell[0] * CELL[0], cell[1] * CELL[1]
                d = math.hypot((x - lon0) * math.cos(math.radians(lat0)), y - lat0)
                if best is None or d < best[0]:
                    best = (d, cell, x, y)
        taken.add(best[1])
        shifts.append((best[2] - centre[0], best[3] - centre[1]))
    return shifts


def write_census(japan, path):
    """Census rows for the boundaries: municipalities (HYOSYO 1), then small areas."""
    areas = japan.groupby("KEY_CODE", sort=True).agg(JINKO=("JINKO", "sum"), CITYNAME=("CSS_NAME", "first"),
                                                      NAME=("MOJI", "first"))
    lines = ["KEY_CODE,HYOSYO,CITYNAME,NAME,HTKSYORI,HTKSAKI,GASSAN,T001082001,T001082020",
             ",,,,,,,総数、年齢「不詳」含む,総数６５歳以上"]
    aged = {k: round(int(n) * (0.15 + 0.45 * (zlib.crc32(k.encode()) % 1000) / 1000)) for k, n in areas.JINKO.items()}
    municipality = areas.JINKO.groupby(areas.index.str.slice(0, 5)).sum()
    municipality_aged = pd.Series(aged).groupby(lambda k: k[:5]).sum()
    for code, total in municipality.items():
        lines.append(f"{code},1,,,0,,,{int(total)},{int(municipality_aged[code])}")
    for key, row in areas.iterrows():
        name = str(row.NAME or "").replace(",", " ")
        lines.append(f"{key},{2 if len(key) == 9 else 3},{row.CITYNAME or ''},{name},0,,,{int(row.JINKO)},{aged[key]}")
    pathlib.Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=90)
    parser.add_argument("--census", help="also write a census CSV for `chiiki aging`")
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args()

    started = time.time()
    # e-Stat DBFs are CP932 without a .cpg.
    gdf = pyogrio.read_dataframe(args.source, encoding="cp932")
    minx, miny, maxx, maxy = gdf.total_bounds
    shifts = placements(args.copies, ((minx + maxx) / 2, (miny + maxy) / 2))
    city = gdf["CITY"].astype(int)
    tail = gdf["KEY_CODE"].str.slice(5)
    copies = []
    for i, (dx, dy) in enumerate(shifts):
        ken = i % 47 + 1
        copy = gdf.copy()
        copy["KEN"] = f"{ken:02d}"
        copy["CITY"] = (city + 500 * (i // 47)).map(lambda c: f"{c:03d}")
        copy["KEY_CODE"] = copy["KEN"] + copy["CITY"] + tail
        copy["geometry"] = shapely.transform(gdf.geometry.values, lambda xy: xy + (dx, dy))
        copies.append(copy)
        print(f"make_japan [{time.time() - started:5.1f}s] copy {i + 1}/{args.copies}: prefecture {ken:02d}, "
              f"shift ({dx:+.2f}, {dy:+.2f}) deg", file=sys.stderr)
    # One write: appending copy by copy left every text field 80 characters wide in the DBF
    # (RESIZE applies only when the layer is created), five times e-Stat's size.
    print(f"make_japan [{time.time() - started:5.1f}s] writing {args.target}", file=sys.stderr)
    japan = pd.concat(copies, ignore_index=True)
    pyogrio.write_dataframe(japan, args.target, encoding="cp932", layer_options={"RESIZE": "YES"})
    if args.census:
        write_census(japan, args.census)
        print(f"make_japan [{time.time() - started:5.1f}s] wrote {args.census}", file=sys.stderr)
    # The .prj of the source (ESRI WKT, as e-Stat ships it), not one rewritten by GDAL.
    shutil.copyfile(args.source[:-4] + ".prj", args.target[:-4] + ".prj")
    # No .cpg: e-Stat ships none; chiiki detects CP932 and GeoPandas is told.
    pathlib.Path(args.target[:-4] + ".cpg").unlink(missing_ok=True)
    print(f"make_japan: {args.copies * len(gdf)} records in {args.target}", file=sys.stderr)


if __name__ == "__main__":
    main()
