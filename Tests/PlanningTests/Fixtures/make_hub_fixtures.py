#!/usr/bin/env python3
"""Reference results for `chiiki hubs`, computed with PySAL spopt and PuLP's CBC.

Writes, next to this script:
  hubs_random.json          60 seeded demand points x 25 candidates (metres), integer weights
  hubs_nagato_hamlets.json  the 225 synthetic Nagato hamlets (aged 65+), a point on each surface,
                            in JGD2011 plane zone III (EPSG:6671); candidates = the same points
  hubs_road_grid.json       a synthetic street grid with gaps and a detached piece; road distances
                            (nearest-segment snapping + networkx Dijkstra) as the cost matrix
and, for the demo and the CLI tests, geodata/nagato/roads_synthetic.geojson (a synthetic road
graph joining the hamlets: their Gabriel graph, which is connected).

Each instance stores its points, weights and, per model, spopt's objective and sites. Run from
the repository root with a Python that has the pinned packages:

  python -m venv /tmp/venv && /tmp/venv/bin/pip install spopt==0.7.0 pulp==3.3.2 \
      geopandas==1.2.0 shapely==2.2.0 pyproj==3.7.2 networkx==3.6.1 scipy==1.17.1
  /tmp/venv/bin/python Tests/PlanningTests/Fixtures/make_hub_fixtures.py
"""
import json
import math
import pathlib
import subprocess
import time

import geopandas as gpd
import networkx as nx
import numpy as np
import pulp
import shapely
import spopt
from scipy.spatial import Delaunay
from scipy.spatial.distance import cdist
from spopt.locate import LSCP, MCLP, PCenter, PMedian

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SOLVER = pulp.PULP_CBC_CMD(msg=False)


def versions():
    cbc = subprocess.run([SOLVER.path, "-stop"], capture_output=True, text=True).stdout
    cbc_version = next((l.split(":", 1)[1].strip() for l in cbc.splitlines() if l.startswith("Version")), "?")
    return {"spopt": spopt.__version__, "pulp": pulp.__version__, "cbc": cbc_version, "shapely": shapely.__version__,
            "networkx": nx.__version__}


def solve(cost, weights, model, p=None, radius=None, fixed=None):
    """spopt's model on a cost matrix; returns the objective as spopt reports it and the sites."""
    fixed_arr = None
    if fixed:
        fixed_arr = np.zeros(cost.shape[1], dtype=int)
        fixed_arr[fixed] = 1
    start = time.time()
    if model == "lscp":
        m = LSCP.from_cost_matrix(cost, service_radius=radius, predefined_facilities_arr=fixed_arr)
    elif model == "mclp":
        m = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p,
                                  predefined_facilities_arr=fixed_arr)
    elif model == "p-median":
        m = PMedian.from_cost_matrix(cost, weights, p_facilities=p, predefined_facilities_arr=fixed_arr)
    elif model == "p-center":
        m = PCenter.from_cost_matrix(cost, p_facilities=p, predefined_facilities_arr=fixed_arr)
    m = m.solve(SOLVER)
    elapsed = time.time() - start
    sites = [j for j, v in enumerate(m.fac_vars) if v.value() > 0.5]
    reported = pulp.value(m.problem.objective)
    # The objective recomputed from the sites in full precision (CBC's solution file rounds
    # values to about eight digits, and spopt's MCLP reports no weight sum).
    nearest = cost[:, sites].min(axis=1)
    objective = {"lscp": float(len(sites)),
                 "mclp": float(weights[nearest <= radius].sum()) if radius else None,
                 "p-median": float((weights * nearest).sum()),
                 "p-center": float(nearest.max())}[model]
    print(f"  {model:8} p={p} r={radius} fixed={fixed}: objective {objective:.6f} (spopt {reported}), sites {sites} ({elapsed:.1f} s)")
    return {"model": model, "p": p, "radius": radius, "fixed": fixed or [], "objective": objective,
            "spopt_objective": reported, "sites": sites, "spopt_seconds": round(elapsed, 2)}


def write(name, instance, results):
    path = HERE / name
    path.write_text(json.dumps({"made_by": "Tests/PlanningTests/Fixtures/make_hub_fixtures.py", "versions": versions(),
                                **instance, "results": results}, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")


def random_instance():
    rng = np.random.default_rng(20240611)
    demand = np.round(rng.uniform(0, 10_000, (60, 2)), 3)
    candidates = np.round(rng.uniform(0, 10_000, (25, 2)), 3)
    weights = rng.integers(1, 100, 60).astype(float)
    cost = cdist(demand, candidates)
    results = []
    for fixed in (None, [3, 11]):
        results.append(solve(cost, weights, "lscp", radius=3_000, fixed=fixed))
        results.append(solve(cost, weights, "mclp", p=4, radius=1_500, fixed=fixed))
        results.append(solve(cost, weights, "p-median", p=4, fixed=fixed))
        results.append(solve(cost, weights, "p-center", p=4, fixed=fixed))
    write("hubs_random.json", {"name": "random", "crs": "metres", "demand": demand.tolist(), "weights": weights.tolist(),
                               "candidates": candidates.tolist()}, results)


def hamlet_points():
    hamlets = gpd.read_file(ROOT / "geodata/nagato/hamlets_2014_synthetic.geojson").to_crs(6671)
    points = hamlets.geometry.representative_point()  # GEOS PointOnSurface, as chiiki
    return hamlets, np.array([[p.x, p.y] for p in points])


def nagato_instance():
    hamlets, xy = hamlet_points()
    xy = xy.round(4)  # the instance is what the fixture stores: 0.1 mm
    weights = hamlets["aged_65_plus"].to_numpy(dtype=float)
    cost = cdist(xy, xy)
    results = [
        solve(cost, weights, "lscp", radius=5_000),
        solve(cost, weights, "mclp", p=5, radius=2_000),
        solve(cost, weights, "p-median", p=5),
    ]
    # spopt's p-center formulation (min W with every assignment) did not finish in 25 minutes
    # on 225 x 225 here: p-center gets every fifth hamlet as a candidate (225 x 45).
    subset = list(range(0, len(xy), 5))
    result = solve(cost[:, subset], weights, "p-center", p=5)
    result["candidate_subset"] = subset
    result["sites"] = [subset[j] for j in result["sites"]]
    results.append(result)
    write("hubs_nagato_hamlets.json", {"name": "nagato_hamlets", "crs": "EPSG:6671", "ids": hamlets["hamlet_id"].tolist(),
                                       "demand": xy.tolist(), "weights": weights.tolist(),
                                       "candidates": "demand"}, results)


# --- road distances, as chiiki defines them -------------------------------------------------

def road_graph(lines):
    """Nodes at vertices rounded to the millimetre; an edge per segment, in line order."""
    nodes, index, edges = [], {}, []
    def node(c):
        key = (round(c[0], 3), round(c[1], 3))
        if key not in index:
            index[key] = len(nodes)
            nodes.append(key)
        return index[key]
    for line in lines:
        prev = None
        for c in line:
            v = node(c)
            if prev is not None and prev != v:
                edges.append((prev, v))
            prev = v
    graph = nx.Graph()
    graph.add_nodes_from(range(len(nodes)))
    for a, b in edges:
        length = math.dist(nodes[a], nodes[b])
        if not graph.has_edge(a, b) or graph[a][b]["length"] > length:
            graph.add_edge(a, b, length=length)
    return nodes, edges, graph


def snap(point, nodes, edges):
    """Nearest point on the nearest segment (ties: first segment): shapely's project/distance."""
    best = None
    p = shapely.Point(point)
    for k, (a, b) in enumerate(edges):
        seg = shapely.LineString([nodes[a], nodes[b]])
        d = seg.distance(p)
        if best is None or d < best[0]:
            along = seg.project(p)
            best = (d, a, b, along, seg.length - along)
    return best  # distance, a, b, toA, toB


def road_costs(demand, candidates, lines):
    nodes, edges, graph = road_graph(lines)
    ds = [snap(p, nodes, edges) for p in demand]
    cs = [snap(p, nodes, edges) for p in candidates]
    cost = np.full((len(demand), len(candidates)), np.inf)
    for j, c in enumerate(cs):
        g = graph.copy()
        g.add_edge("src", c[1], length=c[3])
        if g.has_edge("src", c[2]):
            g["src"][c[2]]["length"] = min(g["src"][c[2]]["length"], c[4])
        else:
            g.add_edge("src", c[2], length=c[4])
        dist = nx.single_source_dijkstra_path_length(g, "src", weight="length")
        for i, s in enumerate(ds):
            d = min(s[3] + dist.get(s[1], math.inf), s[4] + dist.get(s[2], math.inf))
            if (s[1], s[2]) == (c[1], c[2]):
                d = min(d, abs(s[3] - c[3]))
            if (s[1], s[2]) == (c[2], c[1]):
                d = min(d, abs(s[3] - c[4]))
            cost[i, j] = s[0] + d + c[0]
    return cost, [s[0] for s in ds], [c[0] for c in cs]


def road_instance():
    rng = np.random.default_rng(7)
    lines = []
    # A 6 x 5 street grid, 400 m blocks, with a few links missing (so paths detour).
    missing = {("h", 1, 2), ("h", 3, 1), ("v", 2, 3), ("v", 4, 0), ("v", 0, 2)}
    for r in range(5):
        for c in range(5):
            if ("h", r, c) not in missing:
                lines.append([[c * 400.0, r * 400.0], [(c + 1) * 400.0, r * 400.0]])
    for c in range(6):
        for r in range(4):
            if ("v", c, r) not in missing:
                lines.append([[c * 400.0, r * 400.0], [c * 400.0, (r + 1) * 400.0]])
    # A winding country road out of the grid, as one polyline.
    lines.append([[2000.0, 1600.0], [2300.0, 1900.0], [2350.0, 2300.0], [2700.0, 2500.0]])
    # A detached piece far away: the graph is disconnected, but no point is near it.
    lines.append([[5000.0, 5000.0], [5300.0, 5000.0]])
    demand = np.round(rng.uniform([-50, -50], [2600, 2400], (40, 2)), 3)
    candidates = np.round(rng.uniform([0, 0], [2400, 1600], (15, 2)), 3)
    weights = rng.integers(1, 60, 40).astype(float)
    cost, demand_snap, candidate_snap = road_costs(demand.tolist(), candidates.tolist(), lines)
    assert np.isfinite(cost).all()
    # The least round radius every point can be covered within: LSCP is feasible, not trivial.
    radius = float(math.ceil(cost.min(axis=1).max() / 100) * 100)
    results = [
        solve(cost, weights, "lscp", radius=radius),
        solve(cost, weights, "mclp", p=3, radius=800),
        solve(cost, weights, "p-median", p=3),
        solve(cost, weights, "p-center", p=3),
    ]
    write("hubs_road_grid.json", {"name": "road_grid", "crs": "metres", "roads": lines, "demand": demand.tolist(),
                                  "weights": weights.tolist(), "candidates": candidates.tolist(),
                                  "cost": np.round(cost, 6).tolist(), "demand_snap": np.round(demand_snap, 6).tolist(),
                                  "candidate_snap": np.round(candidate_snap, 6).tolist()}, results)


def synthetic_roads():
    """geodata/nagato/roads_synthetic.geojson: the Gabriel graph of the hamlet points (an edge
    where no third point lies in the circle on it as diameter), straight, in lon/lat."""
    hamlets, xy = hamlet_points()
    tri = Delaunay(xy)
    pairs = set()
    for simplex in tri.simplices:
        for a, b in ((0, 1), (1, 2), (0, 2)):
            i, j = sorted((int(simplex[a]), int(simplex[b])))
            pairs.add((i, j))
    keep = []
    for i, j in sorted(pairs):
        centre = (xy[i] + xy[j]) / 2
        r2 = ((xy[i] - xy[j]) ** 2).sum() / 4
        d2 = ((xy - centre) ** 2).sum(axis=1)
        d2[[i, j]] = np.inf
        if (d2 >= r2).all():
            keep.append((i, j))
    lines = gpd.GeoDataFrame(
        {"road_id": [f"r{k + 1:03d}" for k in range(len(keep))],
         "from_hamlet": [hamlets["hamlet_id"][i] for i, _ in keep],
         "to_hamlet": [hamlets["hamlet_id"][j] for _, j in keep]},
        geometry=[shapely.LineString([xy[i], xy[j]]) for i, j in keep], crs=6671).to_crs(4326)
    path = ROOT / "geodata/nagato/roads_synthetic.geojson"
    lines.to_file(path, driver="GeoJSON", RFC7946="YES", COORDINATE_PRECISION=7, WRITE_NAME="NO")
    print(f"wrote {path.relative_to(ROOT)}: {len(keep)} segments")


if __name__ == "__main__":
    import sys
    only = sys.argv[1:]  # any of: random road nagato roads (default: all)
    if not only or "random" in only:
        print("random"); random_instance()
    if not only or "road" in only:
        print("road grid"); road_instance()
    if not only or "nagato" in only:
        print("nagato hamlets"); nagato_instance()
    if not only or "roads" in only:
        synthetic_roads()
