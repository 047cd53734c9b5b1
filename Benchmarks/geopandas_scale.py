#!/usr/bin/env python3
"""GeoPandas peer of `chiiki districts` on many prefectures at once (Benchmarks/sections/scale.sh).

Usage: geopandas_scale.py INPUT.shp OUT.geojson

The pipeline of geopandas_districts.py, with the plane-rectangular zone chosen per record as
chiiki chooses it (PlaneZone.forAreaCode: the KEY_CODE's prefecture, Hokkaido's municipalities,
and for Tokyo, Kagoshima and Okinawa the centre of the record's bounding box): read (CP932) ->
make_valid -> area in the record's zone -> dissolve by KEY_CODE -> by municipality -> union per
zone -> write the KEY_CODE layer as GeoJSON (EPSG:4326).
"""
import sys

import geopandas as gpd
import pandas as pd

SINGLE_ZONE = [0, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 9, 0, 9, 8, 7, 7, 6, 8, 8, 7, 8, 7, 6, 6, 6, 6,
               5, 6, 6, 5, 3, 5, 3, 3, 4, 4, 4, 4, 2, 2, 1, 2, 2, 2, 0, 0]
HOKKAIDO_XI = {1202, 1203, 1233, 1236, 1571, 1575, 1584, *range(1331, 1348), *range(1361, 1372), *range(1391, 1410)}
HOKKAIDO_XIII = {1206, 1207, 1208, 1211, 1223, 1543, 1544, 1545, 1546, 1547, 1549, 1550, 1552, 1564,
                 *range(1631, 1650), *range(1661, 1669), *range(1691, 1695)}
NAMES = ["CITY", "KEN_NAME", "GST_NAME", "CSS_NAME", "MOJI"]


def zone(code, lon, lat):
    """PlaneZone.forAreaCode in chiiki (Sources/GeoEngine/PlaneZone.swift)."""
    ken = code // 1000
    if ken == 1:
        return 11 if code in HOKKAIDO_XI else 13 if code in HOKKAIDO_XIII else 12
    if ken == 13:
        return (18 if lon < 140.5 else 14 if lon < 143 else 19) if lat < 28 else 9
    if ken == 46:
        west = 130 + 13 / 60 if lat < 29 else 130
        return 1 if 27 <= lat <= 32 and lon < west else 2
    if ken == 47:
        return 16 if lon < 126 else 15 if lon < 130 else 17
    return SINGLE_ZONE[ken - 1]


def main(src, dst):
    gdf = gpd.read_file(src, encoding="cp932", engine="pyogrio")
    gdf["geometry"] = gdf.geometry.make_valid(method="structure")
    bounds = gdf.geometry.bounds
    lon, lat = (bounds.minx + bounds.maxx) / 2, (bounds.miny + bounds.maxy) / 2
    codes = gdf["KEY_CODE"].str.slice(0, 5).astype(int)
    gdf["zone"] = [zone(c, x, y) for c, x, y in zip(codes, lon, lat)]

    # JGD2000 zone n is EPSG:2442+n; each zone's records are projected together.
    areas = pd.Series(0.0, index=gdf.index)
    for z, part in gdf.groupby("zone"):
        areas[part.index] = part.to_crs(2442 + z).geometry.area
    gdf["area_m2"] = areas
    gdf["MUNI"] = gdf["KEN"] + gdf["CITY"]

    agg = {"JINKO": "sum", "SETAI": "sum", "area_m2": "sum", "MUNI": "first", "zone": "first",
           **{n: "first" for n in NAMES}}
    districts = gdf.dissolve(by="KEY_CODE", aggfunc=agg).reset_index()
    cities = districts.dissolve(by="MUNI", aggfunc={"JINKO": "sum", "area_m2": "sum", "zone": "first"})
    union_area = 0.0
    for z, part in cities.groupby("zone"):
        union_area += gpd.GeoSeries([part.geometry.union_all()], crs=cities.crs).to_crs(2442 + z).area.iloc[0]

    out = districts[["KEY_CODE", "JINKO", "SETAI", "area_m2", *NAMES, "geometry"]]
    out.to_crs(4326).to_file(dst, driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"})

    print(f"{len(districts)} KEY_CODEs, {len(cities)} cities; "
          f"area_m2 sum {districts.area_m2.sum():.3f} m², union area {union_area:.3f} m², "
          f"JINKO sum {int(districts.JINKO.sum())}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
