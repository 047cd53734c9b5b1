#!/usr/bin/env python3
"""Check that two district GeoJSONs agree: compare_outputs.py A.geojson B.geojson

Same KEY_CODE set (no duplicates), per-key area_m2 within 1e-6 relative, equal JINKO
sums. Standard library only, so it runs with any python3. Exit status 1 on mismatch.
"""
import json
import sys

REL_TOL = 1e-6


def load(path):
    with open(path, encoding="utf-8") as f:
        feats = json.load(f)["features"]
    # KEY_CODE may be written as a string or a number; compare it as text.
    keys = [str(ft["properties"]["KEY_CODE"]) for ft in feats]
    if len(set(keys)) != len(keys):
        sys.exit(f"{path}: duplicate KEY_CODEs")
    return {k: ft["properties"] for k, ft in zip(keys, feats)}


def main(a_path, b_path):
    a, b = load(a_path), load(b_path)
    problems = []
    if a.keys() != b.keys():
        problems.append(f"KEY_CODE sets differ: {len(a.keys() - b.keys())} only in A, "
                        f"{len(b.keys() - a.keys())} only in B")
    worst_key, worst = None, 0.0
    for k in sorted(a.keys() & b.keys()):
        x, y = float(a[k]["area_m2"]), float(b[k]["area_m2"])
        rel = abs(x - y) / max(abs(x), abs(y), 1e-300)
        if rel > worst:
            worst_key, worst = k, rel
    if worst > REL_TOL:
        problems.append(f"area_m2 differs by {worst:.3g} relative at KEY_CODE {worst_key}")
    ja, jb = (sum(int(p["JINKO"]) for p in d.values()) for d in (a, b))
    if ja != jb:
        problems.append(f"JINKO sums differ: {ja} vs {jb}")

    print(f"{len(a)} vs {len(b)} KEY_CODEs; max relative area_m2 difference {worst:.3g}"
          f"{f' (KEY_CODE {worst_key})' if worst_key else ''}; JINKO sums {ja} / {jb}")
    for p in problems:
        print("MISMATCH:", p)
    print("outputs agree" if not problems else "outputs DIFFER")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
