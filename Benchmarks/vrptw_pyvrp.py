#!/usr/bin/env python3
"""Solomon's VRPTW instance RC208 (100 customers) for `make bench`: chiiki's dial-a-ride solver
against PyVRP at equal time, and against the best known solution.

Benchmarks/instances/RC208.vrp and RC208.sol are PyVRP 0.14.1's test data (its source
distribution on PyPI, tests/data/), unchanged: Solomon (1987)'s RC208 in VRPLIB form, and a
solution of cost 776.1, the best known for least distance (as cited with PyVRP's data).

As dial-a-ride: each customer is a booking from the depot to the customer, its demand as riders,
the capacity as seats, its window on the drop-off, its service time as the drop-off's dwell (no
dwell at the depot), rides unbounded (longer than the horizon); 1 unit = 1 km at 60 km/h (one
minute a unit), the depot's window as the shift from 00:00. A route that comes back to the depot
and loads again is, for the VRPTW, two routes of the same length: the check splits it there.

Usage:
  vrptw_pyvrp.py instance VRP OUT_DIR     hub.geojson and trips.csv for chiiki; prints chiiki's flags
  vrptw_pyvrp.py pyvrp VRP SECONDS         PyVRP (seed 1); prints JSON: cost (instance units), routes
  vrptw_pyvrp.py check VRP SCHEDULE        chiiki's schedule.csv re-measured in instance units and
                                           checked (windows, service, capacity) with nothing of
                                           chiiki's; prints JSON
  vrptw_pyvrp.py best VRP SOL              the best known solution re-measured the same way; JSON
"""
import csv
import json
import math
import os
import sys

CENTRE = (-40_000.0, -140_000.0)   # EPSG:6671 (JGD2011 plane zone III) metres, as darp_ortools.py


def read(path):
    sections, head, current = {}, {}, None
    for line in open(path):
        words = line.replace(":", " ").split()
        if not words:
            continue
        if words[0].endswith("_SECTION"):
            current = words[0]; sections[current] = []; continue
        if words[0] == "EOF":
            break
        if current and words[0].lstrip("-").isdigit():
            sections[current].append([float(w) for w in words])
        else:
            head[words[0]] = " ".join(words[1:]); current = None
    xy = {int(r[0]): (r[1], r[2]) for r in sections["NODE_COORD_SECTION"]}
    demand = {int(r[0]): int(r[1]) for r in sections["DEMAND_SECTION"]}
    window = {int(r[0]): (r[1], r[2]) for r in sections["TIME_WINDOW_SECTION"]}
    depot = int(sections["DEPOT_SECTION"][0][0])
    return {"xy": xy, "demand": demand, "window": window, "depot": depot, "capacity": int(head["CAPACITY"]),
            "vehicles": int(head["VEHICLES"]), "service": float(head.get("SERVICE_TIME", 0))}


def hms(minutes):
    s = round(minutes * 60)
    return "%02d:%02d:%02d" % (s // 3600, s % 3600 // 60, s % 60)


def instance(path, out):
    from pyproj import Transformer
    d = read(path)
    to_deg = Transformer.from_crs("EPSG:6671", "EPSG:6668", always_xy=True)
    def plane(node):  # instance units as km around CENTRE
        x, y = d["xy"][node]
        return CENTRE[0] + 1000 * x, CENTRE[1] + 1000 * y
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "hub.geojson"), "w") as f:
        json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6671"}},
                   "features": [{"type": "Feature", "properties": {"name": "depot", "vehicles": d["vehicles"]},
                                 "geometry": {"type": "Point", "coordinates": list(plane(d["depot"]))}}]}, f)
    lon0, lat0 = to_deg.transform(*plane(d["depot"]))
    with open(os.path.join(out, "trips.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "from_lon", "from_lat", "to_lon", "to_lat", "riders", "earliest", "latest", "window_at",
                    "pickup_dwell", "dropoff_dwell"])
        for c in sorted(d["xy"]):
            if c == d["depot"]:
                continue
            lon, lat = to_deg.transform(*plane(c))
            e, l = d["window"][c]
            w.writerow([f"C{c}", f"{lon0:.10f}", f"{lat0:.10f}", f"{lon:.10f}", f"{lat:.10f}", d["demand"][c], hms(e), hms(l),
                        "dropoff", 0, round(d["service"] * 60)])
    horizon = d["window"][d["depot"]][1]
    print(f"--zone 3 --seats {d['capacity']} --max-ride {int(horizon) + 60} --speed 60 --detour 1 --dwell 0 "
          f"--shift 00:00-{hms(horizon)[:5]} --max-duration {int(horizon)}")


def pyvrp(path, seconds):
    from pyvrp import Model, read as pyvrp_read
    from pyvrp.stop import MaxRuntime
    data = pyvrp_read(path, round_func="exact")   # × 1000, rounded: distances to a thousandth
    result = Model.from_data(data).solve(stop=MaxRuntime(seconds), display=False, seed=1)
    print(json.dumps({"cost": result.cost() / 1000, "feasible": result.is_feasible(), "routes": result.best.num_routes()}))


def measure(d, routes):
    """Length and errors of VRPTW routes (lists of customers), timed from the depot at 0."""
    dist = lambda a, b: math.dist(d["xy"][a], d["xy"][b])
    length, errors, seen = 0.0, [], []
    for r in routes:
        t, load, at = d["window"][d["depot"]][0], 0, d["depot"]
        for c in r:
            t = max(t + dist(at, c), d["window"][c][0])
            if t > d["window"][c][1] + 1e-6:
                errors.append(f"customer {c} served at {t:.2f} after its window closes at {d['window'][c][1]}")
            t += d["service"]; load += d["demand"][c]; length += dist(at, c); at = c
        length += dist(at, d["depot"])
        if t + dist(at, d["depot"]) > d["window"][d["depot"]][1] + 1e-6:
            errors.append("a route returns after the depot closes")
        if load > d["capacity"]:
            errors.append(f"a route carries {load} > {d['capacity']}")
        seen += r
    missing = sorted(set(d["xy"]) - {d["depot"]} - set(seen))
    if missing or len(seen) != len(set(seen)):
        errors.append(f"customers missing or served twice: {missing[:5]}")
    return {"cost": round(length, 3), "routes": len(routes), "errors": errors[:5]}


def check(path, schedule):
    d = read(path)
    rows = sorted(csv.DictReader(open(schedule, encoding="utf-8-sig")), key=lambda r: (r["vehicle"], int(r["order"])))
    routes, vehicle = [], None
    for row in rows:
        if row["vehicle"] != vehicle:
            vehicle = row["vehicle"]; routes.append([]); loading = True
        if row["event"] == "pickup" and not loading:
            routes.append([]); loading = True    # back at the depot to load: a new VRPTW route
        if row["event"] == "dropoff":
            routes[-1].append(int(row["trip"][1:])); loading = False
    print(json.dumps(measure(d, [r for r in routes if r])))


def best(path, sol):
    d = read(path)
    routes = [[int(w) + 1 for w in line.split(":")[1].split()] for line in open(sol) if line.startswith("Route")]
    print(json.dumps(measure(d, routes)))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"instance": lambda: instance(args[0], args[1]), "pyvrp": lambda: pyvrp(args[0], float(args[1])),
     "check": lambda: check(args[0], args[1]), "best": lambda: best(args[0], args[1])}[cmd]()
