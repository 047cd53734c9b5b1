#!/usr/bin/env python3
"""Checks a max-p partition against a fixture instance (Tests/PlanningTests/Fixtures/maxp_*.json).

    compare_regions.py FIXTURE.json CHIIKI_DIR [SPOPT_DIR]     (CHIIKI_DIR "-": spopt only)

Each DIR holds regions.csv (`id,region`, UTF-8, BOM allowed) and regions_summary.json
(`{"regions": p, ...}`). For chiiki's partition, and spopt's when given: every unit of the
instance assigned exactly once, each region connected in the fixture's edges (the libpysal
rook graph spopt used), each region meeting the floor, the summary's p equal to the number of
regions in the CSV; then p_chiiki >= p_spopt (this run's spopt, else the fixture's).
Prints one line per check; exits 1 on any violation.
"""

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path


def violations(instance, floor, assignment):
    """What is wrong with `assignment` (a list: region key per unit index, None if missing):
    a list of sentences, empty when the partition is valid."""
    problems = []
    n = len(instance["ids"])
    missing = [instance["ids"][i] for i in range(n) if assignment[i] is None]
    if missing:
        problems.append(f"{len(missing)} units without a region, e.g. {', '.join(missing[:5])}")
    members = defaultdict(list)
    for i, region in enumerate(assignment):
        if region is not None:
            members[region].append(i)
    neighbours = defaultdict(list)
    for i, j in instance["edges"]:
        neighbours[i].append(j)
        neighbours[j].append(i)
    values = instance[floor["attribute"]]
    for region, units in sorted(members.items(), key=lambda item: item[1][0]):
        inside = set(units)
        seen = {units[0]}
        stack = [units[0]]
        while stack:
            for j in neighbours[stack.pop()]:
                if j in inside and j not in seen:
                    seen.add(j)
                    stack.append(j)
        if len(seen) != len(inside):
            cut = [instance["ids"][i] for i in sorted(inside - seen)]
            problems.append(f"region {region} is not contiguous: {len(cut)} of its {len(units)} units "
                            f"are cut off, e.g. {', '.join(cut[:5])}")
        total = sum(values[i] for i in units)
        if total < floor["value"]:
            problems.append(f"region {region} has {floor['attribute']} {total} < floor {floor['value']}")
    return problems


def read_partition(directory, instance):
    """(assignment by unit index, p from the summary, problems reading it)."""
    problems = []
    index = {unit_id: i for i, unit_id in enumerate(instance["ids"])}
    assignment = [None] * len(index)
    csv_path, summary_path = directory / "regions.csv", directory / "regions_summary.json"
    for path in (csv_path, summary_path):
        if not path.is_file():
            return assignment, None, [f"{path}: missing"]
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or not {"id", "region"} <= set(reader.fieldnames):
            return assignment, None, [f"{csv_path}: header {reader.fieldnames}, expected id,region"]
        for line, row in enumerate(reader, start=2):
            i = index.get(row["id"])
            if i is None:
                problems.append(f"{csv_path}:{line}: unknown id {row['id']!r}")
            elif assignment[i] is not None:
                problems.append(f"{csv_path}:{line}: id {row['id']} assigned twice")
            elif not row["region"]:
                problems.append(f"{csv_path}:{line}: id {row['id']} has an empty region")
            else:
                assignment[i] = row["region"]
    try:
        p = json.loads(summary_path.read_text(encoding="utf-8-sig"))["regions"]
    except (ValueError, KeyError) as error:
        return assignment, None, problems + [f"{summary_path}: no \"regions\" ({error})"]
    counted = len({region for region in assignment if region is not None})
    if p != counted:
        problems.append(f"{summary_path}: regions {p}, but regions.csv has {counted}")
    return assignment, p, problems


def canonical(assignment):
    """Region keys renumbered by first appearance, so two partitions compare as partitions."""
    first_seen = {}
    return [None if region is None else first_seen.setdefault(region, len(first_seen)) for region in assignment]


def check(label, directory, instance, floor):
    assignment, p, problems = read_partition(directory, instance)
    if p is not None:
        problems += violations(instance, floor, assignment)
    status = "valid" if not problems else f"{len(problems)} violations"
    print(f"{label}: p = {p}, {status}")
    for problem in problems[:20]:
        print(f"  !! {problem}")
    return p, problems, assignment


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    fixture = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    instance, floor = fixture["instance"], fixture["floor"]
    print(f"{instance['name']}: {len(instance['ids'])} units, {len(instance['edges'])} edges, "
          f"floor {floor['attribute']} >= {floor['value']}")
    failed = False
    p_spopt = fixture["spopt"]["regions"]
    if len(sys.argv) == 4:
        p_run, problems, assignment = check("spopt", Path(sys.argv[3]), instance, floor)
        failed |= bool(problems)
        # Information, not a failure: same seed and versions should give the fixture's partition.
        same = canonical(assignment) == canonical(fixture["spopt"]["labels"])
        print(f"spopt: partition {'identical to' if same else 'differs from'} the fixture's "
              f"(seed {fixture['spopt']['seed']})")
        if p_run is not None:
            p_spopt = p_run
    if sys.argv[2] == "-":
        sys.exit(1 if failed else 0)
    p_chiiki, problems, _ = check("chiiki", Path(sys.argv[2]), instance, floor)
    failed |= bool(problems)
    if p_chiiki is not None:
        verdict = "ok" if p_chiiki >= p_spopt else "!! fewer regions than spopt"
        failed |= p_chiiki < p_spopt
        print(f"p: chiiki {p_chiiki} / spopt {p_spopt} = {p_chiiki / p_spopt:.3f} ({verdict}; "
              f"fixture: spopt {fixture['spopt']['regions']}, best over seeds {fixture['spopt']['best']['regions']})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
