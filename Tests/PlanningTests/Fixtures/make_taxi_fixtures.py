#!/usr/bin/env python3
"""Reference fixtures for `chiiki taxi`'s tests, computed outside chiiki.

  taxi_ortools_100.json
      A 100-stop, two-hub community-taxi instance (seeded) and Google OR-Tools' routes for it.
      Rules, as chiiki's RoutingProblem states them: each route starts and ends at its hub; the
      riders of its stops fit the seats; the ride of the first rider picked up — the legs after
      the first stop at the speed, plus the dwell at every stop — is at most the maximum ride
      (the empty drive from the hub to the first stop does not count); each hub runs at most its
      vehicles. Distances: straight line × detour factor (coordinates in metres). Objective: the
      least total distance.
      OR-Tools model: arc cost = distance rounded to the metre; a capacity dimension (riders);
      a time dimension in tenths of a second, transit = ceil((leg / speed + dwell at the stop
      left) × 10), zero from a hub, slack 0, start cumul 0, capacity = maximum ride: the end
      cumul is the first rider's ride, rounded up (so OR-Tools' routes are feasible under
      chiiki's exact check). Search: SAVINGS then GUIDED_LOCAL_SEARCH for the time limit below
      (the best of the first-solution strategies tried for 30 s on this instance:
      PATH_CHEAPEST_ARC 378.0 km, SAVINGS 353.8 km, PARALLEL_CHEAPEST_INSERTION 373.8 km,
      LOCAL_CHEAPEST_INSERTION 361.5 km); `length_m` is the routes' length recomputed in
      floating point.

  taxi_gap_nagato.csv
      The transit gap of the 225 synthetic Nagato hamlets under the synthetic bus stops (300 m)
      and stations (800 m) of geodata/nagato, straight-line: per hamlet its planar area, gap
      area (hamlet minus the union of the stops' discs, 16 segments per quarter circle) and the
      population and aged 65+ in the gap, apportioned by area. Plane zone III of JGD2011
      (EPSG:6671); stations are the middles of their platform lines, measured in that zone.

Made with Python 3.11.7, ortools 9.15.6755, shapely 2.2.0, pyproj 3.7.2, numpy 2.4.6.
Rerun from the repository root (OR-Tools' search runs for TIME_LIMIT seconds):
    python3 -m venv /tmp/taxi-venv && /tmp/taxi-venv/bin/pip install ortools==9.15.6755 shapely==2.2.0 pyproj==3.7.2 numpy==2.4.6
    /tmp/taxi-venv/bin/python Tests/PlanningTests/Fixtures/make_taxi_fixtures.py [gap] [routing]
"""
import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TIME_LIMIT = 300


def instance(seed=7, stops=100):
    """Stops in a 24 km × 16 km area, 60 % in six settlements, the rest scattered; 1–3 riders."""
    import numpy as np
    rng = np.random.default_rng(seed)
    centres = rng.uniform([2000, 2000], [22000, 14000], size=(6, 2))
    points = []
    for k in range(stops):
        if k < int(0.6 * stops):
            c = centres[k % 6]
            p = c + rng.normal(0, 900, size=2)
        else:
            p = rng.uniform([0, 0], [24000, 16000])
        points.append((float(np.clip(p[0], 0, 24000).round(1)), float(np.clip(p[1], 0, 16000).round(1))))
    riders = rng.choice([1, 2, 3], size=stops, p=[0.6, 0.3, 0.1])
    return {
        "hubs": [{"name": "hub A", "x": 7000.0, "y": 8000.0, "vehicles": 15},
                 {"name": "hub B", "x": 17000.0, "y": 8000.0, "vehicles": 15}],
        "stops": [{"name": f"s{k + 1:03d}", "x": x, "y": y, "riders": int(r)} for k, ((x, y), r) in enumerate(zip(points, riders))],
        "seats": 9, "speed_kmh": 30.0, "max_ride_min": 40.0, "dwell_s": 30.0, "detour": 1.3,
    }


def distances(inst):
    pts = [(h["x"], h["y"]) for h in inst["hubs"]] + [(s["x"], s["y"]) for s in inst["stops"]]
    f = inst["detour"]
    return [[math.hypot(a[0] - b[0], a[1] - b[1]) * f for b in pts] for a in pts]


def solve_ortools(inst, seconds=TIME_LIMIT):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    d = distances(inst)
    hubs = len(inst["hubs"])
    n = len(d)
    starts = [h for h, hub in enumerate(inst["hubs"]) for _ in range(hub["vehicles"])]
    manager = pywrapcp.RoutingIndexManager(n, len(starts), starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    cost = routing.RegisterTransitCallback(lambda i, j: int(round(d[manager.IndexToNode(i)][manager.IndexToNode(j)])))
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    riders = [0] * hubs + [s["riders"] for s in inst["stops"]]
    demand = routing.RegisterUnaryTransitCallback(lambda i: riders[manager.IndexToNode(i)])
    routing.AddDimensionWithVehicleCapacity(demand, 0, [inst["seats"]] * len(starts), True, "seats")
    speed = inst["speed_kmh"] / 3.6

    def ride(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        if a < hubs:
            return 0
        return math.ceil((d[a][b] / speed + inst["dwell_s"]) * 10)

    time = routing.RegisterTransitCallback(ride)
    routing.AddDimension(time, 0, int(inst["max_ride_min"] * 600), True, "ride")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.SAVINGS
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.seconds = seconds
    solution = routing.SolveWithParameters(params)
    if solution is None:
        sys.exit("OR-Tools found no solution")
    routes = []
    for v in range(len(starts)):
        index = routing.Start(v)
        seq = []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node >= hubs:
                seq.append(node - hubs)
            index = solution.Value(routing.NextVar(index))
        if seq:
            routes.append({"hub": starts[v], "stops": seq})
    length = 0.0
    for r in routes:
        pts = [r["hub"]] + [hubs + s for s in r["stops"]] + [r["hub"]]
        length += sum(d[a][b] for a, b in zip(pts, pts[1:]))
    return routes, length, solution.ObjectiveValue()


def routing_fixture():
    import ortools
    inst = instance()
    routes, length, objective = solve_ortools(inst)
    out = dict(inst)
    out["ortools"] = {"routes": routes, "length_m": round(length, 3), "objective": objective,
                      "search": f"SAVINGS + GUIDED_LOCAL_SEARCH, {TIME_LIMIT} s",
                      "version": ortools.__version__}
    path = os.path.join(HERE, "taxi_ortools_100.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(routes)} routes, {length:.1f} m")


def gap_fixture():
    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape
    from shapely.ops import unary_union
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:6671", always_xy=True)

    def to_plane(g):
        return shapely.transform(g, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    nagato = os.path.join(ROOT, "geodata", "nagato")

    def load(name):
        with open(os.path.join(nagato, name), encoding="utf-8") as f:
            return json.load(f)["features"]

    discs = []
    for f in load("bus_stops_p11_synthetic.geojson"):
        discs.append(to_plane(shape(f["geometry"])).buffer(300, quad_segs=16))
    for f in load("stations_n02_synthetic.geojson"):
        line = to_plane(shape(f["geometry"]))
        discs.append(line.interpolate(0.5, normalized=True).buffer(800, quad_segs=16))
    covered = unary_union(discs)
    rows = []
    for f in load("hamlets_2014_synthetic.geojson"):
        p = f["properties"]
        g = shapely.make_valid(to_plane(shape(f["geometry"])))
        gap = g.difference(covered)
        share = gap.area / g.area if gap.area >= 1 else 0.0
        rows.append([p["hamlet_id"], f"{g.area:.6f}", f"{gap.area if gap.area >= 1 else 0:.6f}",
                     f"{p['population'] * share:.6f}", f"{p['aged_65_plus'] * share:.6f}"])
    path = os.path.join(HERE, "taxi_gap_nagato.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["hamlet_id", "area_m2", "gap_area_m2", "population_in_gap", "aged_in_gap"])
        w.writerows(rows)
    print(f"wrote {path}: {len(rows)} hamlets")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["gap", "routing"]
    if "gap" in parts:
        gap_fixture()
    if "routing" in parts:
        routing_fixture()
