#!/usr/bin/env python3
"""The peer of `chiiki merge --regions`: PySAL spopt's MaxPHeuristic on a polygon layer.

    maxp_spopt.py LAYER -o DIR [--id F] [--households F] [--population F] [--aged F]
                  [--floor households:20] [--seed 0] [--encoding cp932] [--epsg N]

Reads the layer, dissolves records sharing an id (e-Stat islands and exclaves), builds the
rook contiguity spopt is usually given (libpysal Rook: polygons sharing an edge), links each
polygon without a neighbour to its nearest polygon (spopt cannot place an island: its
construction phase leaves it as an enclave that no region can absorb), solves max-p with
spopt's own defaults and a seeded NumPy generator, and writes what chiiki writes:
DIR/regions.csv (`id,region`, UTF-8 with BOM, one row per unit) and DIR/regions_summary.json.

Also imported by Tests/PlanningTests/Fixtures/make_maxp_fixtures.py, so the fixtures and the
benchmark build the same instance and run the same solver call.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import libpysal
import numpy as np
import shapely
import spopt
from spopt.region import MaxPHeuristic
from spopt.region import maxp as maxp_module
from spopt.region.base import modify_components

# MaxPHeuristic's own defaults (spopt 0.7.0), written out so the fixture can record them.
SPOPT_DEFAULTS = {
    "top_n": 2,
    "max_iterations_construction": 99,
    "max_iterations_sa": 10,
    "policy": "single",
}


def library_versions():
    return (f"spopt {spopt.__version__}, libpysal {libpysal.__version__}, geopandas "
            f"{gpd.__version__}, shapely {shapely.__version__}, numpy {np.__version__}")


def read_units(path, id_field, households, population, aged=None, encoding=None):
    """The layer as one row per id, sorted by id (as chiiki's Districts sorts its keys).

    Invalid polygons are repaired with make_valid first (Tottori has one). A unit made of
    several records is their union; a single record keeps its own vertices, which matters
    because libpysal's Rook compares vertex pairs.
    """
    layer = gpd.read_file(path, encoding=encoding) if encoding else gpd.read_file(path)
    missing = [f for f in (id_field, households, population, aged) if f and f not in layer.columns]
    if missing:
        sys.exit(f"{path}: no field {', '.join(missing)} (fields: {', '.join(layer.columns)})")
    layer[id_field] = layer[id_field].astype(str)
    layer["geometry"] = shapely.make_valid(layer.geometry.values)
    rows = []
    for unit_id, records in layer.groupby(id_field, sort=True):
        geometries = records.geometry.values
        rows.append({
            "id": unit_id,
            "households": int(records[households].sum()),
            "population": int(records[population].sum()),
            "aged": int(records[aged].sum()) if aged else None,
            "geometry": geometries[0] if len(geometries) == 1 else shapely.union_all(geometries),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=layer.crs)


def contiguity(units, epsg=None):
    """Rook edges (i < j, sorted) plus the links spopt needs to place every unit.

    Returns (edges, island_links): island_links are [i, j, metres] from each unit with no rook
    neighbour to the nearest other unit (distance in `epsg`, or the layer's UTM zone), and are
    among the edges. A connected component that cannot meet the floor on its own is spopt's
    business: its modify_components joins it to the largest component (see `solve`).
    """
    rook = libpysal.weights.Rook.from_dataframe(units, use_index=False, silence_warnings=True)
    edges = {(min(i, j), max(i, j)) for i, neighbours in rook.neighbors.items() for j in neighbours}
    island_links = []
    islands = [i for i in range(len(units)) if not rook.neighbors[i]]
    if islands:
        crs = epsg if epsg else units.estimate_utm_crs()
        planar = units.to_crs(crs).geometry.values
        tree = shapely.STRtree(planar)
        for i in islands:
            # The nearest other polygon; ties go to the lowest index, so the link is stable.
            found, distances = tree.query_nearest(planar[i], exclusive=True, return_distance=True, all_matches=True)
            j = int(min(found))
            island_links.append([i, j, round(float(distances[0]), 1)])
            edges.add((min(i, j), max(i, j)))
    return sorted(edges), island_links


def weights(n, edges):
    """A libpysal W with neighbour lists in ascending order, so spopt's region growing (which
    walks the lists in order) depends on the edge list alone, not on how Rook built it."""
    neighbours = {i: [] for i in range(n)}
    for i, j in edges:
        neighbours[i].append(j)
        neighbours[j].append(i)
    return libpysal.weights.W({i: sorted(js) for i, js in neighbours.items()}, silence_warnings=True)


def dissimilarity(units):
    """The attribute spopt's annealing phase makes regions homogeneous in (it does not change
    p): the aging rate when aged counts are given, else persons per household; 0 when empty."""
    if units["aged"].notna().all():
        numerator, denominator, name = units["aged"], units["population"], "aging rate"
    else:
        numerator, denominator, name = units["population"], units["households"], "persons per household"
    values = np.where(denominator > 0, numerator / denominator.clip(lower=1), 0.0)
    return values.astype(float), name


def solve(units, edges, floor_field, floor_value, seed, anneal=True):
    """spopt MaxPHeuristic with its defaults and NumPy seeded with `seed`.

    Returns a dict: regions (p), labels (0-based, numbered by first appearance), seconds (the
    whole solve), construction_seconds (the phase that fixes p; the simulated annealing after
    it only moves units between regions to make them homogeneous), component_links (joins
    spopt's modify_components added) and the dissimilarity attribute's name.
    With anneal=False the annealing is skipped: same p as the full run for the same seed
    (annealing starts after p is fixed and draws its random numbers after construction), at a
    fraction of the time; used to compare seeds.
    """
    data = units.copy()
    data["dissimilarity"], name = dissimilarity(units)
    w = weights(len(units), edges)
    # What maxp() does first; called here too so the joins it adds can be recorded.
    _, fixed = modify_components(data, w, floor_field, floor_value, policy=SPOPT_DEFAULTS["policy"])
    linked = {(int(min(i, j)), int(max(i, j))) for i in fixed.neighbors for j in fixed.neighbors[i]}
    component_links = sorted(linked - set(map(tuple, edges)))
    construction = []

    def timed_construction(*args, **kwargs):
        started = time.perf_counter()
        result = original_construction(*args, **kwargs)
        construction.append(time.perf_counter() - started)
        return result

    def no_annealing(labels, region_list, region_spatial_attr, *rest):
        return [labels, region_list, region_spatial_attr]

    # maxp() looks both phases up in its module at call time; wrap them for this call only.
    original_construction, original_annealing = maxp_module._construction_phase, maxp_module._perform_sa
    maxp_module._construction_phase = timed_construction
    if not anneal:
        maxp_module._perform_sa = no_annealing
    try:
        np.random.seed(seed)
        started = time.perf_counter()
        model = MaxPHeuristic(data, w, ["dissimilarity"], floor_field, floor_value)
        model.solve()
        seconds = time.perf_counter() - started
    finally:
        maxp_module._construction_phase, maxp_module._perform_sa = original_construction, original_annealing
    first_seen = {}
    labels = [first_seen.setdefault(int(label), len(first_seen)) for label in model.labels_]
    if len(first_seen) != model.p:
        sys.exit(f"spopt reported p = {model.p} but labelled {len(first_seen)} regions")
    return {"regions": int(model.p), "labels": labels, "seconds": seconds,
            "construction_seconds": construction[0], "component_links": [list(e) for e in component_links],
            "dissimilarity": name}


def parse_floor(text):
    field, _, value = text.partition(":")
    if field not in ("households", "population") or not value.isdigit():
        sys.exit(f"--floor {text}: expected households:N or population:N")
    return field, int(value)


def write_outputs(directory, ids, labels, summary):
    directory.mkdir(parents=True, exist_ok=True)
    lines = ["id,region"] + [f"{unit_id},{label + 1}" for unit_id, label in zip(ids, labels)]
    (directory / "regions.csv").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    (directory / "regions_summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("layer")
    parser.add_argument("-o", "--out", required=True, type=Path)
    parser.add_argument("--id", default="hamlet_id")
    parser.add_argument("--households", default="households")
    parser.add_argument("--population", default="population")
    parser.add_argument("--aged", default=None)
    parser.add_argument("--floor", default="households:20")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--encoding", default=None)
    parser.add_argument("--epsg", type=int, default=None, help="projected CRS for island links")
    args = parser.parse_args()
    floor_field, floor_value = parse_floor(args.floor)
    started = time.perf_counter()
    units = read_units(args.layer, args.id, args.households, args.population, args.aged, args.encoding)
    edges, island_links = contiguity(units, args.epsg)
    result = solve(units, edges, floor_field, floor_value, args.seed)
    summary = {
        "regions": result["regions"], "units": len(units),
        "floor": {"attribute": floor_field, "value": floor_value}, "seed": args.seed,
        "solve_seconds": round(result["seconds"], 3),
        "construction_seconds": round(result["construction_seconds"], 3),
        "edges": len(edges), "island_links": len(island_links),
        "component_links": len(result["component_links"]),
        "dissimilarity": result["dissimilarity"],
        "tool": f"spopt MaxPHeuristic ({library_versions()})", "parameters": SPOPT_DEFAULTS,
    }
    write_outputs(args.out, list(units["id"]), result["labels"], summary)
    print(f"spopt: {result['regions']} regions of {len(units)} units, solve {result['seconds']:.2f} s "
          f"(construction {result['construction_seconds']:.2f} s), total "
          f"{time.perf_counter() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
