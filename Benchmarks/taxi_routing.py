#!/usr/bin/env python3
"""The 100-stop routing instance of Tests/PlanningTests/Fixtures/taxi_ortools_100.json, for `make bench`.

Usage:
  taxi_routing.py instance FIXTURE OUT_DIR      hubs.geojson and stops.geojson (EPSG:6671 metres) for chiiki
  taxi_routing.py ortools FIXTURE SECONDS       OR-Tools (the fixture's model) for SECONDS; prints JSON
  taxi_routing.py check FIXTURE ROUTES_SUMMARY  chiiki's routes re-measured and checked against the
                                                rules in floating point; prints JSON, exits 1 on a breach

The model and the rules are those of Tests/PlanningTests/Fixtures/make_taxi_fixtures.py (imported).
"""
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "PlanningTests", "Fixtures"))
import make_taxi_fixtures as fx  # noqa: E402


def instance(fixture, out):
    d = json.load(open(fixture))
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6671"}}
    def write(name, feats):
        with open(os.path.join(out, name), "w") as f:
            json.dump({"type": "FeatureCollection", "crs": crs, "features": feats}, f)
    os.makedirs(out, exist_ok=True)
    write("hubs.geojson", [{"type": "Feature", "properties": {"name": h["name"], "vehicles": h["vehicles"]},
                            "geometry": {"type": "Point", "coordinates": [h["x"], h["y"]]}} for h in d["hubs"]])
    write("stops.geojson", [{"type": "Feature", "properties": {"name": s["name"], "riders": s["riders"]},
                             "geometry": {"type": "Point", "coordinates": [s["x"], s["y"]]}} for s in d["stops"]])
    print(f"seats={d['seats']} speed={d['speed_kmh']} max_ride={d['max_ride_min']} dwell={d['dwell_s']} detour={d['detour']}")


def ortools(fixture, seconds):
    inst = json.load(open(fixture))
    started = time.time()
    routes, length, _ = fx.solve_ortools(inst, seconds)
    print(json.dumps({"seconds": seconds, "wall_s": round(time.time() - started, 2), "routes": len(routes), "length_m": length}))


def check(fixture, summary):
    inst = json.load(open(fixture))
    plan = json.load(open(summary))
    d = fx.distances(inst)
    hubs = {h["name"]: k for k, h in enumerate(inst["hubs"])}
    stops = {s["name"]: len(inst["hubs"]) + k for k, s in enumerate(inst["stops"])}
    riders = {s["name"]: s["riders"] for s in inst["stops"]}
    speed = inst["speed_kmh"] / 3.6
    breaches, seen, used, total = [], [], {h: 0 for h in hubs}, 0.0
    for r in plan["by_route"]:
        h = hubs[r["hub"]]
        used[r["hub"]] += 1
        pts = [h] + [stops[s] for s in r["stops"]] + [h]
        length = sum(d[a][b] for a, b in zip(pts, pts[1:]))
        ride = (length - d[h][pts[1]]) / speed + len(r["stops"]) * inst["dwell_s"]
        load = sum(riders[s] for s in r["stops"])
        if load > inst["seats"]:
            breaches.append(f"{r['vehicle']}: {load} riders")
        if ride > inst["max_ride_min"] * 60 * (1 + 1e-9):
            breaches.append(f"{r['vehicle']}: ride {ride / 60:.2f} min")
        seen += r["stops"]
        total += length
    if sorted(seen) != sorted(stops) or plan["unserved"]:
        breaches.append("stops not served exactly once")
    for name, k in hubs.items():
        if used[name] > inst["hubs"][k]["vehicles"]:
            breaches.append(f"{name}: {used[name]} routes")
    print(json.dumps({"routes": len(plan["by_route"]), "length_m": total, "breaches": breaches}))
    sys.exit(1 if breaches else 0)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("instance", "ortools", "check"):
        sys.exit(__doc__)
    {"instance": instance, "ortools": lambda f, s: ortools(f, int(s)), "check": check}[sys.argv[1]](sys.argv[2], sys.argv[3])
