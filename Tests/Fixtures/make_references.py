#!/usr/bin/env python3
"""Reference fixtures for chiiki's Swift tests, computed with the Python geo stack.

Python is used only here (and in `make bench`); the Swift tests read the CSVs this
script writes and never run Python themselves.

What it computes (areas in m², written with %.6f; e-Stat AREA as in the DBF, %.3f):
  Tests/GeoEngineTests/Fixtures/nagato_record_areas.csv
      one row per record of geodata/nagato/h27ka35211.shp (record = 1-based file order):
      e-Stat AREA; planar area in EPSG:2445 (JGD2000 plane zone III); geodesic area on
      GRS80 (pyproj.Geod); planar area in a Lambert azimuthal equal-area projection
      centred on the layer's lon/lat bounding box (centre in nagato_laea_centre.txt).
  Tests/GeoEngineTests/Fixtures/nagato_laea_centre.txt
      "lon lat" of that bounding-box centre, full precision (repr).
  Tests/GeoEngineTests/Fixtures/nagato_keycode_areas.csv
      per KEY_CODE: record count and the EPSG:2445 area of the union of its records
      (checked against the sum of record areas: records of one key do not overlap).
  Tests/GeoEngineTests/Fixtures/tottori_repaired.csv
      the one invalid Tottori record (KEY_CODE 31371051002): area in EPSG:2447 before and
      after shapely.make_valid(method="structure"), and GEOS's validity reason.
  Tests/GeoEngineTests/Fixtures/tottori_summary.csv
      prefecture-wide totals and the largest per-record |plane - AREA| / AREA in EPSG:2447.

Made with Python 3.11.7, geopandas 1.2.0, shapely 2.2.0 (GEOS 3.14.1),
pyproj 3.7.2 (PROJ 9.5.1), pyogrio 0.13.0 (GDAL 3.12.4).

Rerun from the repository root:
    /tmp/pyref/bin/python Tests/Fixtures/make_references.py
(any venv with the versions above; output is deterministic for fixed versions).
"""
import csv
import os

import geopandas as gpd
import numpy as np
import pyproj
import shapely

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "GeoEngineTests", "Fixtures")
NAGATO = os.path.join(ROOT, "geodata", "nagato", "h27ka35211.shp")
TOTTORI = os.path.join(ROOT, "geodata", "tottori", "h27ka31.shp")
INVALID_KEY = "31371051002"
M2 = "%.6f"


def read(path):
    # e-Stat DBFs are CP932 without a .cpg, so the encoding must be given explicitly.
    return gpd.read_file(path, encoding="cp932", engine="pyogrio")


def project(geoms, dst):
    """Transform lon/lat (EPSG:4612) geometries with an explicit pyproj Transformer."""
    tr = pyproj.Transformer.from_crs("EPSG:4612", dst, always_xy=True)
    # shapely.transform hands over an (N, 2) array of x=lon, y=lat.
    return shapely.transform(geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def geodesic_area(geom, geod=pyproj.Geod(ellps="GRS80")):
    # pyproj adds ring areas with their signs, so holes must run opposite to shells;
    # orient every polygon (shells CCW, holes CW) rather than trusting the file's winding.
    area, _ = geod.geometry_area_perimeter(shapely.orient_polygons(geom))
    return abs(area)


def write_csv(name, header, rows):
    # LF line ends and UTF-8 whatever the platform, so the files are byte-stable.
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def nagato():
    g = read(NAGATO)
    geoms = g.geometry.values
    plane = shapely.area(project(geoms, "EPSG:2445"))

    minx, miny, maxx, maxy = g.total_bounds
    # float(): numpy 2 scalars repr as "np.float64(...)", which PROJ cannot parse.
    c_lon, c_lat = float((minx + maxx) / 2), float((miny + maxy) / 2)
    laea = (f"+proj=laea +lat_0={c_lat!r} +lon_0={c_lon!r} +x_0=0 +y_0=0 "
            "+ellps=GRS80 +units=m +no_defs")
    laea_area = shapely.area(project(geoms, laea))
    with open(os.path.join(OUT, "nagato_laea_centre.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(f"{c_lon!r} {c_lat!r}\n")

    write_csv("nagato_record_areas.csv",
              ["record", "key_code", "estat_area", "plane_area", "geodesic_area", "laea_area"],
              [[i + 1, g.KEY_CODE[i], "%.3f" % g.AREA[i], M2 % plane[i],
                M2 % geodesic_area(geoms[i]), M2 % laea_area[i]] for i in range(len(g))])

    # Dissolve: the union is the reference; the plain sum is only a cross-check.
    planar = project(geoms, "EPSG:2445")
    rows, worst = [], 0.0
    for key in sorted(g.KEY_CODE.unique()):
        idx = np.flatnonzero(g.KEY_CODE.values == key)
        union = shapely.union_all(planar[idx]).area
        summed = plane[idx].sum()
        worst = max(worst, abs(union - summed) / summed)
        rows.append([key, len(idx), M2 % union])
    write_csv("nagato_keycode_areas.csv", ["key_code", "records", "plane_area"], rows)
    print(f"nagato: {len(g)} records, {len(rows)} keys, plane sum {plane.sum():.3f} m², "
          f"AREA sum {g.AREA.sum():.3f} m², max rel |union-sum| {worst:.3g}, "
          f"max rel |plane-AREA| {np.max(np.abs(plane - g.AREA) / g.AREA):.3g}, "
          f"laea centre {c_lon!r} {c_lat!r}")


def tottori():
    g = read(TOTTORI)
    raw = g.geometry.values
    invalid = ~shapely.is_valid(raw)
    # make_valid in lon/lat, then project: the same order as chiiki's districts pipeline.
    fixed = np.where(invalid, shapely.make_valid(raw, method="structure"), raw)
    raw_plane = shapely.area(project(raw, "EPSG:2447"))
    plane = shapely.area(project(fixed, "EPSG:2447"))
    estat = g.AREA.values

    (i,) = np.flatnonzero(g.KEY_CODE.values == INVALID_KEY)
    assert invalid[i] and invalid.sum() == 1, "expected exactly one invalid record"
    write_csv("tottori_repaired.csv",
              ["key_code", "estat_area", "raw_plane_area", "make_valid_plane_area",
               "explain_validity"],
              [[INVALID_KEY, "%.3f" % estat[i], M2 % raw_plane[i], M2 % plane[i],
                shapely.is_valid_reason(raw[i])]])

    rel = np.abs(plane - estat) / estat
    # AREA has 3 decimals in the DBF, so |plane - AREA| <= 0.0005 m² means "equal as published".
    write_csv("tottori_summary.csv",
              ["records", "key_codes", "jinko_sum", "setai_sum", "estat_area_sum",
               "plane_area_sum", "max_rel_diff", "invalid_rel_diff", "invalid_count",
               "max_abs_diff"],
              [[len(g), g.KEY_CODE.nunique(), int(g.JINKO.sum()), int(g.SETAI.sum()),
                "%.3f" % estat.sum(), M2 % plane.sum(), "%.3e" % rel[~invalid].max(),
                "%.3e" % rel[i], int(invalid.sum()), "%.6e" % np.abs(plane - estat).max()]])
    print(f"tottori: max rel {rel[~invalid].max():.3g}, median rel {np.median(rel):.3g}, "
          f"max abs {np.abs(plane - estat).max():.3g} m², invalid rel {rel[i]:.3g}, "
          f"repair changed area by {plane[i] - raw_plane[i]:.3g} m²")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    nagato()
    tottori()
