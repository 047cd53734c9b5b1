#!/usr/bin/env python3
"""Writes the max-p reference fixtures maxp_*.json from PySAL spopt's MaxPHeuristic.

    /tmp/maxp-venv/bin/python Tests/PlanningTests/Fixtures/make_maxp_fixtures.py [OUT_DIR]

Run from the repository root, in a venv with the versions pinned in Benchmarks/sections/merge.sh
(spopt 0.7.0, libpysal 4.14.1, geopandas 1.2.0, shapely 2.2.0, numpy 2.4.6, ...). Builds each
instance and runs spopt exactly as the benchmark does (Benchmarks/maxp_spopt.py): one row per id
sorted by id, libpysal Rook contiguity, islands linked to their nearest polygon, spopt's defaults,
NumPy seeded. Per instance it stores the units, the edges spopt used, spopt's partition for seed
0 and, from the construction phase alone (which fixes p), p for seeds 0-9 and the best of them.
Each partition is checked (every unit once, regions connected in the edges, floor met) before
anything is written. Same inputs and versions give the same files, except the date in "source"
and the measured seconds. OUT_DIR (default: this folder) is for checking that.
"""

import datetime
import json
import sys
from collections import defaultdict
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parents[3]
sys.dont_write_bytecode = True  # no __pycache__ beside the benchmark scripts
sys.path.insert(0, str(ROOT / "Benchmarks"))
import compare_regions  # noqa: E402
import maxp_spopt  # noqa: E402

FIXTURES = Path(__file__).resolve().parent
SEEDS = range(10)
HAMLETS = {"layer": "geodata/nagato/hamlets_2014_synthetic.geojson", "id": "hamlet_id",
           "households": "households", "population": "population", "aged": "aged_65_plus",
           "encoding": None, "epsg": 6671}  # JGD2011 plane zone III (Yamaguchi)
TOTTORI = {"layer": "geodata/tottori/h27ka31.shp", "id": "KEY_CODE", "households": "SETAI",
           "population": "JINKO", "aged": None, "encoding": "cp932", "epsg": 2447}  # JGD2000 zone V
INSTANCES = [
    # The default: a merged unit needs at least 20 households (the "small" hamlet has ≤ 19).
    ("maxp_nagato_hamlets.json", "Nagato hamlets 2014 (synthetic)", HAMLETS, ("households", 20)),
    # A population floor on the same layer: fewer, larger regions, more enclaves to place.
    ("maxp_nagato_hamlets_population.json", "Nagato hamlets 2014 (synthetic)", HAMLETS, ("population", 300)),
    # 500 households is about the size of a community council: Nagato's ten councils have 236 to
    # 2,258 households, median 570 (DOMAIN.md). 58 of the 2,487 small areas reach it alone, and
    # the floor allows at most 390 regions, so spopt finds a few hundred (292 for seed 0).
    ("maxp_tottori.json", "Tottori census small areas 2015 (e-Stat)", TOTTORI, ("households", 500)),
]


def upper_bound(instance, floor):
    """A cheap bound on p: in each connected component, every region either holds a unit that
    meets the floor alone or gathers at least the floor from smaller units."""
    values = instance[floor["attribute"]]
    neighbours = defaultdict(list)
    for i, j in instance["edges"]:
        neighbours[i].append(j)
        neighbours[j].append(i)
    seen, bound = set(), 0
    for start in range(len(values)):
        if start in seen:
            continue
        component, stack = [start], [start]
        seen.add(start)
        while stack:
            for j in neighbours[stack.pop()]:
                if j not in seen:
                    seen.add(j)
                    component.append(j)
                    stack.append(j)
        large = sum(1 for i in component if values[i] >= floor["value"])
        small = sum(values[i] for i in component if values[i] < floor["value"])
        bound += large + small // floor["value"]
    return bound


def short_edges(units, edges, epsg, minimum=1.0):
    """Rook edges whose shared boundary is under `minimum` metres in the plane zone: chiiki's
    ContiguityGraph (shared boundary over 1 m) leaves these out, so a partition contiguous in
    chiiki's graph is also contiguous here, not always the other way round."""
    planar = units.to_crs(epsg=epsg).geometry.values
    result = []
    for i, j in edges:
        shared = shapely.intersection(planar[i].boundary, planar[j].boundary).length
        if shared < minimum:
            result.append([i, j, round(float(shared), 3)])
    return result


def check(label, instance, floor, labels):
    problems = compare_regions.violations(instance, floor, labels)
    if problems:
        sys.exit(f"{label}: spopt's partition is invalid:\n  " + "\n  ".join(problems[:20]))


def build(name, source, floor_field, floor_value):
    units = maxp_spopt.read_units(ROOT / source["layer"], source["id"], source["households"],
                                  source["population"], source["aged"], source["encoding"])
    edges, island_links = maxp_spopt.contiguity(units, source["epsg"])
    full = maxp_spopt.solve(units, edges, floor_field, floor_value, seed=0)
    # Edges spopt used: the rook edges, the island links, and any join modify_components added.
    edges = sorted(set(map(tuple, edges)) | set(map(tuple, full["component_links"])))
    instance = {
        "name": name,
        "layer": source["layer"],
        "ids": list(units["id"]),
        "households": [int(v) for v in units["households"]],
        "population": [int(v) for v in units["population"]],
        "aged": [int(v) for v in units["aged"]] if source["aged"] else None,
        "edges": [list(e) for e in edges],
        "contiguity": ("libpysal.weights.Rook.from_dataframe(use_index=False): polygons sharing an "
                       "edge (a pair of consecutive vertices); records sharing an id dissolved first; "
                       "each unit with no rook neighbour linked to its nearest polygon (island_links, "
                       f"[i, j, metres] in EPSG:{source['epsg']}); joins spopt's modify_components "
                       "added for components below the floor (component_links); all are in edges"),
        "island_links": island_links,
        "component_links": full["component_links"],
        "rook_edges_under_1m": short_edges(units, edges, source["epsg"]),
    }
    floor = {"attribute": floor_field, "value": floor_value}
    check(f"{name}, seed 0", instance, floor, full["labels"])
    by_seed = {}
    for seed in SEEDS:
        quick = maxp_spopt.solve(units, edges, floor_field, floor_value, seed, anneal=False)
        check(f"{name}, seed {seed} (construction only)", instance, floor, quick["labels"])
        by_seed[str(seed)] = quick["regions"]
    if by_seed["0"] != full["regions"]:
        sys.exit(f"{name}: construction alone gave p = {by_seed['0']} for seed 0, the full run {full['regions']}")
    best_seed = max(SEEDS, key=lambda s: (by_seed[str(s)], -s))
    spopt = {
        "regions": full["regions"],
        "labels": full["labels"],
        "seed": 0,
        "seconds": round(full["seconds"], 2),
        "construction_seconds": round(full["construction_seconds"], 2),
        "parameters": dict(maxp_spopt.SPOPT_DEFAULTS, dissimilarity=full["dissimilarity"],
                           seeding="numpy.random.seed(seed) before MaxPHeuristic.solve()"),
        "labels_note": "0-based region per unit, numbered in order of first appearance",
        "best": {"regions": by_seed[str(best_seed)], "seed": best_seed, "by_seed": by_seed,
                 "note": "p from the construction phase alone (it fixes p; annealing only moves units)"},
        "upper_bound": upper_bound(instance, floor),
    }
    return instance, floor, spopt


def write(path, document):
    """Two levels of keys on their own lines, every value (arrays included) on one line."""
    def one_line(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ["{"]
    for k, (key, value) in enumerate(document.items()):
        comma = "," if k < len(document) - 1 else ""
        if isinstance(value, dict):
            lines.append(f'  "{key}": {{')
            for m, (inner, item) in enumerate(value.items()):
                lines.append(f'    "{inner}": {one_line(item)}' + ("," if m < len(value) - 1 else ""))
            lines.append("  }" + comma)
        else:
            lines.append(f'  "{key}": {one_line(value)}{comma}')
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES
    out.mkdir(parents=True, exist_ok=True)
    date = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    for file, name, source, (floor_field, floor_value) in INSTANCES:
        instance, floor, spopt = build(name, source, floor_field, floor_value)
        document = {
            "source": f"Tests/PlanningTests/Fixtures/make_maxp_fixtures.py, {maxp_spopt.library_versions()}, {date}",
            "instance": instance,
            "floor": floor,
            "spopt": spopt,
        }
        write(out / file, document)
        print(f"{file}: {len(instance['ids'])} units, {len(instance['edges'])} edges "
              f"({len(instance['island_links'])} island links, {len(instance['rook_edges_under_1m'])} "
              f"under 1 m), floor {floor_field} >= {floor_value}: spopt p = {spopt['regions']} "
              f"(seed 0, valid, {spopt['seconds']} s, construction {spopt['construction_seconds']} s), "
              f"best over seeds {spopt['best']['regions']} (seed {spopt['best']['seed']}), "
              f"upper bound {spopt['upper_bound']}", file=sys.stderr)


if __name__ == "__main__":
    main()
