#!/usr/bin/env python3
"""GeoPandas/shapely peer of `chiiki taxi`'s transit gap, for `make bench`.

Usage: geopandas_taxi_gap.py BOUNDARIES.shp BUS_STOPS.geojson STATIONS.geojson OUT.csv

The same method as chiiki: read (CP932), make_valid, dissolve by KEY_CODE, JGD2000 plane
zone V (EPSG:2447); discs of 300 m around bus stops and 800 m around stations (16 segments
per quarter circle); each district minus the union of the discs that reach it; JINKO in the
gap apportioned by area. Writes KEY_CODE, area_m2, gap_area_m2, population_in_gap and prints
the totals as JSON.
"""
import json
import sys

import geopandas as gpd
import numpy as np
import shapely


def main(src, bus, stations, dst):
    gdf = gpd.read_file(src, encoding="cp932", engine="pyogrio")
    gdf["geometry"] = gdf.geometry.make_valid(method="structure")
    districts = gdf.dissolve(by="KEY_CODE", aggfunc={"JINKO": "sum"}).reset_index().to_crs(2447)
    stops = gpd.read_file(bus, engine="pyogrio").to_crs(2447)
    rail = gpd.read_file(stations, engine="pyogrio").to_crs(2447)
    discs = np.concatenate([shapely.buffer(stops.geometry.values, 300, quad_segs=16),
                            shapely.buffer(rail.geometry.values, 800, quad_segs=16)])
    tree = shapely.STRtree(discs)
    rows = []
    for key, pop, geom in zip(districts.KEY_CODE, districts.JINKO, districts.geometry):
        near = tree.query(geom, predicate="intersects")
        gap = geom if len(near) == 0 else shapely.difference(geom, shapely.union_all(discs[near]))
        area, gap_area = geom.area, gap.area
        if gap_area < 1:
            gap_area = 0.0
        rows.append((key, area, gap_area, pop * min(1.0, gap_area / area) if area > 0 else 0.0))
    out = gpd.pd.DataFrame(rows, columns=["KEY_CODE", "area_m2", "gap_area_m2", "population_in_gap"])
    out.to_csv(dst, index=False, float_format="%.6f")
    print(json.dumps({"districts": len(out), "stops": len(stops) + len(rail),
                      "area_m2": float(out.area_m2.sum()), "gap_area_m2": float(out.gap_area_m2.sum()),
                      "population": int(districts.JINKO.sum()), "population_in_gap": float(out.population_in_gap.sum())}))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
