#!/usr/bin/env python3
"""Dial-a-ride instances after Cordeau (2006) for `make bench`: chiiki against OR-Tools.

Cordeau's 'a' instances: requests with pick-up and drop-off uniform in a 20 km square around
the depot, one rider each, half outbound (a 15-minute window on the drop-off) and half inbound
(on the pick-up), 3 seats, 30-minute rides, 3-minute dwell, 60 km/h (1 km a minute), routes of
at most 480 minutes. Seeded; the published instances themselves are not on this machine.

Usage:
  darp_ortools.py instance N VEHICLES SEED OUT_DIR   hub.geojson and trips.csv for chiiki
  darp_ortools.py ortools N VEHICLES SEED SECONDS    OR-Tools (pick-up and delivery, windows,
                                                     ride limits as cumul constraints); prints JSON
  darp_ortools.py check N VEHICLES SEED SCHEDULE     chiiki's schedule.csv checked against the
                                                     instance with nothing of chiiki's; prints JSON
"""
import csv
import json
import math
import os
import random
import sys
import time

CENTRE = (-40_000.0, -140_000.0)   # EPSG:6671 (JGD2011 plane zone III) metres, inland Yamaguchi
SHIFT = (8 * 3600, 18 * 3600)
SEATS, MAX_RIDE, DWELL, SPEED, DURATION = 3, 30 * 60, 180, 60 / 3.6, 480 * 60


def generate(n, seed):
    rng = random.Random(seed)
    hub = CENTRE
    trips = []
    for r in range(n):
        a = (CENTRE[0] + rng.uniform(-10_000, 10_000), CENTRE[1] + rng.uniform(-10_000, 10_000))
        b = (CENTRE[0] + rng.uniform(-10_000, 10_000), CENTRE[1] + rng.uniform(-10_000, 10_000))
        outbound = r < n // 2
        reach = math.dist(hub, a) / SPEED + DWELL
        direct = math.dist(a, b) / SPEED
        opens = SHIFT[0] + rng.uniform(0, 8 * 3600) + (reach + direct + DWELL if outbound else reach)
        opens = min(opens, SHIFT[1] - 3600 - 900)
        opens = 60 * math.floor(opens / 60)
        trips.append({"id": f"R{r + 1:02d}", "from": a, "to": b, "earliest": opens, "latest": opens + 900,
                      "at": "dropoff" if outbound else "pickup"})
    return hub, trips


def hhmm(s):
    return "%02d:%02d" % (s // 3600, s % 3600 // 60)


def instance(n, vehicles, seed, out):
    from pyproj import Transformer
    hub, trips = generate(n, seed)
    to_deg = Transformer.from_crs("EPSG:6671", "EPSG:6668", always_xy=True)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "hub.geojson"), "w") as f:
        json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6671"}},
                   "features": [{"type": "Feature", "properties": {"name": "depot", "vehicles": vehicles},
                                 "geometry": {"type": "Point", "coordinates": list(hub)}}]}, f)
    with open(os.path.join(out, "trips.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "from_lon", "from_lat", "to_lon", "to_lat", "riders", "earliest", "latest", "window_at"])
        for t in trips:
            (fl, fb), (tl, tb) = to_deg.transform(*t["from"]), to_deg.transform(*t["to"])
            w.writerow([t["id"], f"{fl:.9f}", f"{fb:.9f}", f"{tl:.9f}", f"{tb:.9f}", 1, hhmm(t["earliest"]), hhmm(t["latest"]), t["at"]])
    print(f"{n} requests, {vehicles} vehicles, seed {seed}: seats {SEATS}, ride ≤ 30 min, dwell 3 min, 60 km/h, routes ≤ 480 min, "
          f"shift {hhmm(SHIFT[0])}–{hhmm(SHIFT[1])}")


def ortools(n, vehicles, seed, seconds):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    hub, trips = generate(n, seed)
    points = [hub] + [p for t in trips for p in (t["from"], t["to"])]
    scale = 10  # deciseconds, so rounding costs little
    manager = pywrapcp.RoutingIndexManager(len(points), vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    dist = [[round(math.dist(a, b)) for b in points] for a in points]
    ticks = [[round((0 if i == 0 else DWELL) * scale + math.dist(a, b) / SPEED * scale) for b in points] for i, a in enumerate(points)]
    d_cb = routing.RegisterTransitCallback(lambda i, j: dist[manager.IndexToNode(i)][manager.IndexToNode(j)])
    t_cb = routing.RegisterTransitCallback(lambda i, j: ticks[manager.IndexToNode(i)][manager.IndexToNode(j)])
    routing.SetArcCostEvaluatorOfAllVehicles(d_cb)
    routing.AddDimension(t_cb, SHIFT[1] * scale, SHIFT[1] * scale, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    demand = [0] + [q for _ in trips for q in (1, -1)]
    q_cb = routing.RegisterUnaryTransitCallback(lambda i: demand[manager.IndexToNode(i)])
    routing.AddDimensionWithVehicleCapacity(q_cb, 0, [SEATS] * vehicles, True, "load")
    solver = routing.solver()
    for v in range(vehicles):
        tdim.CumulVar(routing.Start(v)).SetRange(SHIFT[0] * scale, SHIFT[1] * scale)
        tdim.CumulVar(routing.End(v)).SetRange(SHIFT[0] * scale, SHIFT[1] * scale)
        tdim.SetSpanUpperBoundForVehicle(DURATION * scale, v)
    for r, t in enumerate(trips):
        p, d = manager.NodeToIndex(1 + 2 * r), manager.NodeToIndex(2 + 2 * r)
        routing.AddPickupAndDelivery(p, d)
        solver.Add(routing.VehicleVar(p) == routing.VehicleVar(d))
        solver.Add(tdim.CumulVar(p) <= tdim.CumulVar(d))
        solver.Add(tdim.CumulVar(d) - tdim.CumulVar(p) <= (MAX_RIDE + DWELL) * scale)
        windowed = p if t["at"] == "pickup" else d
        tdim.CumulVar(windowed).SetRange(int(t["earliest"] * scale), int(t["latest"] * scale))
        routing.AddDisjunction([p, d], 10_000_000, 2)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    started = time.time()
    solution = routing.SolveWithParameters(params)
    if solution is None:
        print(json.dumps({"seconds": seconds, "served": 0, "length_m": None}))
        return
    length, served = 0.0, 0
    for v in range(vehicles):
        i = routing.Start(v)
        path = []
        while not routing.IsEnd(i):
            path.append(manager.IndexToNode(i))
            i = solution.Value(routing.NextVar(i))
        path.append(0)
        length += sum(math.dist(points[a], points[b]) for a, b in zip(path, path[1:]))
        served += sum(1 for k in path if k % 2 == 1)
    print(json.dumps({"seconds": seconds, "wall_s": round(time.time() - started, 2), "served": served, "length_m": round(length, 1)}))


def check(n, vehicles, seed, schedule):
    """Re-measures chiiki's schedule on the instance: windows, rides, seats, durations, the drive
    between calls at 60 km/h (times are written to the second: 1 s of slack per call)."""
    hub, trips = generate(n, seed)
    by_id = {t["id"]: t for t in trips}
    rows = list(csv.DictReader(open(schedule, encoding="utf-8-sig")))
    def secs(s):
        h, m, x = (int(v) for v in s.split(":"))
        return h * 3600 + m * 60 + x
    length, served, vehicles_used, errors = 0.0, set(), set(), []
    picked, where, leave, load = {}, None, None, 0
    for row in rows:
        t = secs(row["time"])
        if row["event"] == "leave hub":
            vehicles_used.add(row["vehicle"]); where, leave, load, start = hub, t, 0, t
            continue
        here = hub if row["event"] == "arrive hub" else (by_id[row["trip"]]["from"] if row["event"] == "pickup" else by_id[row["trip"]]["to"])
        drive = math.dist(where, here) / SPEED
        if t < leave + drive - 2:
            errors.append(f"{row['vehicle']} reaches {row['trip'] or 'the hub'} too early")
        length += math.dist(where, here)
        where = here
        if row["event"] == "arrive hub":
            if t - start > DURATION + 2 or t > SHIFT[1] + 1:
                errors.append(f"{row['vehicle']} is out too long")
            continue
        trip = by_id[row["trip"]]
        if (trip["at"] == "pickup") == (row["event"] == "pickup") and not (trip["earliest"] - 1 <= t <= trip["latest"] + 1):
            errors.append(f"{trip['id']} outside its window")
        if row["event"] == "pickup":
            picked[trip["id"]] = (row["vehicle"], t); load += 1
        else:
            v, p = picked.pop(trip["id"])
            if v != row["vehicle"] or t - p - DWELL > MAX_RIDE + 2:
                errors.append(f"{trip['id']} rides too long or changes vehicle")
            served.add(trip["id"]); load -= 1
        if load > SEATS:
            errors.append(f"{row['vehicle']} over its seats")
        leave = t + DWELL
    print(json.dumps({"served": len(served), "vehicles": len(vehicles_used), "length_m": round(length, 1), "errors": errors[:5]}))
    sys.exit(1 if errors or picked else 0)


if __name__ == "__main__":
    cmd, n, v, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    {"instance": lambda: instance(n, v, seed, sys.argv[5]), "ortools": lambda: ortools(n, v, seed, float(sys.argv[5])),
     "check": lambda: check(n, v, seed, sys.argv[5])}[cmd]()
