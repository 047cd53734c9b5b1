#!/usr/bin/env python3
"""SYNTHETIC bus stops and stations for the prefecture-sized transit-gap benchmark.

Usage: taxi_synthetic_stops.py BOUNDARIES.shp OUT_DIR

geodata/tottori has no stop layer, so this places, with a fixed seed:
  - bus stops: in each small area, one per 120 residents (rounded; none in empty areas), at
    uniformly random points inside it: stops where people are, at about Tottori's density;
  - stations: one at a point inside each of the 70 most populous small areas.
Written as OUT_DIR/bus_stops_synthetic.geojson (P11_001 = name) and
OUT_DIR/stations_synthetic.geojson (N02_005 = name), lon/lat (JGD2000, as the boundaries).
Not real stops: the benchmark measures speed and agreement, not Tottori's transit.
"""
import os
import sys

import geopandas as gpd
import numpy as np
import shapely


def main(src, out):
    gdf = gpd.read_file(src, encoding="cp932", engine="pyogrio")
    gdf["geometry"] = gdf.geometry.make_valid(method="structure")
    areas = gdf.dissolve(by="KEY_CODE", aggfunc={"JINKO": "sum"}).reset_index().to_crs(2447)
    rng = np.random.default_rng(2015)
    points, names = [], []
    for key, pop, geom in zip(areas.KEY_CODE, areas.JINKO, areas.geometry):
        k = int(round(pop / 120))
        if k == 0:
            continue
        minx, miny, maxx, maxy = geom.bounds
        prepared = shapely.prepared.prep(geom)
        found = 0
        for _ in range(200 * k):
            p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if prepared.contains(p):
                found += 1
                points.append(p)
                names.append(f"{key}-{found}")
                if found == k:
                    break
    stops = gpd.GeoDataFrame({"P11_001": names}, geometry=points, crs=2447).to_crs(4612)
    top = areas.sort_values(["JINKO", "KEY_CODE"], ascending=[False, True]).head(70)
    stations = gpd.GeoDataFrame({"N02_005": [f"station {k}" for k in top.KEY_CODE]},
                                geometry=top.geometry.representative_point().values, crs=2447).to_crs(4612)
    os.makedirs(out, exist_ok=True)
    stops.to_file(os.path.join(out, "bus_stops_synthetic.geojson"), driver="GeoJSON", engine="pyogrio")
    stations.to_file(os.path.join(out, "stations_synthetic.geojson"), driver="GeoJSON", engine="pyogrio")
    print(f"{len(stops)} bus stops, {len(stations)} stations")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
