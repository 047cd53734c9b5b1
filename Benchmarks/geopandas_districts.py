#!/usr/bin/env python3
"""GeoPandas peer of `chiiki districts`: the same pipeline, for `make bench`.

Usage: geopandas_districts.py INPUT.shp OUT.geojson

read (CP932 DBF, pyogrio) -> make_valid -> plane-rectangular zone from KEN -> record area
-> dissolve by KEY_CODE -> dissolve by CITY -> union of all -> write the KEY_CODE layer
as GeoJSON (EPSG:4326, RFC 7946) with KEY_CODE, JINKO, SETAI, area_m2 and the names.
"""
import sys

import geopandas as gpd

# Prefecture code (KEN) -> JGD2000 plane-rectangular zone. Only the prefectures the
# sample data and its neighbours need: zone III = EPSG:2445, zone V = EPSG:2447.
ZONE = {31: 2447, 33: 2447, 28: 2447, 35: 2445, 32: 2445, 34: 2445}
NAMES = ["CITY", "KEN_NAME", "GST_NAME", "CSS_NAME", "MOJI"]


def main(src, dst):
    # e-Stat DBFs are CP932 without a .cpg; GDAL would guess wrong without the hint.
    gdf = gpd.read_file(src, encoding="cp932", engine="pyogrio")
    # "structure" keeps polygon semantics (a self-touching ring becomes a hole),
    # as in the test fixtures; only invalid geometries are actually altered.
    gdf["geometry"] = gdf.geometry.make_valid(method="structure")

    kens = {int(k) for k in gdf["KEN"].unique()}
    if len(kens) != 1 or next(iter(kens)) not in ZONE:
        sys.exit(f"no single known plane zone for KEN {sorted(kens)}")
    gdf = gdf.to_crs(ZONE[kens.pop()])
    gdf["area_m2"] = gdf.geometry.area

    agg = {"JINKO": "sum", "SETAI": "sum", "area_m2": "sum", **{n: "first" for n in NAMES}}
    districts = gdf.dissolve(by="KEY_CODE", aggfunc=agg).reset_index()
    # City and prefecture levels are computed (and timed) like chiiki does, not written.
    cities = districts.dissolve(by="CITY", aggfunc={"JINKO": "sum", "area_m2": "sum"})
    union = cities.geometry.union_all()

    out = districts[["KEY_CODE", "JINKO", "SETAI", "area_m2", *NAMES, "geometry"]]
    out.to_crs(4326).to_file(dst, driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"})

    print(f"{len(districts)} KEY_CODEs, {len(cities)} cities; "
          f"area_m2 sum {districts.area_m2.sum():.3f} m², union area {union.area:.3f} m², "
          f"JINKO sum {int(districts.JINKO.sum())}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
