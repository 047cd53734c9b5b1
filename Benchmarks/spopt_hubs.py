#!/usr/bin/env python3
"""The peer side of Benchmarks/sections/hubs.sh: one siting model with PySAL spopt and CBC
(PuLP's), on the instance chiiki wrote (demand points with their weights, candidate points).

  spopt_hubs.py DEMAND.geojson CANDIDATES.geojson EPSG MODEL P [RADIUS] > result.json

MODEL is p-median, mclp, lscp (P ignored: give 0) or p-center.

Reads both GeoJSON files, projects them to the plane zone EPSG (the one chiiki uses), builds the
straight-line cost matrix and solves MODEL (p-median or mclp) with p hubs. Prints the objective
(recomputed from the sites in full precision), the sites (candidate ids) and the time each step
took; the whole process is timed from outside.
"""
import json
import sys
import time

start = time.time()
import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pulp  # noqa: E402
from scipy.spatial.distance import cdist  # noqa: E402
from spopt.locate import LSCP, MCLP, PCenter, PMedian  # noqa: E402

imported = time.time()
demand_path, candidate_path, epsg, model, p = sys.argv[1:6]
radius = float(sys.argv[6]) if len(sys.argv) > 6 else None
p = int(p)
demand = gpd.read_file(demand_path).to_crs(int(epsg))
candidates = gpd.read_file(candidate_path).to_crs(int(epsg))
weights = demand["weight"].to_numpy(dtype=float)
cost = cdist(np.column_stack([demand.geometry.x, demand.geometry.y]),
             np.column_stack([candidates.geometry.x, candidates.geometry.y]))
read = time.time()
if model == "p-median":
    m = PMedian.from_cost_matrix(cost, weights, p_facilities=p)
elif model == "mclp":
    m = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p)
elif model == "lscp":
    m = LSCP.from_cost_matrix(cost, service_radius=radius)
elif model == "p-center":
    m = PCenter.from_cost_matrix(cost, p_facilities=p)
else:
    sys.exit(f"unknown model {model}")
built = time.time()
m.solve(pulp.PULP_CBC_CMD(msg=False))
solved = time.time()
sites = [j for j, v in enumerate(m.fac_vars) if v.value() > 0.5]
nearest = cost[:, sites].min(axis=1)
objective = {"p-median": lambda: float((weights * nearest).sum()), "mclp": lambda: float(weights[nearest <= radius].sum()),
             "lscp": lambda: float(len(sites)), "p-center": lambda: float(nearest.max())}[model]()
json.dump({"model": model, "p": p, "radius": radius, "demand": len(demand), "candidates": len(candidates),
           "objective": objective, "sites": sorted(candidates["id"].iloc[sites].tolist()),
           "seconds": {"import": round(imported - start, 3), "read_and_matrix": round(read - imported, 3),
                       "build_model": round(built - read, 3), "solve": round(solved - built, 3)}},
          sys.stdout)
print()
